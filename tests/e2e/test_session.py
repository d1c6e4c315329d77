"""Session : l'avertissement avant l'expiration et « Prolonger la session » ; une saisie de la grille tapée, la
session expirée, envoyée, puis la reconnexion : la page de reprise renvoie la saisie, qui est enregistrée."""

import pytest
from django.contrib.sessions.models import Session
from playwright.sync_api import expect

from comptes.services import MOT_DE_PASSE_DEMO
from indicateurs.models import Realisation
from tests.e2e.conftest import grille_url, message, texte_normalise

pytestmark = pytest.mark.e2e


def test_saisie_gardee_a_travers_l_expiration_et_la_reconnexion(ouvrir, indicateurs_cls):
    premier = indicateurs_cls[0]
    page = ouvrir("metropole")
    page.goto(grille_url(2025))
    page.fill(f"#id_v{premier.pk}", "1 234")
    page.fill(f"#id_c{premier.pk}", "Tapé avant une longue pause")

    Session.objects.all().delete()  # la session expire pendant la saisie
    page.get_by_role("button", name="Enregistrer la saisie 2025").click()

    page.wait_for_url("**/connexion/**")
    expect(page.get_by_role("alert").filter(has_text="Votre session avait expiré")).to_be_visible()
    assert not Realisation.objects.filter(indicateur=premier, annee=2025).exists()
    page.fill("#id_username", "metropole")
    page.fill("#id_password", MOT_DE_PASSE_DEMO)
    page.get_by_role("button", name="Se connecter").click()

    expect(
        page.get_by_role("heading", name="Votre session avait expiré ; vos saisies n'ont pas été enregistrées")
    ).to_be_visible()
    page.get_by_role("button", name="Renvoyer mes saisies").click()

    expect(message(page)).to_contain_text("Saisie 2025 enregistrée")
    page.goto(grille_url(2025))
    assert texte_normalise(page.input_value(f"#id_v{premier.pk}")) == "1 234"
    expect(page.locator(f"#id_c{premier.pk}")).to_have_value("Tapé avant une longue pause")
    realisation = Realisation.objects.get(indicateur=premier, annee=2025)
    assert realisation.valeur == 1234 and realisation.commentaire == "Tapé avant une longue pause"


def test_avertissement_avant_expiration_et_prolongation(ouvrir, settings):
    settings.SESSION_COOKIE_AGE = 125  # l'avertissement (2 minutes avant) vient après 5 secondes
    page = ouvrir("metropole")
    page.goto(grille_url(2025))
    alerte = page.locator("#session-alerte")
    expect(alerte).to_be_visible(timeout=20_000)
    expect(alerte).to_contain_text("Votre session expire dans moins de")
    avant = Session.objects.get().expire_date
    page.get_by_role("button", name="Prolonger la session").click()
    expect(alerte).to_be_hidden()
    assert Session.objects.get().expire_date > avant
