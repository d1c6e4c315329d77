"""Historique des montants du budget (contrat initial et avenants)."""

from functools import cache

from commun.historique import Changement, changements
from finances.enums import Financeur
from finances.models import Avenant, LigneBudgetaire


def historique_budget(contrat) -> list[Changement]:
    @cache
    def numeros_des_avenants_supprimes() -> dict[int, int]:
        # Une ligne d'historique peut citer un avenant supprimé depuis : son numéro est lu dans l'historique des
        # avenants (une requête, seulement s'il y en a un).
        return dict(
            Avenant.history.filter(contrat_id=contrat.pk).order_by("id", "history_date").values_list("id", "numero")
        )

    def avenant(h) -> str:
        if not h.avenant_id:
            return ""
        if h.avenant is not None:
            return f" (avenant n°{h.avenant.numero})"
        numero = numeros_des_avenants_supprimes().get(h.avenant_id)
        return f" (avenant n°{numero}, supprimé)" if numero is not None else " (avenant supprimé)"

    return changements(
        LigneBudgetaire.history.filter(action__contrat_id=contrat.pk).select_related(
            "history_user", "action", "avenant"
        ),
        {"montant": "montant"},
        lambda h: f"Action {h.action.numero} – budget {h.annee} – {Financeur(h.financeur).label}" + avenant(h),
    )
