"""Temps, requêtes SQL et mémoire des pages d'un contrat."""

import statistics
import time
import tracemalloc

from django.db import connection
from django.test import Client
from django.urls import reverse


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


def mesurer_pages():
    client = Client()
    client.login(username="admin", password="solidarites-demo")
    slug = "dijon-cls-2024-2027"
    print("== Pages (CLS de Dijon)")
    print(f"{'page':45} {'médiane':>11} {'requêtes':>9} {'pic mém.':>11}")
    for nom, url in [
        ("accueil", reverse("accueil")),
        ("liste des contrats", reverse("pilotage:liste")),
        ("contrat", reverse("pilotage:contrat", args=[slug])),
        ("fiche action 5", reverse("pilotage:action", args=[slug, "5"])),
        ("contrôles de cohérence", reverse("pilotage:coherence", args=[slug])),
        ("grille de suivi 2025", reverse("indicateurs:grille", args=[slug, 2025])),
        ("exécution", reverse("finances:execution", args=[slug])),
        ("historique", reverse("pilotage:historique", args=[slug])),
    ]:
        duree, requetes, pic = mesurer(client, url)
        print(f"{nom:45} {duree * 1000:8.1f} ms {requetes:9d} {pic:8.1f} Mo")
