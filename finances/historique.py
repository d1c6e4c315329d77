"""Historique des montants du budget (contrat initial et avenants)."""

from commun.historique import Changement, changements
from finances.enums import Financeur
from finances.models import LigneBudgetaire


def historique_budget(contrat) -> list[Changement]:
    return changements(
        LigneBudgetaire.history.filter(action__contrat_id=contrat.pk).select_related(
            "history_user", "action", "avenant"
        ),
        {"montant": "montant"},
        lambda h: (
            f"Action {h.action.numero} – budget {h.annee} – {Financeur(h.financeur).label}"
            + (f" (avenant n°{h.avenant.numero})" if h.avenant_id else "")
        ),
    )
