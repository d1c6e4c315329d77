"""Temps, requêtes SQL et mémoire des pages d'un contrat ; vitesse des pages principales rapportée au plancher du
cadriciel."""

import statistics
import time
import tracemalloc

from django.core.cache import cache
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import setup_test_environment, teardown_test_environment
from django.urls import reverse

from comptes.services import MOT_DE_PASSE_DEMO

# Objectif (ticket 8, point 7) : chaque page principale, vue par un compte ordinaire, coûte au plus 5 fois le
# plancher, c'est-à-dire une vue protégée qui rend un gabarit d'une ligne à travers les mêmes middlewares.
RATIO_MAXIMAL = 5
ALTERNANCES = 101
COMPTE_ORDINAIRE = "metropole"


def mesurer(client, url, repetitions=5):
    client.get(url)  # échauffement
    durees = []
    requetes = []

    def compter(execute, sql, params, many, context):
        requetes.append(sql)
        return execute(sql, params, many, context)

    for _ in range(repetitions):
        requetes.clear()
        debut = time.perf_counter()
        with connection.execute_wrapper(compter):
            reponse = client.get(url)
        durees.append(time.perf_counter() - debut)
        assert reponse.status_code == 200, (url, reponse.status_code)
    tracemalloc.start()
    client.get(url)
    _, pic = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return statistics.median(durees), len(requetes), pic / 1e6


def _duree(client, url) -> float:
    debut = time.perf_counter()
    reponse = client.get(url)
    duree = time.perf_counter() - debut
    assert reponse.status_code == 200, (url, reponse.status_code)
    return duree


def comparer_au_plancher(client, url, plancher, alternances=ALTERNANCES):
    """Médianes de la page et du plancher, mesurés en alternance dans le même processus (une requête de l'un, une
    de l'autre) : une dérive de la machine pèse autant sur les deux. Aussi, pour information : la page à cache
    vide (premier affichage après une modification des données), rapportée au même plancher."""
    client.get(url), client.get(plancher)  # échauffement (gabarits compilés, cache rempli)
    page, sol = [], []
    for _ in range(alternances):
        sol.append(_duree(client, plancher))
        page.append(_duree(client, url))
    froide = []
    for _ in range(max(alternances // 3, 3)):
        cache.clear()
        froide.append(_duree(client, url))
    return statistics.median(page), statistics.median(sol), statistics.median(froide)


def mesurer_vitesse(slug):
    """Sans l'instrumentation des gabarits propre aux tests (setup_test_environment fait émettre un signal et copier
    le contexte à chaque gabarit rendu, chaque widget de formulaire compris) : elle n'existe pas en production et
    pèserait sur la page bien plus que sur le plancher, qui ne rend qu'un gabarit."""
    teardown_test_environment()
    try:
        _mesurer_vitesse(slug)
    finally:
        setup_test_environment()


def _mesurer_vitesse(slug):
    client = Client()
    plancher = reverse("plancher")
    assert client.get(plancher).status_code == 302, "le plancher doit exiger la connexion, comme les pages"
    assert client.login(username=COMPTE_ORDINAIRE, password=MOT_DE_PASSE_DEMO)
    print(
        f"\n== Vitesse, compte « {COMPTE_ORDINAIRE} » (non superutilisateur) : médianes de {ALTERNANCES} requêtes "
        f"alternées page / plancher ; objectif ≤ {RATIO_MAXIMAL} × le plancher"
    )
    print(f"{'page':32} {'page':>11} {'plancher':>11} {'rapport':>8}   {'cache vide':>11} {'rapport':>8}")
    for nom, url in [
        ("contrat", reverse("pilotage:contrat", args=[slug])),
        ("fiche action 5", reverse("pilotage:action", args=[slug, "5"])),
        ("grille de suivi 2025", reverse("indicateurs:grille", args=[slug, 2025])),
        ("historique", reverse("pilotage:historique", args=[slug])),
    ]:
        page, sol, froide = comparer_au_plancher(client, url, plancher)
        verdict = "ok" if page <= RATIO_MAXIMAL * sol else "TROP LENT"
        print(
            f"{nom:32} {page * 1000:8.1f} ms {sol * 1000:8.1f} ms {page / sol:7.1f}×   "
            f"{froide * 1000:8.1f} ms {froide / sol:7.1f}×  {verdict}"
        )


def mesurer_pages():
    client = Client()
    client.login(username="admin", password="solidarites-demo")
    slug = "dijon-cls-2024-2027"
    print("== Pages (CLS de Dijon, compte admin ; cache rempli par l'échauffement)")
    print(f"{'page':45} {'médiane':>11} {'requêtes':>9} {'pic mém.':>11}")
    for nom, url in [
        ("accueil", reverse("accueil")),
        ("liste des contrats", reverse("pilotage:liste")),
        ("contrat", reverse("pilotage:contrat", args=[slug])),
        ("fiche action 5", reverse("pilotage:action", args=[slug, "5"])),
        ("contrôles de cohérence", reverse("coherence:constats", args=[slug])),
        ("grille de suivi 2025", reverse("indicateurs:grille", args=[slug, 2025])),
        ("exécution", reverse("finances:execution", args=[slug])),
        ("historique", reverse("pilotage:historique", args=[slug])),
    ]:
        duree, requetes, pic = mesurer(client, url)
        print(f"{nom:45} {duree * 1000:8.1f} ms {requetes:9d} {pic:8.1f} Mo")
    with override_settings(ROOT_URLCONF="benchmarks.urls"):
        mesurer_vitesse(slug)
