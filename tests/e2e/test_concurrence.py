"""Deux personnes sur la même année : la seconde est prévenue, rien n'est écrasé en silence."""

import pytest
from playwright.sync_api import expect

from indicateurs.models import Realisation
from tests.e2e.conftest import grille_url, message, texte_normalise

pytestmark = pytest.mark.e2e


def test_enregistrement_concurrent_refuse(ouvrir, indicateurs_cls):
    indicateur = indicateurs_cls[0]
    champ = f"#id_v{indicateur.pk}"
    premiere = ouvrir("metropole")
    seconde = ouvrir("admin")
    premiere.goto(grille_url(2026))
    seconde.goto(grille_url(2026))  # les deux pages ont lu la même version

    premiere.fill(champ, "1 500")
    premiere.get_by_role("button", name="Enregistrer la saisie 2026").click()
    expect(message(premiere)).to_contain_text("Saisie 2026 enregistrée : 1 modification(s).")

    seconde.fill(champ, "2 000")
    seconde.get_by_role("button", name="Enregistrer la saisie 2026").click()
    expect(message(seconde, "danger")).to_contain_text("a été modifiée entre-temps par Paul Exemple, Dijon métropole")
    expect(message(seconde, "danger")).to_contain_text("rien n'a été enregistré")
    conflit = seconde.locator("#conflit")
    expect(conflit).to_be_visible()
    changements = texte_normalise(conflit.inner_text())
    assert "votre saisie 2 000 ; enregistré par Paul Exemple, Dijon métropole le" in changements, changements
    assert changements.endswith(": 1 500."), changements
    # la saisie de la seconde personne n'est pas perdue : elle peut la comparer et réenregistrer
    assert texte_normalise(seconde.input_value(champ)) == "2 000"

    assert Realisation.objects.get(indicateur=indicateur, annee=2026).valeur == 1500
    premiere.goto(grille_url(2026))
    assert texte_normalise(premiere.input_value(champ)) == "1 500"
