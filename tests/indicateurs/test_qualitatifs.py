"""Ce que disent les documents, sans rien inventer : indicateurs qualitatifs (un énoncé apprécié chaque année),
indicateurs dont le document ne chiffre pas la cible (ni valeur, ni « nd »), délibérations seulement citées (date et
objet). Règles du modèle, chargement, atteinte, grille de saisie, sorties (page, classeur, rapport) et cohérence."""

import datetime
import re
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from openpyxl import load_workbook

from coherence.selectors import calculer_constats
from contrats.models import Contrat, Deliberation
from indicateurs.enums import Appreciation, NatureIndicateur
from indicateurs.models import Cible, Indicateur, Realisation
from indicateurs.selectors import (
    ATTEINT,
    NON_ATTEINT,
    NON_MESURABLE,
    PARTIELLEMENT_ATTEINT,
    Mesure,
    bilan_cibles,
)
from pilotage.chargement import contrat_charger
from tests.actions.factories import ActionFactory
from tests.conftest import CALPAE, CLS, CONTRAT_DE_VILLE
from tests.contrats.factories import ContratFactory, DeliberationFactory
from tests.indicateurs.factories import IndicateurFactory
from tests.outils import normaliser, page, texte_page, texte_pdf

# --- Modèle --------------------------------------------------------------------------------------------------------


def test_un_indicateur_qualitatif_n_a_ni_unite_ni_t0_ni_cible_chiffree():
    action = ActionFactory()
    indicateur = Indicateur(action=action, libelle="Participation du partenariat", nature=NatureIndicateur.QUALITATIF)
    indicateur.full_clean()  # la case « cible chiffrée » se décoche d'elle-même
    indicateur.save()
    assert indicateur.est_qualitatif and not indicateur.cible_chiffree and not indicateur.t0_nd
    for champ, valeur in (("unite", "personnes"), ("t0", Decimal("3"))):
        fautif = Indicateur(
            action=action, libelle=f"Énoncé {champ}", nature=NatureIndicateur.QUALITATIF, **{champ: valeur}
        )
        with pytest.raises(ValidationError, match="ni unité, ni situation T0, ni cible chiffrée"):
            fautif.full_clean()
    with transaction.atomic(), pytest.raises(IntegrityError):  # la base le refuse aussi
        Indicateur.objects.filter(pk=indicateur.pk).update(unite="personnes")
    with pytest.raises(ValidationError, match="Un indicateur qualitatif n'a pas de cible chiffrée"):
        Cible(indicateur=indicateur, annee=2024, valeur=Decimal("5")).full_clean()


def test_sans_cible_chiffree_n_est_pas_nd():
    sans_cible = IndicateurFactory(sans_cible=True)
    chiffre = IndicateurFactory(t0=None)
    assert sans_cible.sans_cible_chiffree and not sans_cible.t0_nd  # T0 « non précisé », pas « nd »
    assert chiffre.t0_nd and not chiffre.sans_cible_chiffree


def test_une_realisation_est_une_valeur_ou_une_appreciation():
    qualitatif, chiffre = IndicateurFactory(qualitatif=True), IndicateurFactory()
    Realisation(indicateur=qualitatif, annee=2024, appreciation=Appreciation.ATTEINT, commentaire="Fait").full_clean()
    Realisation(indicateur=chiffre, annee=2024, valeur=Decimal("12")).full_clean()
    with pytest.raises(ValidationError, match="sans chiffre"):
        Realisation(indicateur=qualitatif, annee=2024, valeur=Decimal("1")).full_clean()
    with pytest.raises(ValidationError, match="pas par une appréciation"):
        Realisation(indicateur=chiffre, annee=2024, appreciation=Appreciation.ATTEINT).full_clean()
    with pytest.raises(ValidationError, match="jamais les deux"):
        Realisation(indicateur=chiffre, annee=2024, valeur=Decimal("1"), appreciation="atteint").validate_constraints()
    with pytest.raises(ValidationError, match="appreciation"):
        Realisation(indicateur=qualitatif, annee=2024, appreciation="presque").full_clean()


