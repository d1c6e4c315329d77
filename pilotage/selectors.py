"""Lectures qui croisent les applications pour les pages de pilotage (liste des contrats)."""

from django.db import models

from finances.selectors import budgets_en_vigueur


def contrats_avec_totaux(contrats) -> list:
    """Les contrats, chacun avec son nombre d'actions et son budget total en vigueur (montants des avenants compris,
    jamais additionnés à ceux qu'ils remplacent) : deux requêtes, quel que soit le nombre de contrats."""
    contrats = list(contrats.annotate(nb_actions=models.Count("actions", distinct=True)))
    totaux = budgets_en_vigueur(contrats)
    for contrat in contrats:
        contrat.budget_total = totaux.get(contrat.pk)
    return contrats
