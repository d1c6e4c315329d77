"""Les pages HTML des rapports : aperçus, liste des documents et des versions, formulaire de vote ; et leur nombre
de requêtes, identique pour un contrat de 8 et de 20 actions."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actions.models import Action
from comptes.enums import Role
from tests.conftest import CLS
from tests.contrats.factories import ProfilFactory
from tests.contrats.test_pages import _contrat_de_taille
from tests.rapports.conftest import texte_page


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


REQUETES = {
    ("rapports:liste", ""): 8,
    ("rapports:apercu", "mi-parcours"): 21,
    ("rapports:apercu", "deliberation-annuel-2025"): 21,
    ("rapports:vote", "deliberation-mi-parcours"): 7,
}


@pytest.mark.parametrize(("vue", "document"), list(REQUETES))
def test_nombre_de_requetes_fixe_8_ou_20_actions(client, vue, document):
    nombres = []
    for taille in (8, 20):
        contrat, _ = _contrat_de_taille(taille)
        user = ProfilFactory(organisation=contrat.collectivite, role=Role.SECRETARIAT).user
        client.force_login(user)
        args = [contrat.slug, document] if document else [contrat.slug]
        with CaptureQueriesContext(connection) as requetes:
            reponse = client.get(reverse(vue, args=args))
        assert reponse.status_code == 200 and b"VARIABLE_INCONNUE" not in reponse.content
        nombres.append(len(requetes))
    assert nombres == [REQUETES[(vue, document)]] * 2


def test_page_du_contrat_en_nombre_de_requetes_fixe_avec_les_graphiques(client):
    """Le gabarit des graphiques ajoute cinq requêtes à la page du contrat, quelle que soit sa taille
    (le total est épinglé dans tests/contrats/test_pages.py)."""
    from tests.contrats.test_pages import REQUETES as REQUETES_CONTRAT

    for taille in (8, 20):
        contrat, user = _contrat_de_taille(taille)
        client.force_login(user)
        with CaptureQueriesContext(connection) as requetes:
            assert client.get(reverse("pilotage:contrat", args=[contrat.slug])).status_code == 200
        assert len(requetes) == REQUETES_CONTRAT["pilotage:contrat"]
        assert sum("indicateurs_realisation" in q["sql"] for q in requetes.captured_queries) == 1