def test_une_deliberation_citee_par_sa_date_et_son_objet():
    contrat = ContratFactory()
    citee = Deliberation(
        organisation=contrat.collectivite,
        contrat=contrat,
        date=datetime.date(2020, 9, 17),
        objet="Autorisation de signer la convention",
    )
    citee.full_clean()
    citee.save()
    assert not citee.comptes_connus and citee.votants is None and citee.organe == ""
    assert str(citee) == "Délibération du 17/09/2020 – Autorisation de signer la convention"


def test_les_comptes_d_une_deliberation_se_donnent_tous_et_restent_verifies():
    incomplete = DeliberationFactory.build(contrat=ContratFactory(), presents=None, procurations=None)
    with pytest.raises(ValidationError, match="Présences et scrutin se donnent ensemble"):
        incomplete.full_clean()
    faux = DeliberationFactory.build(contrat=ContratFactory(), pour=38)
    with pytest.raises(ValidationError, match="Le scrutin ne correspond pas aux votants"):
        faux.full_clean()
    juste = DeliberationFactory(contrat=ContratFactory())
    assert juste.comptes_connus and juste.votants == 39
    with transaction.atomic(), pytest.raises(IntegrityError):
        Deliberation.objects.filter(pk=juste.pk).update(contre=None)


# --- Chargement ----------------------------------------------------------------------------------------------------


def _document(indicateurs, deliberations=()) -> dict:
    return {
        "organisations": [{"slug": "metropole-q", "nom": "Métropole Q", "type": "metropole", "departement": "21"}],
        "contrat": {
            "slug": "convention-q",
            "type": "calpae",
            "titre": "Convention Q",
            "annee_debut": 2020,
            "annee_fin": 2021,
            "departement": "21",
            "collectivite": "metropole-q",
        },
        "actions": [{"numero": "1.1", "intitule": "Action Q", "indicateurs": indicateurs}],
        "deliberations": list(deliberations),
    }


QUALITATIF = {"libelle": "Participation du partenariat", "nature": "qualitatif"}
SANS_CIBLE = {"libelle": "Nombre de mesures exercées", "unite": "mesures", "cible_chiffree": False}
ND = {"libelle": "Nombre de droits ouverts", "cibles": {2020: "nd", 2021: 40}, "nd_motif": "À préciser en 2020"}


def test_chargement_des_trois_sortes_d_indicateurs_et_d_une_deliberation_citee():
    citee = {"organisation": "metropole-q", "date": "2020-09-17", "objet": "Signature de la convention"}
    contrat = contrat_charger(donnees=_document([QUALITATIF, SANS_CIBLE, ND], [citee]))
    qualitatif, sans_cible, nd = Indicateur.objects.filter(action__contrat=contrat).order_by("ordre")
    assert (qualitatif.nature, qualitatif.cible_chiffree, qualitatif.unite) == ("qualitatif", False, "")
    assert (sans_cible.nature, sans_cible.cible_chiffree, sans_cible.t0) == ("quantitatif", False, None)
    assert not qualitatif.cibles.exists() and not sans_cible.cibles.exists()
    assert nd.cible_chiffree and nd.cibles.get(annee=2020).nd_motif == "À préciser en 2020"
    deliberation = Deliberation.objects.get(contrat=contrat)
    assert (deliberation.organe, deliberation.pour, deliberation.presents) == ("", None, None)


@pytest.mark.parametrize(
    ("indicateur", "erreur"),
    [
        ({"libelle": "Nombre de personnes reçues", "unite": "personnes"}, "aucune cible transcrite"),
        (SANS_CIBLE | {"cibles": {2020: 5}}, "et des cibles à la fois"),
        (QUALITATIF | {"unite": "partenaires"}, "ni unité"),
        (QUALITATIF | {"cibles": {2020: 5}}, "n'a pas de cible chiffrée"),
    ],
)
def test_le_chargement_refuse_ce_que_le_document_ne_dit_pas(indicateur, erreur):
    with pytest.raises(ValidationError, match=erreur):
        contrat_charger(donnees=_document([indicateur]))
    assert not Contrat.objects.filter(slug="convention-q").exists()  # rien n'est écrit


def test_le_rechargement_retire_les_cibles_que_le_document_ne_fixe_plus():
    contrat = contrat_charger(donnees=_document([ND | {"libelle": SANS_CIBLE["libelle"]}]))
    assert Cible.objects.filter(indicateur__action__contrat=contrat).count() == 2
    contrat_charger(donnees=_document([SANS_CIBLE]))
    indicateur = Indicateur.objects.get(action__contrat=contrat)
    assert not indicateur.cible_chiffree and not indicateur.cibles.exists()


