"""La page des contrôles de cohérence, l'examen d'un constat et le rapport de cohérence en classeur, tels qu'un agent
de chaque partie les utilise."""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from coherence.models import ExamenConstat
from coherence.selectors import A_REVOIR, EXAMINE, OUVERT, calculer_constats, suivi_des_constats
from contrats.models import Contrat
from tests.conftest import CLS
from tests.outils import texte_page

URL = reverse("coherence:constats", args=[CLS])


def _constat(regle):
    return next(c for c in calculer_constats(Contrat.objects.get(slug=CLS)) if c.regle == regle)


def test_chaque_constat_cite_ses_passages_et_sa_regle(connecte):
    page = texte_page(connecte("ddets").get(URL))
    assert "Les âges ne se recouvrent pas" in page
    assert "nombre de jeunes de moins de 15 ans accompagnés" in page  # la fiche, citée
    assert "Nombre de jeunes de plus de 15 ans accompagnés" in page  # le tableau, cité
    assert "Règle : Les tranches d'âge d'une fiche (public, objectifs, indicateurs) se recouvrent" in page
    assert "constats ouverts" in page


@pytest.mark.parametrize("compte", ["ddets", "metropole"])
def test_un_agent_de_chaque_partie_examine_puis_rouvre(connecte, compte):
    client = connecte(compte)
    constat = _constat("publics.ages")
    reponse = client.post(URL, {"cle": constat.cle, "empreinte": constat.empreinte, "commentaire": "Coquille connue."})
    assert reponse.status_code == 302
    examen = ExamenConstat.objects.get(cle=constat.cle)
    assert examen.commentaire == "Coquille connue." and examen.examine_par.username == compte
    etats = {s.constat.cle: s.etat for s in suivi_des_constats(examen.contrat)}
    assert etats[constat.cle] == EXAMINE
    # Il ne compte plus parmi les ouverts, et se lit dans « Examinés » avec son commentaire.
    assert "Coquille connue." not in texte_page(client.get(URL))
    assert "Coquille connue." in texte_page(client.get(URL + "?etat=examines"))
    reponse = client.post(URL, {"cle": constat.cle, "empreinte": constat.empreinte, "rouvrir": "on"})
    assert reponse.status_code == 302 and not ExamenConstat.objects.filter(cle=constat.cle).exists()
    assert [h.history_type for h in ExamenConstat.history.filter(cle=constat.cle).order_by("history_id")] == ["+", "-"]


def test_un_commentaire_vide_est_refuse_et_rien_n_est_ecrit(connecte):
    constat = _constat("publics.ages")
    reponse = connecte("ddets").post(URL, {"cle": constat.cle, "empreinte": constat.empreinte, "commentaire": "  "})
    assert reponse.status_code == 200
    assert "Dites en un commentaire pourquoi" in texte_page(reponse)
    assert not ExamenConstat.objects.exists()


def test_un_constat_change_depuis_l_affichage_n_est_pas_examine_a_l_aveugle(connecte):
    constat = _constat("publics.ages")
    reponse = connecte("ddets").post(URL, {"cle": constat.cle, "empreinte": "0" * 64, "commentaire": "Vu."})
    assert "a changé depuis l'affichage de la page" in texte_page(reponse)
    assert "Vu." in reponse.content.decode()  # le commentaire saisi est réaffiché, pas perdu
    assert not ExamenConstat.objects.exists()


def test_un_examen_revient_a_revoir_quand_les_donnees_citees_changent(connecte):
    from actions.models import Action

    constat = _constat("publics.ages")
    connecte("ddets").post(URL, {"cle": constat.cle, "empreinte": constat.empreinte, "commentaire": "Vu."})
    action = Action.objects.get(contrat__slug=CLS, numero="2")
    action.public_cible = "16 – 30 ans"
    action.save()
    suivi = next(s for s in suivi_des_constats(action.contrat) if s.constat.cle == constat.cle)
    assert suivi.etat == A_REVOIR and suivi.ouvert
    assert "À revoir" in texte_page(connecte("ddets").get(URL))


