"""Ce que voient les comptes qui ne saisissent pas : autre territoire (rien, 404) et partenaire en lecture."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import CLS, grille_url

pytestmark = pytest.mark.e2e


def test_autre_territoire_ne_voit_rien_de_dijon(ouvrir):
    page = ouvrir("autre-territoire")
    reponse = page.goto(grille_url(2025))
    assert reponse.status == 404
    expect(page.get_by_role("heading", name="Page introuvable")).to_be_visible()
    expect(page.locator("#grille")).to_have_count(0)

    reponse = page.goto(f"/contrats/{CLS}/historique/")
    assert reponse.status == 404
    expect(page.get_by_role("heading", name="Page introuvable")).to_be_visible()

    page.goto("/contrats/")
    expect(page.get_by_role("heading", name="Contrats")).to_be_visible()
    expect(page.locator("table tbody")).to_contain_text("Aucun élément.")
    expect(page.locator("main")).not_to_contain_text("Dijon")
    expect(page.locator(f"a[href*='{CLS}']")).to_have_count(0)


def test_lecteur_voit_la_grille_en_lecture_seule(ouvrir, indicateurs_cls, preparer):
    indicateur = indicateurs_cls[0]
    preparer(2025, {indicateur: 87})
    page = ouvrir("lecteur")
    page.goto(grille_url(2025))
    expect(page.get_by_role("heading", name="Suivi des indicateurs 2025")).to_be_visible()
    expect(page.locator(f"#ligne-i{indicateur.pk}")).to_contain_text("87")  # la valeur en texte, pas un champ grisé
    expect(page.locator("#lecture-seule")).to_contain_text("Lecture seule")
    expect(page.locator("#grille input:not([type=hidden]), #grille textarea")).to_have_count(0)
    expect(page.get_by_role("button", name="Enregistrer la saisie 2025")).to_have_count(0)
    expect(page.get_by_role("button", name="Soumettre à la validation de l'État")).to_have_count(0)
    expect(page.get_by_role("button", name="Valider l'année 2025")).to_have_count(0)