# --- Données réelles -----------------------------------------------------------------------------------------------

# (contrat, indicateurs chiffrés sans cible, indicateurs qualitatifs)
ATTENDUS = {CALPAE: (6, 16), CONTRAT_DE_VILLE: (17, 27)}


def _texte_visible(reponse) -> str:
    """Le texte que lit l'utilisateur : balises retirées, blancs normalisés."""
    return normaliser(re.sub(r"<[^>]+>", " ", page(reponse)))


def _sans_blancs(texte: str) -> str:
    return " ".join(texte.split())


@pytest.mark.parametrize("slug", list(ATTENDUS))
def test_donnees_reelles_sans_cible_inventee(slug):
    indicateurs = list(Indicateur.objects.filter(action__contrat__slug=slug).select_related("action"))
    chiffres = [i for i in indicateurs if not i.est_qualitatif]
    qualitatifs = [i for i in indicateurs if i.est_qualitatif]
    assert (len(chiffres), len(qualitatifs)) == ATTENDUS[slug]
    assert not Cible.objects.filter(indicateur__action__contrat__slug=slug).exists()  # ni nd, ni motif, ni date
    assert all(not i.cible_chiffree and i.t0 is None for i in indicateurs)
    assert all(i.unite == "" for i in qualitatifs)
    # Chaque action a ses indicateurs, chacun avec les mots de sa fiche.
    assert {i.action.numero for i in indicateurs} == set(
        Contrat.objects.get(slug=slug).actions.values_list("numero", flat=True)
    )
    for i in indicateurs:
        fiche = i.action.indicateur_fiche or i.action.resultats_attendus
        assert _sans_blancs(i.libelle) in _sans_blancs(fiche), i.libelle


def test_donnees_reelles_libelles_des_qualitatifs():
    def libelles(slug, numero):
        return list(
            Indicateur.objects.filter(action__contrat__slug=slug, action__numero=numero)
            .order_by("ordre")
            .values_list("libelle", "nature")
        )

    assert libelles(CALPAE, "1.3") == [
        ("Participation du partenariat", "qualitatif"),
        ("Émergence de pratiques favorisant réellement la participation des usagers", "qualitatif"),
    ]
    assert libelles(CONTRAT_DE_VILLE, "9")[:2] == [
        (
            "Réalisation d’un document définissant les conditions de mise en œuvre d’un CISPD métropolitain en "
            "articulation avec les CLSPD des villes de Chenôve, Dijon, Longvic, Quetigny, Talant ainsi que Saint "
            "Apollinaire, Marsannay-la-Côte et Chevigny-Saint-Sauveur.",
            "qualitatif",
        ),
        ("Nombre de réunion mise en place", "quantitatif"),
    ]
    fiche5 = libelles(CONTRAT_DE_VILLE, "5")
    assert len(fiche5) == 18 and [lib for lib, nature in fiche5 if nature == "qualitatif"] == [
        "Nature des entrées et des sorties des bénéficiaires de Passerelle",
        "Nature des problématiques abordées",
        "Types d’engagements pris par les entreprises",
        "Nature des sorties des bénéficiaires issus des QPV",
    ]


def test_les_nd_du_cls_restent_des_nd():
    nd = Cible.objects.filter(indicateur__action__contrat__slug=CLS, nd=True)
    assert nd.count() == 12 and all(c.indicateur.cible_chiffree for c in nd)
    assert not Indicateur.objects.filter(action__contrat__slug=CLS, nature=NatureIndicateur.QUALITATIF).exists()


# --- Atteinte ------------------------------------------------------------------------------------------------------


