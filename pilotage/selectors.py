"""Lectures qui croisent les applications pour les pages de pilotage (liste des contrats, accueil)."""

from django.db import models

from finances.models import LigneBudgetaire


def avec_totaux(contrats):
    """Nombre d'actions et budget total de chaque contrat (lignes du contrat initial et des avenants)."""
    budget = (
        LigneBudgetaire.objects.filter(action__contrat=models.OuterRef("pk"))
        .values("action__contrat")
        .annotate(s=models.Sum("montant"))
        .values("s")
    )
    return contrats.annotate(nb_actions=models.Count("actions", distinct=True), budget_total=models.Subquery(budget))
