"""Mesures des rapports PDF : durée du rapport à mi-parcours, pic de mémoire, et part de WeasyPrint (mise en page
et rendu, HTML(...).write_pdf) face à tout le reste (requêtes, calculs, graphiques pygal, gabarits).

`mesurer_rapports()` suppose une base de test prête, avec les données réelles chargées (comme le fait
`benchmarks/__main__.py`) ; `python -m benchmarks.rapports` la prépare lui-même, sur une base jetable."""

import os
import resource
import statistics
import sys
import time
import tracemalloc
from decimal import Decimal
from io import BytesIO
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402

REPETITIONS = 3
OBJECTIFS = "objectif pour le CLS de Dijon : < 2 000 ms, < 200 Mo, hors WeasyPrint < 10 %"


def _contrat_de_20_actions():
    """Un contrat fictif de 20 actions (4 axes), budget sur 4 ans, 2 indicateurs par action, valeurs et récits
    saisis pour les deux premières années : la taille d'un gros contrat local des solidarités."""
    from actions.models import Action
    from contrats.enums import RoleSignataire, TypeContrat, TypeOrganisation
    from contrats.models import Axe, Contrat, Organisation, Signataire
    from finances.enums import Financeur
    from finances.models import LigneBudgetaire
    from indicateurs.models import Cible, Indicateur, Realisation, RecitAction

    collectivite, _ = Organisation.objects.get_or_create(
        slug="metropole-banc-d-essai",
        defaults={"nom": "Métropole du banc d'essai", "type": TypeOrganisation.METROPOLE},
    )
    prefecture, _ = Organisation.objects.get_or_create(
        slug="prefecture-banc-d-essai",
        defaults={"nom": "Préfecture du banc d'essai", "type": TypeOrganisation.PREFECTURE},
    )
    contrat = Contrat.objects.create(
        slug="banc-d-essai-20-actions",
        type=TypeContrat.CLS,
        titre="Contrat local des solidarités 2024-2027 (banc d'essai, 20 actions)",
        annee_debut=2024,
        annee_fin=2027,
        departement="99",
        collectivite=collectivite,
    )
    Signataire.objects.create(
        contrat=contrat, organisation=prefecture, role=RoleSignataire.ETAT, representant="Préfet"
    )
    Signataire.objects.create(
        contrat=contrat, organisation=collectivite, role=RoleSignataire.COLLECTIVITE, representant="Président"
    )
    axes = [Axe.objects.create(contrat=contrat, numero=n, intitule=f"Axe d'intervention n°{n}") for n in range(1, 5)]
    texte = "Accompagner les publics les plus éloignés, en lien avec les partenaires du territoire. " * 4
    for n in range(1, 21):
        action = Action.objects.create(
            contrat=contrat,
            axe=axes[(n - 1) % 4],
            numero=str(n),
            ordre=n * 1000,
            intitule=f"Action de solidarité n°{n} : accès aux droits, à l'emploi et au logement",
            objectif_principal=texte,
            public_cible="Personnes en situation de précarité",
            partenaires="Associations, CCAS, bailleurs sociaux",
            calendrier="du 1er janvier 2024 au 31 décembre 2027",
        )
        for annee in contrat.annees:
            for financeur in (Financeur.ETAT, Financeur.COLLECTIVITE):
                LigneBudgetaire.objects.create(action=action, annee=annee, financeur=financeur, montant=Decimal(15000))
        for rang in range(2):
            indicateur = Indicateur.objects.create(
                action=action, ordre=rang, libelle=f"Nombre de personnes accompagnées ({rang + 1})", t0=Decimal(100)
            )
            for annee in contrat.annees:
                Cible.objects.create(indicateur=indicateur, annee=annee, valeur=Decimal(120 + 10 * (annee - 2024)))
            for annee in (2024, 2025):
                Realisation.objects.create(indicateur=indicateur, annee=annee, valeur=Decimal(110 + n))
        for annee in (2024, 2025):
            RecitAction.objects.create(
                action=action, annee=annee, resultats=texte, difficultes="Recrutement difficile.", perspectives=texte
            )
    return contrat


def _mesurer(contrat) -> dict:
    from pypdf import PdfReader

    from rapports import pdf as module_pdf
    from rapports.cles import CleRapport
    from rapports.enums import TypeRapport

    cle = CleRapport(TypeRapport.MI_PARCOURS)
    mise_en_page = module_pdf.html_vers_pdf
    durees_weasyprint = []

    def chronometree(html, **options):
        debut = time.perf_counter()
        try:
            return mise_en_page(html, **options)
        finally:
            durees_weasyprint.append(time.perf_counter() - debut)

    requetes = []

    def compter(execute, sql, params, many, context):
        requetes.append(sql)
        return execute(sql, params, many, context)

    module_pdf.html_vers_pdf = chronometree
    try:
        module_pdf.document_pdf(contrat, cle)  # échauffement (gabarits, polices)
        totaux, parts = [], []
        for _ in range(REPETITIONS):
            durees_weasyprint.clear()
            requetes.clear()
            debut = time.perf_counter()
            with connection.execute_wrapper(compter):
                contenu = module_pdf.document_pdf(contrat, cle)
            totaux.append(time.perf_counter() - debut)
            parts.append(sum(durees_weasyprint))
        tracemalloc.start()
        module_pdf.document_pdf(contrat, cle)
        _, pic = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    finally:
        module_pdf.html_vers_pdf = mise_en_page
    total, weasyprint = statistics.median(totaux), statistics.median(parts)
    return {
        "total": total,
        "weasyprint": weasyprint,
        "reste": total - weasyprint,
        "pic": pic / 1e6,
        # tracemalloc ne voit que les allocations Python ; Pango, HarfBuzz et cairo allouent aussi en C :
        # le pic de mémoire résidente du processus (depuis son lancement) complète la mesure.
        "rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "pages": len(PdfReader(BytesIO(contenu)).pages),
        "requetes": len(requetes),
    }


def mesurer_rapports() -> list[dict]:
    """Rapport à mi-parcours du CLS de Dijon et d'un contrat fictif de 20 actions : médiane de trois PDF."""
    from contrats.models import Contrat

    resultats = []
    print(f"\nRapport à mi-parcours (PDF) – médiane de {REPETITIONS} ; {OBJECTIFS}")
    print(
        f"{'contrat':32} {'pages':>5} {'total':>9} {'WeasyPrint':>17} {'hors WeasyPrint':>17} "
        f"{'pic mém.':>9} {'RSS max':>9} {'requêtes':>8}"
    )
    with transaction.atomic():
        contrats = [
            ("CLS Dijon (8 actions)", Contrat.objects.avec_collectivite().get(slug="dijon-cls-2024-2027")),
            ("contrat fictif de 20 actions", _contrat_de_20_actions()),
        ]
        for nom, contrat in contrats:
            m = _mesurer(contrat)
            m["contrat"] = nom
            resultats.append(m)
            print(
                f"{nom:32} {m['pages']:5d} {m['total'] * 1000:6.0f} ms "
                f"{m['weasyprint'] * 1000:6.0f} ms ({m['weasyprint'] / m['total']:4.0%}) "
                f"{m['reste'] * 1000:6.0f} ms ({m['reste'] / m['total']:4.0%}) "
                f"{m['pic']:6.1f} Mo {m['rss']:6.0f} Mo {m['requetes']:8d}"
            )
        transaction.set_rollback(True)  # le contrat fictif ne reste pas en base
    return resultats


def main():
    from benchmarks.commun import base_jetable

    with base_jetable():
        mesurer_rapports()


if __name__ == "__main__":
    main()
