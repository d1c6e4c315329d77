"""Historique de l'évaluation à mi-parcours : chaque champ saisi (avant → après) et chaque changement de statut,
avec son motif (renvoi, réouverture)."""

from commun.historique import Changement, changements
from evaluation.models import CHAMPS_EVALUATION, EvaluationAction
from indicateurs.enums import StatutSuivi


def historique_evaluations(contrat) -> list[Changement]:
    """Une requête, quelle que soit la longueur de l'historique."""
    return changements(
        EvaluationAction.history.filter(action__contrat_id=contrat.pk).select_related("action"),
        {**CHAMPS_EVALUATION, "statut": "statut"},
        lambda h: f"Évaluation à mi-parcours – action {h.action.numero}",
        {"statut": lambda valeur: StatutSuivi(valeur).label if valeur else "—"},
    )
