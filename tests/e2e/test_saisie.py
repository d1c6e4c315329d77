"""Saisie annuelle par la collectivité : nombres à la française, tout ou rien."""

import pytest
from playwright.sync_api import expect

from indicateurs.models import Realisation, RecitAction
from tests.e2e.conftest import grille_url, message, texte_normalise

pytestmark = pytest.mark.e2e


def test_saisie_a_la_francaise_enregistree_et_relue(ouvrir, indicateurs_cls):
    premier, second = indicateurs_cls[:2]
    action = premier.action
    page = ouvrir("metropole")
    page.goto(grille_url(2025))
    expect(page.get_by_role("heading", name="Suivi des indicateurs 2025")).to_be_visible()
    expect(page.locator("#statut")).to_contain_text("Statut : Brouillon")

    page.fill(f"#id_v{premier.pk}", "1 234")
    page.fill(f"#id_c{premier.pk}", "Comptage arrêté au 31 décembre, écart dû à l'été")
    page.fill(f"#id_v{second.pk}", "12\u202f500")
    page.fill(f"#id_r{action.pk}_resultats", "Maraudes renforcées : 3 équipes, 2 quartiers prioritaires.")
    page.get_by_role("button", name="Enregistrer la saisie 2025").click()

    expect(message(page)).to_contain_text("Saisie 2025 enregistrée : 3 modification(s).")
    page.goto(grille_url(2025))  # nouvelle lecture, sans renvoyer le formulaire
    assert texte_normalise(page.input_value(f"#id_v{premier.pk}")) == "1 234"
    assert texte_normalise(page.input_value(f"#id_v{second.pk}")) == "12 500"
    expect(page.locator(f"#id_c{premier.pk}")).to_have_value("Comptage arrêté au 31 décembre, écart dû à l'été")
    expect(page.locator(f"#id_r{action.pk}_resultats")).to_have_value(
        "Maraudes renforcées : 3 équipes, 2 quartiers prioritaires."
    )
    expect(page.locator("#statut")).to_contain_text("par Paul Exemple, Dijon métropole")

    assert Realisation.objects.get(indicateur=premier, annee=2025).valeur == 1234
    assert RecitAction.objects.get(action=action, annee=2025).resultats.startswith("Maraudes renforcées")


def test_valeur_invalide_rien_n_est_enregistre(ouvrir, indicateurs_cls):
    premier, second = indicateurs_cls[:2]
    page = ouvrir("metropole")
    page.goto(grille_url(2025))

    page.fill(f"#id_v{premier.pk}", "12abc")
    page.fill(f"#id_v{second.pk}", "42")
    page.get_by_role("button", name="Enregistrer la saisie 2025").click()

    expect(message(page, "danger")).to_contain_text("Rien n'a été enregistré")
    ligne = page.locator("tr").filter(has=page.locator(f"#id_v{premier.pk}"))
    expect(ligne.get_by_role("alert")).to_contain_text("« 12abc » n'est pas un nombre valide")
    # la saisie de l'utilisateur est conservée pour qu'il la corrige
    expect(page.locator(f"#id_v{premier.pk}")).to_have_value("12abc")
    expect(page.locator(f"#id_v{second.pk}")).to_have_value("42")
    ligne_valide = page.locator("tr").filter(has=page.locator(f"#id_v{second.pk}"))
    expect(ligne_valide.get_by_role("alert")).to_have_count(0)

    page.goto(grille_url(2025))
    expect(page.locator(f"#id_v{premier.pk}")).to_have_value("")
    expect(page.locator(f"#id_v{second.pk}")).to_have_value("")
    expect(page.locator("#statut")).not_to_contain_text("Dernier enregistrement")
    assert not Realisation.objects.filter(indicateur__in=[premier, second], annee=2025).exists()
