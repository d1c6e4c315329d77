"""Tests de navigateur : Playwright (API synchrone) pilote le Chromium de Debian contre `live_server` (pytest-django).

`live_server` impose une base transactionnelle, vidée après chaque test : les données réelles et les comptes de
démonstration sont donc rechargés avant chaque test de ce dossier."""

import os
import re
from importlib import import_module
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.contrib.auth import get_user_model
from playwright.sync_api import expect, sync_playwright

from commun.formats import nom_de
from comptes.services import MOT_DE_PASSE_DEMO, comptes_demo_creer
from contrats.models import Contrat
from indicateurs.models import Indicateur
from indicateurs.services import Valeur, saisie_enregistrer, suivi_changer_statut, suivi_obtenir
from pilotage.chargement import donnees_charger
from tests.outils import annee_presque_complete  # noqa: F401 (réexporté pour les tests de navigateur)

CLS = "dijon-cls-2024-2027"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DELAI_MS = 15_000


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Les tests de navigateur en dernier : la base transactionnelle qu'ils vident ne doit pas priver les autres
    tests des données chargées une fois pour la session (cas d'un `pytest` lancé sans `-m`)."""
    autres = [item for item in items if item.get_closest_marker("e2e") is None]
    e2e = [item for item in items if item.get_closest_marker("e2e") is not None]
    items[:] = autres + e2e


@pytest.fixture(autouse=True)
def donnees_e2e(transactional_db, live_server):
    """Recharge les données réelles et les comptes de démonstration (la base a été vidée par le test précédent),
    et le référentiel national que crée une migration de données (vidé lui aussi)."""
    import_module("referentiel.migrations.0002_piliers_du_pacte").creer(django_apps, None)
    donnees_charger(dossier=Path(settings.BASE_DIR) / "fixtures")
    comptes_demo_creer()


@pytest.fixture(scope="session")
def navigateur():
    # L'API synchrone de Playwright fait tourner une boucle d'événements dans le fil principal : sans cette variable,
    # Django refuserait les appels à l'ORM faits par les tests eux-mêmes. Posée seulement quand un navigateur
    # démarre (les tests de navigateur passent en dernier).
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        expect.set_options(timeout=DELAI_MS)
        yield browser
        browser.close()


@pytest.fixture
def ouvrir(navigateur, live_server):
    """ouvrir("metropole") → une page connectée sous ce compte, dans son propre contexte de navigateur ;
    ouvrir("secretariat", annuler=1) : la première confirmation demandée est annulée."""
    contextes = []

    def _ouvrir(identifiant, mot_de_passe=MOT_DE_PASSE_DEMO, *, annuler=0):
        contexte = navigateur.new_context(base_url=live_server.url, locale="fr-FR", timezone_id="Europe/Paris")
        contexte.set_default_timeout(DELAI_MS)
        contextes.append(contexte)
        # Les confirmations (« data-confirmer » : soumettre, valider…) sont acceptées, comme par l'utilisateur ;
        # les `annuler` premières sont refusées (« Annuler »), pour vérifier qu'alors rien n'est envoyé.
        a_annuler = [annuler]

        def repondre(dialogue):
            if dialogue.type != "confirm":
                return
            if a_annuler[0] > 0:
                a_annuler[0] -= 1
                dialogue.dismiss()
            else:
                dialogue.accept()

        contexte.on("page", lambda p: p.on("dialog", repondre))
        page = contexte.new_page()
        page.goto("/connexion/")
        page.fill("#id_username", identifiant)
        page.fill("#id_password", mot_de_passe)
        page.get_by_role("button", name="Se connecter").click()
        page.wait_for_url(lambda url: "/connexion/" not in url)
        # La barre de navigation nomme la personne connectée, pas son identifiant.
        expect(page.locator("nav.navbar")).to_contain_text(nom_de(get_user_model().objects.get(username=identifiant)))
        return page

    yield _ouvrir
    for contexte in contextes:
        contexte.close()


def texte_normalise(texte: str) -> str:
    """Espaces insécables et fines ramenées à des espaces simples, blancs successifs fusionnés."""
    return re.sub(r"[\s\u00a0\u202f]+", " ", texte).strip()


def grille_url(annee: int) -> str:
    return f"/contrats/{CLS}/suivi/{annee}/"


@pytest.fixture
def cls():
    return Contrat.objects.get(slug=CLS)


@pytest.fixture
def indicateurs_cls(cls):
    """Les indicateurs du CLS dans l'ordre de la grille ; ceux du jeu réel sont des comptages (0 décimale)."""
    indicateurs = list(Indicateur.objects.du_contrat(cls))
    assert len(indicateurs) >= 2
    return indicateurs


@pytest.fixture
def preparer(cls, django_user_model):
    """Amène une année dans un état donné par les services (sans navigateur) : la mise en place reste rapide.

    preparer(2025, {indicateur: Decimal(10)}, "soumettre", "valider")"""

    def _preparer(annee, valeurs=None, *transitions):
        metropole = django_user_model.objects.get(username="metropole")
        ddets = django_user_model.objects.get(username="ddets")
        suivi = suivi_obtenir(contrat=cls, annee=annee)
        if valeurs:
            saisie_enregistrer(
                user=metropole,
                suivi=suivi,
                version=suivi.version,
                valeurs={i: Valeur(v) for i, v in valeurs.items()},
                recits={},
            )
            suivi.refresh_from_db()
        for transition in transitions:
            user = metropole if transition == "soumettre" else ddets
            motif = "Préparation du test" if transition in ("renvoyer", "rouvrir") else ""
            suivi = suivi_changer_statut(
                user=user, suivi=suivi, version=suivi.version, transition=transition, motif=motif
            )
        return suivi

    return _preparer


def message(page, genre="success"):
    """Le message flash affiché en haut de page (« success » ou « danger »), distinct du bandeau de statut et du
    détail d'un conflit."""
    return page.locator(f"main > div.alert-{genre}[role=alert]:not(#conflit)")
