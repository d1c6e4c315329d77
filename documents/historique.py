"""Historique des documents d'un contrat : qui a déposé, modifié ou supprimé quel document, et quand."""

from commun.formats import nom_et_organisation
from commun.historique import AUTEUR, Changement
from documents.models import Document

EVENEMENTS = {"+": "déposé", "~": "modifié", "-": "supprimé"}


def historique_documents(contrat) -> list[Changement]:
    """Une requête, quelle que soit la longueur de l'historique."""
    return [
        Changement(
            date=v.history_date,
            utilisateur=nom_et_organisation(v.history_user),
            objet=f"{v.get_nature_display()} « {v.titre} »",
            champ="document",
            avant="—",
            apres=f"{EVENEMENTS.get(v.history_type, v.history_type)} ({v.nom})",
            motif=v.history_change_reason or "",
            type=EVENEMENTS.get(v.history_type, v.history_type),
        )
        for v in Document.history.filter(contrat_id=contrat.pk).select_related(AUTEUR).order_by("history_date")
    ]
