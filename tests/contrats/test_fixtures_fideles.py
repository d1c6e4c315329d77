"""Les données réelles ne disent que ce que disent les documents signés. Ce qu'un document tait reste vide et
l'application l'écrit « non précisé » ; ce qui vient d'une règle nationale ou de l'application le dit."""

import datetime
import re
from io import BytesIO
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.urls import reverse
from openpyxl import load_workbook

from actions.models import Action
from comptes.enums import Role
from contrats.enums import RoleSignataire, TypeEcheance
from contrats.models import Contrat, Echeance, Organisation
from pilotage.chargement import contrat_charger
from tests.conftest import CALPAE, CLS, CONTRAT_DE_VILLE
from tests.contrats.factories import ProfilFactory
from tests.outils import normaliser, page

SLUGS = [CLS, CALPAE, CONTRAT_DE_VILLE]


def lu(reponse) -> str:
    """Le texte que lit l'utilisateur : balises retirées, blancs normalisés."""
    assert reponse.status_code == 200, reponse.status_code
    return normaliser(re.sub(r"<[^>]+>", " ", page(reponse)))


def test_une_fiche_qui_ne_nomme_pas_de_porteur_n_en_a_pas(connecte):
    """Le CLS ne nomme qu'un « partenaire principal » pour l'action 1 : pas de porteur, et la fiche le dit."""
    action = Action.objects.get(contrat__slug=CLS, numero="1")
    assert action.porteur == ""
    assert action.partenaires
    fiche = lu(connecte("metropole").get(reverse("pilotage:action", args=[CLS, "1"])))
    assert "Porteur non précisé" in fiche
    assert f"Partenaires {action.partenaires}" in fiche


@pytest.mark.parametrize("numero", ["5", "6", "7"])
def test_une_fiche_qui_ne_dit_pas_en_quoi_l_action_est_renforcee(connecte, numero):
    """Le CLS répond « Action existante renforcée » sans jamais dire la modalité (file active, nouveaux publics,
    nouveaux territoires : aucun de ces mots dans le document) : elle reste non précisée."""
    action = Action.objects.get(contrat__slug=CLS, numero=numero)
    assert action.nature == "existante_renforcee"
    assert not (
        action.renforcement_file_active
        or action.renforcement_nouveaux_publics
        or action.renforcement_nouveaux_territoires
    )
    assert action.renforcement_non_precise
    fiche = lu(connecte("metropole").get(reverse("pilotage:action", args=[CLS, numero])))
    assert "Action existante renforcée · modalité de renforcement non précisée" in fiche


@pytest.mark.parametrize(
    ("numero", "precision"), [("1", None), ("2", None), ("7", "Action existante renforcée en 2024")]
)
def test_la_nature_n_est_pas_repetee_par_le_texte_de_la_fiche(connecte, numero, precision):
    """La fiche répond « action existante renforcée » ou « oui » (action nouvelle) : la nature affichée le dit déjà ;
    un texte qui ajoute quelque chose (« … en 2024 ») reste affiché."""
    html = page(connecte("metropole").get(reverse("pilotage:action", args=[CLS, numero])))
    nature = normaliser(re.sub(r"<[^>]+>", " ", re.search(r"<dt>Nature</dt><dd>(.*?)</dd>", html, re.S).group(1)))
    libelle = Action.objects.get(contrat__slug=CLS, numero=numero).get_nature_display()
    assert nature.casefold().count(libelle.casefold()) == 1 + (precision is not None)
    assert "oui" not in nature.casefold().split()
    assert precision is None or precision in nature


def test_une_modalite_de_renforcement_saisie_reste_affichee(connecte):
    action = Action.objects.get(contrat__slug=CLS, numero="7")
    action.renforcement_file_active = True
    action.save()
    fiche = lu(connecte("metropole").get(reverse("pilotage:action", args=[CLS, "7"])))
    assert "file active accrue" in fiche and "modalité de renforcement non précisée" not in fiche


def test_les_rubriques_absentes_d_une_fiche_sont_non_precisees(connecte):
    """Les fiches du protocole n'ont ni nature, ni pilotage : ni blanc ni valeur par défaut."""
    action = Action.objects.get(contrat__slug=CONTRAT_DE_VILLE, numero="1")
    assert action.nature == "" and action.pilotage == ""
    client = connecte("metropole")
    fiche = lu(client.get(reverse("pilotage:action", args=[CONTRAT_DE_VILLE, "1"])))
    assert "Nature non précisée" in fiche and "Pilotage et suivi non précisé" in fiche
    contrat = lu(client.get(reverse("pilotage:contrat", args=[CONTRAT_DE_VILLE])))
    assert contrat.count("nature non précisée") == Action.objects.filter(contrat__slug=CONTRAT_DE_VILLE).count()


def test_le_rapport_ecrit_non_precise(connecte):
    rapport = lu(connecte("ddets").get(reverse("rapports:apercu", args=[CLS, "mi-parcours"])))
    assert "Porteur non précisé" in rapport
    assert "(modalité de renforcement non précisée)" in rapport


def test_au_protocole_seul_le_prefet_signe_pour_l_etat():
    protocole = Contrat.objects.get(slug=CONTRAT_DE_VILLE)
    etat = protocole.signataires.filter(role=RoleSignataire.ETAT)
    assert [s.organisation.type for s in etat] == ["prefecture"]
    assert protocole.signataires.count() == 19


def test_aucun_service_de_l_etat_n_est_ajoute_aux_parties():
    """Aucun contrat ne compte parmi ses parties une organisation que son document ne nomme pas comme telle : la
    DDETS n'est signataire d'aucun des trois."""
    ddets = Organisation.objects.get(slug="ddets-cote-dor")
    assert not ddets.signatures.exists()


