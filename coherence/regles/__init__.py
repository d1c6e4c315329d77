"""Les règles de cohérence, une par module : le nom du module dit ce qu'il vérifie. Chaque module expose REGLES
(code → la règle, en une phrase) et verifier(dossier) → liste de constats."""

from coherence.regles import (
    axes,
    bilans,
    budget,
    dates,
    fiches,
    indicateurs,
    listes,
    parties,
    personnes,
    publics,
    quartiers,
)

MODULES = [budget, indicateurs, fiches, axes, publics, bilans, parties, listes, dates, personnes, quartiers]
REGLES = {code: texte for module in MODULES for code, texte in module.REGLES.items()}


def verifier(dossier) -> list:
    return [constat for module in MODULES for constat in module.verifier(dossier)]
