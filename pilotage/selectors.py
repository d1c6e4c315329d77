"""Lectures qui croisent les applications pour les pages de pilotage (liste des contrats)."""

from django.db import models

from contrats.enums import TypeClause
from finances.selectors import budgets_en_vigueur


def contrats_avec_totaux(contrats) -> list:
    """Les contrats, chacun avec son nombre d'actions et son budget total en vigueur (montants des avenants compris,
    jamais additionnés à ceux qu'ils remplacent) : deux requêtes, quel que soit le nombre de contrats."""
    contrats = list(contrats.annotate(nb_actions=models.Count("actions", distinct=True)))
    totaux = budgets_en_vigueur(contrats)
    for contrat in contrats:
        contrat.budget_total = totaux.get(contrat.pk)
    return contrats


def clauses_du_contrat(contrat) -> list[tuple[str, object]]:
    """Chaque clause que l'application lit (durée, préavis, bénéficiaire, comptable…) : celle du document, avec son
    article, ou None quand le document ne la donne pas (« non précisé »). Une requête."""
    clauses = {c.type: c for c in contrat.clauses.select_related("article")}
    return [(libelle, clauses.get(type_)) for type_, libelle in TypeClause.choices]
