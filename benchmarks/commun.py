"""Outils communs aux mesures : base jetable, contrats générés en masse, chronométrage et mémoire."""

import contextlib
import statistics
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path


def chronometrer(fonction, repetitions=5):
    """(médiane en secondes, pic mémoire Python en Mo) ; la mémoire est mesurée à part, tracemalloc ralentit."""
    fonction()  # échauffement
    durees = []
    for _ in range(repetitions):
        debut = time.perf_counter()
        fonction()
        durees.append(time.perf_counter() - debut)
    tracemalloc.start()
    fonction()
    _, pic = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return statistics.median(durees), pic / 1e6


def generer_contrats(nombre: int, actions_par_contrat: int, prefixe: str = "bench"):
    """Contrats de la taille nationale (116 CLS) : 4 axes, N actions, lignes État et collectivité 2024-2027,
    un indicateur et ses 4 cibles par action. Insertion en masse."""
    from actions.models import Action
    from contrats.enums import RoleSignataire, TypeContrat, TypeOrganisation
    from contrats.models import Axe, Contrat, Organisation, Signataire
    from finances.models import LigneBudgetaire
    from indicateurs.models import Cible, Indicateur

    etat, _ = Organisation.objects.get_or_create(
        slug=f"{prefixe}-prefecture", defaults={"nom": "Préfecture (mesure)", "type": TypeOrganisation.PREFECTURE}
    )
    contrats = []
    for n in range(nombre):
        collectivite = Organisation.objects.create(
            slug=f"{prefixe}-collectivite-{n}", nom=f"Métropole {n}", type=TypeOrganisation.METROPOLE, departement="99"
        )
        contrats.append(
            Contrat(
                slug=f"{prefixe}-{n}", type=TypeContrat.CLS, titre=f"Contrat local des solidarités {n}",
                annee_debut=2024, annee_fin=2027, departement="99", collectivite=collectivite,
            )
        )  # fmt: skip
    Contrat.objects.bulk_create(contrats)
    contrats = list(Contrat.objects.filter(slug__startswith=f"{prefixe}-").exclude(slug__contains="-collectivite"))
    Signataire.objects.bulk_create(
        [Signataire(contrat=c, organisation=c.collectivite, role=RoleSignataire.COLLECTIVITE) for c in contrats]
        + [Signataire(contrat=c, organisation=etat, role=RoleSignataire.ETAT) for c in contrats]
    )
    Axe.objects.bulk_create([Axe(contrat=c, numero=a, intitule=f"Axe {a}") for c in contrats for a in range(1, 5)])
    axes = {(a.contrat_id, a.numero): a for a in Axe.objects.filter(contrat__in=contrats)}
    Action.objects.bulk_create(
        [
            Action(contrat=c, axe=axes[(c.pk, 1 + i % 4)], numero=str(i + 1), ordre=(i + 1) * 1000,
                   intitule=f"Action {i + 1} du contrat {c.pk}")
            for c in contrats
            for i in range(actions_par_contrat)
        ]
    )  # fmt: skip
    actions = list(Action.objects.filter(contrat__in=contrats))
    LigneBudgetaire.objects.bulk_create(
        [
            LigneBudgetaire(action=a, annee=annee, financeur=f, montant=Decimal("12500"))
            for a in actions
            for annee in range(2024, 2028)
            for f in ("etat", "collectivite")
        ]
    )
    Indicateur.objects.bulk_create(
        [Indicateur(action=a, libelle=f"Personnes accompagnées ({a.pk})", t0=10) for a in actions]
    )
    Cible.objects.bulk_create(
        [Cible(indicateur=i, annee=annee, valeur=20) for i in Indicateur.objects.filter(action__in=actions)
         for annee in range(2024, 2028)]
    )  # fmt: skip
    return contrats


@contextlib.contextmanager
def base_jetable():
    """Une base de test jetable, chargée des données réelles et des comptes de démonstration, détruite à la fin."""
    from django.conf import settings
    from django.test.utils import get_runner, setup_test_environment

    from comptes.services import comptes_demo_creer
    from pilotage.chargement import donnees_charger

    setup_test_environment()
    runner = get_runner(settings)(verbosity=0, interactive=False)
    anciennes = runner.setup_databases()
    try:
        donnees_charger(dossier=Path(settings.BASE_DIR) / "fixtures")
        comptes_demo_creer()
        yield
    finally:
        runner.teardown_databases(anciennes)