def test_atteinte_d_un_qualitatif_et_decompte():
    qualitatif = Indicateur(nature=NatureIndicateur.QUALITATIF, cible_chiffree=False)
    chiffre, sans_cible = Indicateur(), Indicateur(cible_chiffree=False)

    def appreciee(appreciation):
        return Mesure(2024, None, Realisation(appreciation=appreciation), indicateur=qualitatif)

    mesures = [
        appreciee(Appreciation.ATTEINT),
        appreciee(Appreciation.PARTIELLEMENT_ATTEINT),
        appreciee(Appreciation.NON_ATTEINT),
        Mesure(2024, None, Realisation(commentaire="Réunions en cours"), indicateur=qualitatif),
        Mesure(2024, Cible(valeur=Decimal("10")), Realisation(valeur=Decimal("12")), indicateur=chiffre),
        Mesure(2024, None, Realisation(valeur=Decimal("7")), indicateur=sans_cible),
    ]
    assert [m.atteinte for m in mesures] == [
        ATTEINT,
        PARTIELLEMENT_ATTEINT,
        NON_ATTEINT,
        NON_MESURABLE,
        ATTEINT,
        NON_MESURABLE,
    ]
    assert [m.taux for m in mesures[:4]] == [None] * 4 and mesures[4].taux == Decimal("1.2")
    assert mesures[1].appreciation_libelle == "Partiellement atteint"
    bilan = bilan_cibles(mesures, 2024)
    assert (bilan.atteints, bilan.partiellement_atteints, bilan.non_atteints, bilan.non_mesurables) == (2, 1, 1, 2)
    # « partiellement atteint » est mesurable, jamais compté comme atteint : 2 atteintes sur 4 mesurables.
    assert bilan.mesurables == 4 and bilan.taux_atteinte == Decimal("0.5")
    assert bilan.valeurs_saisies == 5  # une appréciation est une saisie ; un commentaire seul, non


# --- Grille de saisie et sorties -----------------------------------------------------------------------------------


def _formulaire(client, url, **saisies) -> dict:
    """Les champs de la grille tels que la page les envoie, complétés des saisies données."""
    form = client.get(url).context["form"]
    donnees = {}
    for nom, champ in form.fields.items():
        valeur = form[nom].value()
        donnees[nom] = "" if valeur is None else champ.prepare_value(valeur)
        if champ.show_hidden_initial:
            donnees[f"initial-{nom}"] = donnees[nom]
    return donnees | saisies


@pytest.fixture
def cdv():
    return Contrat.objects.get(slug=CONTRAT_DE_VILLE)


@pytest.fixture
def qualitatif(cdv):
    return Indicateur.objects.get(action__contrat=cdv, libelle="Meilleure coordination des actions sur le terrain")


@pytest.fixture
def sans_cible(cdv):
    return Indicateur.objects.get(action__contrat=cdv, libelle="Nombre de réunion mise en place")


@pytest.fixture
def apprecie(connecte, qualitatif, sans_cible):
    """La métropole apprécie un indicateur qualitatif et chiffre un indicateur sans cible, dans la grille 2020."""
    client = connecte("metropole")
    url = reverse("indicateurs:grille", args=[CONTRAT_DE_VILLE, 2020])
    donnees = _formulaire(
        client,
        url,
        **{
            f"a{qualitatif.pk}": "partiellement_atteint",
            f"c{qualitatif.pk}": "Groupe GUSP réuni deux fois",
            f"v{sans_cible.pk}": "4",
        },
    )
    return client.post(url, donnees, follow=True)


def test_la_grille_propose_une_appreciation_pour_un_qualitatif(connecte, qualitatif, sans_cible):
    html = page(connecte("metropole").get(reverse("indicateurs:grille", args=[CONTRAT_DE_VILLE, 2020])))
    assert f'name="a{qualitatif.pk}"' in html and f'name="v{qualitatif.pk}"' not in html
    assert f'name="v{sans_cible.pk}"' in html and f'name="a{sans_cible.pk}"' not in html
    for libelle in ("Non apprécié", "Atteint", "Partiellement atteint", "Non atteint"):
        assert f">{libelle}</option>" in html
    assert "pas de cible chiffrée" in html and "non précisé" in html


def test_la_grille_enregistre_l_appreciation_avec_son_historique(apprecie, qualitatif, sans_cible):
    assert "Saisie 2020 enregistrée : 2 modification(s)." in texte_page(apprecie)
    realisation = Realisation.objects.get(indicateur=qualitatif, annee=2020)
    assert (realisation.appreciation, realisation.valeur, realisation.commentaire) == (
        "partiellement_atteint",
        None,
        "Groupe GUSP réuni deux fois",
    )
    assert realisation.history.get().history_user.username == "metropole"
    assert Realisation.objects.get(indicateur=sans_cible, annee=2020).valeur == Decimal("4")


