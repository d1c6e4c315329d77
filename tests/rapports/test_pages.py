"""Les pages HTML des rapports : aperçus, liste des documents et des versions, formulaire de vote (leur nombre de
requêtes est épinglé avec les autres dans tests/test_requetes.py)."""

from django.urls import reverse

from actions.models import Action
from tests.conftest import CLS
from tests.outils import contrat_de_taille, ecart_de_requetes, requetes_capturees, texte_page


def test_apercu_du_rapport_a_mi_parcours(connecte):
    reponse = connecte("ddets").get(reverse("rapports:apercu", args=[CLS, "mi-parcours"]))
    page = texte_page(reponse)
    assert "Rapport d'exécution à mi-parcours 2024-2025" in page
    for action in Action.objects.filter(contrat__slug=CLS):
        assert action.intitule in page
    assert "Télécharger le PDF" in page and "Figer pour transmission" not in page  # l'État lit, ne fige pas
    assert "Bilan financier" in page and "Matrice des indicateurs" in page
    assert "665 000 €" in page and "<svg" in reponse.content.decode()


def test_apercu_du_projet_de_deliberation_pour_le_secretariat(connecte):
    page = texte_page(connecte("secretariat").get(reverse("rapports:apercu", args=[CLS, "deliberation-mi-parcours"])))
    assert "EXTRAIT DU REGISTRE DES DÉLIBÉRATIONS" in page and "projet, vote non encore enregistré" in page
    assert "Enregistrer le vote" in page and "Figer pour transmission (PDF/A)" in page


def test_liste_des_documents(connecte):
    page = texte_page(connecte("metropole").get(reverse("rapports:liste", args=[CLS])))
    assert "Rapport d'exécution à mi-parcours 2024-2025" in page
    for annee in range(2024, 2028):
        assert f"Rapport annuel d'avancement {annee}" in page
    assert page.count("Aperçu") == 10  # mi-parcours, sa délibération, 4 rapports annuels et leurs délibérations
    assert "Aucune version figée" in page and "Enregistrer le vote" not in page
    # La page du contrat y mène.
    assert (
        reverse("rapports:liste", args=[CLS])
        in connecte("metropole").get(reverse("pilotage:contrat", args=[CLS])).content.decode()
    )


def test_page_du_contrat_lit_les_valeurs_une_fois_pour_les_graphiques(client):
    """Les graphiques de la page du contrat lisent les valeurs saisies en une requête, quelle que soit sa taille (le
    total de la page est épinglé avec les autres dans tests/test_requetes.py)."""
    mesures = []
    for taille in (8, 20):
        contrat, user = contrat_de_taille(taille)
        client.force_login(user)
        with requetes_capturees() as requetes:
            assert client.get(reverse("pilotage:contrat", args=[contrat.slug])).status_code == 200
        assert sum("indicateurs_realisation" in r.sql for r in requetes) == 1, requetes.rapport()
        mesures.append(requetes)
    assert len(mesures[0]) == len(mesures[1]), ecart_de_requetes(*mesures)