@pytest.mark.parametrize("compte", ["lecteur", "finances", "secretariat"])
def test_les_autres_roles_lisent_sans_examiner(connecte, compte):
    client = connecte(compte)
    constat = _constat("publics.ages")
    page = texte_page(client.get(URL))
    assert "Les âges ne se recouvrent pas" in page and "Marquer examiné" not in page
    reponse = client.post(URL, {"cle": constat.cle, "empreinte": constat.empreinte, "commentaire": "Vu."})
    assert reponse.status_code == 403 and not ExamenConstat.objects.exists()


def test_un_compte_d_un_autre_territoire_ne_voit_rien(connecte):
    client = connecte("autre-territoire")
    assert client.get(URL).status_code == 404
    assert client.get(reverse("coherence:xlsx", args=[CLS])).status_code == 404
    constat = _constat("publics.ages")
    assert (
        client.post(URL, {"cle": constat.cle, "empreinte": constat.empreinte, "commentaire": "x"}).status_code == 404
    )


def test_filtres_et_etat_vide(connecte):
    client = connecte("ddets")
    erreurs = texte_page(client.get(URL + "?gravite=erreur"))
    assert "Aucun constat ouvert de cette gravité." in erreurs or "Erreur" in erreurs
    assert "Aucun constat examiné." in texte_page(client.get(URL + "?etat=examines"))


def test_le_classeur_liste_ouverts_et_examines_avec_commentaires(connecte):
    client = connecte("metropole")
    constat = _constat("publics.ages")
    client.post(URL, {"cle": constat.cle, "empreinte": constat.empreinte, "commentaire": "=Tranché en comité"})
    reponse = client.get(reverse("coherence:xlsx", args=[CLS]))
    assert reponse.status_code == 200
    classeur = load_workbook(BytesIO(reponse.content))
    assert classeur.sheetnames == ["Constats ouverts", "Constats examinés", "Historique des examens", "Règles"]
    ouverts = [[c.value for c in ligne] for ligne in classeur["Constats ouverts"].iter_rows(min_row=6)]
    examines = [[c.value for c in ligne] for ligne in classeur["Constats examinés"].iter_rows(min_row=6)]
    suivis = suivi_des_constats(Contrat.objects.get(slug=CLS))
    assert len(ouverts) == sum(1 for s in suivis if s.etat == OUVERT)
    assert not any(ligne[4] == constat.message for ligne in ouverts)
    [ligne] = examines
    assert ligne[4] == constat.message and ligne[8] == "=Tranché en comité"
    assert classeur["Constats examinés"].cell(row=6, column=9).quotePrefix  # jamais une formule
    assert "moins de 15 ans" in ligne[5]


def test_les_constats_des_donnees_reelles_sont_ceux_des_documents():
    """Chaque constat des trois contrats est une coquille des documents ou un point à vérifier, aucun n'est causé par
    le modèle (pas de « nd » inventé, pas d'« aucun indicateur » là où la fiche en énonce) : la liste complète, pour
    qu'un nouveau constat (ou une disparition) se voie."""
    from tests.conftest import CALPAE, CONTRAT_DE_VILLE

    attendus = {
        CALPAE: [
            ("bilans.arithmetique", "erreur"),
            *[("fiches.intitule", "a_verifier")] * 5,
            ("dates.ordinal", "a_verifier"),
            ("personnes.orthographe", "a_verifier"),
            ("bilans.periode", "information"),
        ],
        CLS: [
            *[("indicateurs.nd_echu", "a_verifier")] * 3,
            ("axes.numero", "a_verifier"),
            ("axes.intitule", "a_verifier"),
            ("publics.ages", "a_verifier"),
            ("parties.article", "a_verifier"),
            ("dates.autorisation", "a_verifier"),
            ("personnes.orthographe", "a_verifier"),
            ("indicateurs.t0_nd", "information"),
            *[("axes.intitule", "information")] * 2,
        ],
        CONTRAT_DE_VILLE: [("listes.compte", "erreur"), ("dates.periode", "a_verifier")],
    }
    for slug, regles in attendus.items():
        constats = calculer_constats(Contrat.objects.get(slug=slug))
        assert sorted((c.regle, c.gravite) for c in constats) == sorted(regles), slug
        assert all(c.preuves for c in constats)
