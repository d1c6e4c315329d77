"""Téléchargement répété d'un PDF de rapport : servi depuis le cache (rapports/cache_pdf.py), rapporté au plancher
du cadriciel (objectif ≤ 3 ×), avec le cache de la mémoire du processus puis celui de la base (défaut en
production). Pour information : le premier téléchargement (mise en page)."""

import logging
import statistics
import time

from django.core.cache import cache
from django.core.management import call_command
from django.test import Client, override_settings
from django.test.utils import setup_test_environment, teardown_test_environment
from django.urls import reverse

from benchmarks.pages import COMPTE_ORDINAIRE, comparer_au_plancher
from comptes.services import MOT_DE_PASSE_DEMO

RATIO_MAXIMAL = 3
CACHES = {
    "mémoire du processus": {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "bench-pdf"}
    },
    "base de données": {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "cache_application"}
    },
}


def _premier(client, url) -> float:
    cache.clear()
    debut = time.perf_counter()
    assert client.get(url).status_code == 200
    return time.perf_counter() - debut


def mesurer_cache_pdf(slug="dijon-cls-2024-2027"):
    journal = logging.getLogger("commun.requetes")
    niveau = journal.level
    journal.setLevel(logging.WARNING)  # une ligne par requête : du bruit au milieu des mesures
    teardown_test_environment()
    try:
        with override_settings(ROOT_URLCONF="benchmarks.urls"):
            client = Client()
            assert client.login(username=COMPTE_ORDINAIRE, password=MOT_DE_PASSE_DEMO)
            url = reverse("rapports:pdf", args=[slug, "mi-parcours"])
            print(
                f"\n== PDF du rapport à mi-parcours, téléchargement répété (servi depuis le cache), compte "
                f"« {COMPTE_ORDINAIRE} » ; objectif ≤ {RATIO_MAXIMAL} × le plancher"
            )
            print(f"{'cache':24} {'répété':>11} {'plancher':>11} {'rapport':>8}   {'premier':>11} {'rapport':>8}")
            for nom, caches in CACHES.items():
                with override_settings(CACHES=caches):
                    call_command("createcachetable", verbosity=0)
                    premier = statistics.median(_premier(client, url) for _ in range(3))
                    page, sol, _ = comparer_au_plancher(client, url, reverse("plancher"), alternances=51)
                    verdict = "ok" if page <= RATIO_MAXIMAL * sol else "TROP LENT"
                    print(
                        f"{nom:24} {page * 1000:8.1f} ms {sol * 1000:8.1f} ms {page / sol:7.1f}×   "
                        f"{premier * 1000:8.0f} ms {premier / sol:7.0f}×  {verdict}"
                    )
                    cache.clear()
    finally:
        setup_test_environment()
        journal.setLevel(niveau)