@pytest.mark.parametrize("slug", SLUGS)
def test_la_ddets_voit_toujours_les_contrats_de_l_etat_de_son_departement(connecte, slug):
    """Le tableau « Qui voit quoi » tient par le préfet signataire, pas par une signature inventée."""
    assert connecte("ddets").get(reverse("pilotage:contrat", args=[slug])).status_code == 200


def test_un_signataire_sans_departement_ne_voit_que_son_contrat(client):
    """Le ministère de la justice signe le protocole ; le document ne lui donne pas de département : il ne voit pas
    les contrats de l'État de la Côte-d'Or dont il n'est pas partie."""
    justice = Organisation.objects.get(slug="parquet-dijon")
    assert justice.departement == ""
    profil = ProfilFactory(organisation=justice, role=Role.AGENT_ETAT)
    client.force_login(profil.user)
    assert client.get(reverse("pilotage:contrat", args=[CONTRAT_DE_VILLE])).status_code == 200
    assert client.get(reverse("pilotage:contrat", args=[CLS])).status_code == 404
    assert client.get(reverse("pilotage:contrat", args=[CALPAE])).status_code == 404


def test_chaque_partie_porte_le_nom_que_lui_donne_son_document():
    """Une organisation partagée par deux documents qui la nomment autrement n'emprunte pas le nom de l'autre."""
    noms = {s.organisation.nom for s in Contrat.objects.get(slug=CONTRAT_DE_VILLE).signataires.all()}
    calpae = {o.nom for o in Organisation.objects.filter(slug="icf-sud-est-mediterranee")}
    assert calpae and not calpae & noms
    assert "Agence régionale de santé" not in noms  # le nom court est celui du CLS


def test_pas_de_departement_que_le_document_ne_donne_pas():
    sans = ["ville-dijon", "ville-chenove", "grand-dijon-habitat", "orvitis", "mpdm", "acodege", "ddcs-cote-dor"]
    assert dict(Organisation.objects.filter(slug__in=sans).values_list("slug", "departement")) == dict.fromkeys(
        sans, ""
    )


def test_les_echeances_disent_d_ou_vient_leur_date(connecte):
    echeances = {e.type: e.libelle for e in Echeance.objects.filter(contrat__slug=CLS, annee=2025)}
    assert "règle nationale" in echeances[TypeEcheance.EVALUATION_NATIONALE]
    assert "par défaut de l'application" in echeances[TypeEcheance.VALEURS_ANNUELLES]
    assert "Art. 2.3" in echeances[TypeEcheance.RAPPORT_MI_PARCOURS]
    assert "Art. 2.4" in Echeance.objects.get(contrat__slug=CALPAE, type=TypeEcheance.RAPPORT_ANNUEL).libelle
    accueil = lu(connecte("ddets").get(reverse("accueil")))
    assert echeances[TypeEcheance.EVALUATION_NATIONALE] in accueil


def test_le_seuil_de_sous_consommation_dit_qu_il_vient_de_l_application(connecte):
    execution = lu(connecte("finances").get(reverse("finances:execution", args=[CLS])))
    assert "80 % d'exécution (seuil paramétré dans l'application" in execution


def test_le_classeur_d_execution_dit_que_le_seuil_vient_de_l_application(connecte):
    reponse = connecte("finances").get(reverse("finances:execution_xlsx", args=[CLS]))
    assert "80 % (paramètre de l'application)" in load_workbook(BytesIO(reponse.content))["Exécution"]["D3"].value


def test_un_signataire_retire_du_document_est_retire_au_rechargement():
    chemin = Path(settings.BASE_DIR) / "fixtures" / f"{CLS}.yaml"
    donnees = yaml.safe_load(chemin.read_text(encoding="utf-8"))
    avec = {**donnees, "signataires": [*donnees["signataires"], {"organisation": "ddets-cote-dor", "role": "etat"}]}
    contrat_charger(donnees=avec)
    contrat = Contrat.objects.get(slug=CLS)
    assert contrat.signataires.filter(organisation__slug="ddets-cote-dor").exists()
    contrat_charger(donnees=donnees)
    assert not contrat.signataires.filter(organisation__slug="ddets-cote-dor").exists()
    assert contrat.signataires.count() == len(donnees["signataires"])


def test_aucune_unite_n_est_tiree_du_libelle():
    """Ni les fiches ni les tableaux des trois documents n'écrivent d'unité pour leurs indicateurs : aucune n'est
    déduite du libellé (« Nombre de mesures exercées » n'a pas d'unité « mesures »), l'application dit « non
    précisée »."""
    from indicateurs.models import Indicateur

    assert not Indicateur.objects.filter(action__contrat__slug__in=SLUGS).exclude(unite="").exists()


def test_le_cls_n_a_pas_d_echeance_de_rapport_annuel_que_son_texte_ne_date_pas():
    """CLS, Art. 2.3 : un « rapport succinct d'état d'avancement » chaque année, sans date ni transmission au préfet
    (seul le rapport à mi-parcours a la sienne, le 31/03/2026) ; la CALPAE, Art. 2.4 : le rapport d'exécution au
    plus tard le 31 mars de l'exercice suivant. Aucune date n'est inventée pour le CLS."""
    assert not Echeance.objects.filter(contrat__slug=CLS, type=TypeEcheance.RAPPORT_ANNUEL).exists()
    mi_parcours = Echeance.objects.get(contrat__slug=CLS, type=TypeEcheance.RAPPORT_MI_PARCOURS)
    assert mi_parcours.date == datetime.date(2026, 3, 31)
    calpae = Echeance.objects.filter(contrat__slug=CALPAE, type=TypeEcheance.RAPPORT_ANNUEL)
    assert [(e.annee, e.date) for e in calpae] == [(2020, datetime.date(2021, 3, 31))]
