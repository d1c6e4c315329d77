"""Mesures de performance (`make bench`) : temps et requêtes SQL des pages d'un contrat, sur une base jetable.

Les objectifs de vitesse se mesurent ici, jamais dans des tests chronométrés."""

import os
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402


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


def main():
    from django.test.utils import get_runner

    setup_test_environment()
    runner = get_runner(settings)(verbosity=0, interactive=False)
    anciennes = runner.setup_databases()
    try:
        from comptes.services import comptes_demo_creer
        from contrats.services import donnees_charger

        donnees_charger(dossier=Path(settings.BASE_DIR) / "fixtures")
        comptes_demo_creer()
        client = Client()
        client.login(username="finances", password="solidarites-demo")
        print(f"{'page':55} {'médiane':>9} {'requêtes':>9} {'pic mém.':>9}")
        for nom, url in [
            ("liste des contrats", reverse("contrats:liste")),
            ("contrat CLS Dijon", reverse("contrats:detail", args=["dijon-cls-2024-2027"])),
            ("fiche action 5", reverse("contrats:action", args=["dijon-cls-2024-2027", "5"])),
            ("contrôles de cohérence", reverse("contrats:coherence", args=["dijon-cls-2024-2027"])),
            ("saisie du budget 2025", reverse("contrats:budget_annee", args=["dijon-cls-2024-2027", 2025])),
        ]:
            duree, requetes, pic = mesurer(client, url)
            print(f"{nom:55} {duree * 1000:7.1f} ms {requetes:9d} {pic:7.1f} Mo")
    finally:
        runner.teardown_databases(anciennes)


if __name__ == "__main__":
    main()