def test_la_grille_refuse_une_appreciation_inconnue(connecte, qualitatif):
    client = connecte("metropole")
    url = reverse("indicateurs:grille", args=[CONTRAT_DE_VILLE, 2020])
    reponse = client.post(url, _formulaire(client, url, **{f"a{qualitatif.pk}": "presque"}), follow=True)
    assert "Rien n'a été enregistré : corrigez les champs signalés." in texte_page(reponse)
    assert not Realisation.objects.filter(indicateur=qualitatif).exists()


def test_page_de_l_indicateur_qualitatif(apprecie, connecte, qualitatif):
    texte = _texte_visible(
        connecte("ddets").get(reverse("indicateurs:detail", args=[CONTRAT_DE_VILLE, qualitatif.pk]))
    )
    assert "indicateur qualitatif : sans cible chiffrée" in texte
    assert "2020 Partiellement atteint Groupe GUSP réuni deux fois" in texte
    assert "2021 non saisi" in texte and "Taux d'atteinte" not in texte and "Fixer" not in texte
    assert "appréciation — Partiellement atteint" in texte  # historique


def test_page_d_un_indicateur_sans_cible_chiffree(connecte, sans_cible):
    texte = _texte_visible(
        connecte("ddets").get(reverse("indicateurs:detail", args=[CONTRAT_DE_VILLE, sans_cible.pk]))
    )
    assert "situation T0 : non précisé · pas de cible chiffrée dans le document" in texte
    assert "2019 pas de cible chiffrée" in texte and not re.search(r"\bnd\b", texte)


def test_page_du_contrat_dit_qualitatif_et_pas_de_cible_chiffree(connecte):
    texte = _texte_visible(connecte("ddets").get(reverse("pilotage:contrat", args=[CONTRAT_DE_VILLE])))
    assert "Meilleure coordination des actions sur le terrain qualitatif" in texte
    assert texte.count("Qualitatif : sans cible chiffrée, apprécié chaque année") == 27
    assert texte.count("Pas de cible chiffrée dans le document") == 17
    assert "Aucune valeur cible chiffrée" not in texte


def test_classeur_des_indicateurs(apprecie, connecte, qualitatif, sans_cible):
    reponse = connecte("ddets").get(reverse("indicateurs:xlsx", args=[CONTRAT_DE_VILLE]))
    feuille = load_workbook(BytesIO(reponse.content))["Indicateurs"]
    lignes = {ligne[1]: ligne for ligne in feuille.iter_rows(values_only=True)}
    # Action, indicateur, portée, T0, puis (cible, valeur, atteinte) pour 2019, 2020, 2021, 2022.
    assert lignes[qualitatif.libelle][3:10] == (
        "sans objet",
        "qualitatif",
        None,
        None,
        "qualitatif",
        "Partiellement atteint",
        None,
    )
    ligne = lignes[sans_cible.libelle]
    assert (ligne[3], ligne[4], ligne[7], ligne[8]) == (
        "non précisé",
        "pas de cible chiffrée",
        "pas de cible chiffrée",
        4,
    )


def test_rapport_annuel_dit_l_appreciation_sans_taux(apprecie, connecte):
    texte = texte_pdf(connecte("ddets").get(reverse("rapports:pdf", args=[CONTRAT_DE_VILLE, "annuel-2020"])).content)
    assert "Meilleure coordination des actions sur le terrain" in texte
    assert "qualitatif → Partiellement atteint" in texte
    assert "pas de cible chiffrée → 4" in texte
    assert "1 cible atteinte sur 1 mesurable (dont 1 partiellement atteinte)" not in texte
    assert "0 cible atteinte sur 1 mesurable (dont 1 partiellement atteinte)" in texte


# --- Cohérence -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("slug", [CALPAE, CLS, CONTRAT_DE_VILLE])
def test_coherence_sans_fausse_alerte_du_modele(slug):
    """Aucun constat « nd », « aucune cible » ou « T0 » sur un indicateur dont le document ne chiffre rien ; aucun
    « aucun indicateur » sur une fiche qui énonce des indicateurs qualitatifs."""
    contrat = Contrat.objects.get(slug=slug)
    constats = calculer_constats(contrat)
    sans_chiffre = Indicateur.objects.filter(action__contrat=contrat, cible_chiffree=False).select_related("action")
    for indicateur in sans_chiffre:
        assert not [c for c in constats if c.regle.startswith("indicateurs.") and c.sujet == indicateur.libelle]
    avec_indicateurs = {
        i.action.numero for i in Indicateur.objects.filter(action__contrat=contrat).select_related("action")
    }
    sans_indicateur = {c.lieu.removeprefix("Action ") for c in constats if c.regle == "indicateurs.sans_indicateur"}
    assert not (sans_indicateur & avec_indicateurs)


def test_coherence_garde_les_alertes_d_un_indicateur_chiffre():
    """Une cible « nd » échue, un T0 « nd » et une année sans cible restent signalés quand le document chiffre."""
    contrat = ContratFactory()
    indicateur = IndicateurFactory(action=ActionFactory(contrat=contrat), t0=None)
    Cible.objects.create(
        indicateur=indicateur, annee=2024, nd=True, nd_motif="À préciser", nd_date_limite=datetime.date(2024, 12, 31)
    )
    IndicateurFactory(action=indicateur.action, sans_cible=True)
    IndicateurFactory(action=ActionFactory(contrat=contrat), qualitatif=True)
    constats = [
        c
        for c in calculer_constats(contrat, aujourd_hui=datetime.date(2025, 6, 1))
        if c.regle.startswith("indicateurs.")
    ]
    messages = [c.message for c in constats]
    libelle = indicateur.libelle
    assert (
        f"« {libelle} » : cible 2024 toujours « nd » alors que le document la fixait au plus tard le 31/12/2024."
        in messages
    )
    assert f"« {libelle} » : situation T0 « nd », pas de valeur de départ." in messages
    assert f"« {libelle} » : aucune cible pour 2025, 2026, 2027." in messages
    assert len(messages) == 3
    nd = next(c for c in constats if c.regle == "indicateurs.nd_echu")
    assert [p.citation for p in nd.preuves] == [libelle, "À préciser"]


def test_page_du_contrat_montre_une_deliberation_citee(connecte):
    calpae = Contrat.objects.get(slug=CALPAE)
    Deliberation.objects.create(
        organisation=calpae.collectivite, contrat=calpae, date=datetime.date(2020, 9, 17), objet="Convention 2020"
    )
    texte = _texte_visible(connecte("ddets").get(reverse("pilotage:contrat", args=[CALPAE])))
    assert "Délibération de Dijon métropole – séance du 17 septembre 2020 Objet : Convention 2020" in texte
    assert "Présences et scrutin : non précisés (délibération citée par sa date et son objet)." in texte
    assert "Bureau de Dijon métropole – séance du 12 septembre 2024" in texte and "votants : 39" in texte


def test_l_import_excel_ne_touche_pas_aux_qualitatifs(apprecie, connecte, qualitatif, sans_cible):
    """Le modèle d'import ne propose que les indicateurs chiffrés ; une ligne ajoutée pour un qualitatif est refusée,
    et l'appréciation saisie dans la grille reste."""
    client = connecte("metropole")
    classeur = load_workbook(BytesIO(client.get(reverse("finances:modele", args=[CONTRAT_DE_VILLE])).content))
    feuille = classeur["Indicateurs"]
    identifiants = {rangee[0].value for rangee in feuille.iter_rows(min_row=6)}
    assert sans_cible.pk in identifiants and qualitatif.pk not in identifiants
    assert feuille.max_row - 5 == 17 * 4  # 17 indicateurs chiffrés × 4 années
    ajout = feuille.max_row + 1
    for colonne, valeur in enumerate((qualitatif.pk, "2", qualitatif.libelle, 2020, None, "écrase ?"), start=1):
        feuille.cell(row=ajout, column=colonne, value=valeur)
    fichier = BytesIO()
    classeur.save(fichier)
    reponse = client.post(
        reverse("finances:import", args=[CONTRAT_DE_VILLE]),
        {"type": "indicateurs", "fichier": SimpleUploadedFile("import.xlsx", fichier.getvalue())},
    )
    assert f"L'indicateur n°{qualitatif.pk} est qualitatif" in _texte_visible(reponse)
    assert Realisation.objects.get(indicateur=qualitatif, annee=2020).appreciation == "partiellement_atteint"
