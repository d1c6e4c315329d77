"""Dépôt et suppression des documents d'un contrat : le fichier est vérifié (type par extension et contenu, taille),
rangé par le stockage par défaut, et chaque dépôt ou suppression entre dans l'historique (qui, quand, motif). Le
fichier d'un document supprimé, de quelque façon que ce soit, est effacé une fois la suppression validée
(documents/apps.py, commun/stockage.py)."""

import hashlib

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from commun.historique import enregistrer
from documents.formats import fichier_verifier
from documents.models import Document


def _empreinte(fichier) -> str:
    condensat = hashlib.sha256()
    fichier.seek(0)
    for morceau in fichier.chunks():
        condensat.update(morceau)
    fichier.seek(0)
    return condensat.hexdigest()


@transaction.atomic
def document_deposer(*, user, contrat, fichier, nature: str, titre: str = "", action=None) -> Document:
    """Vérifie et range le fichier avec le contrat. Si l'enregistrement échoue après l'écriture du fichier, le
    fichier est effacé. (Une transaction englobante annulée plus tard laisserait un fichier orphelin, sans ligne :
    jamais servi, puisque seul un document enregistré se télécharge.)"""
    format_ = fichier_verifier(fichier)
    if action is not None and action.contrat_id != contrat.pk:
        raise ValidationError("Cette action n'appartient pas à ce contrat.")
    nom = fichier.name.rsplit("/", 1)[-1]
    document = Document(
        contrat=contrat, nature=nature, titre=(titre or "").strip() or nom, action=action, nom=nom,
        taille=fichier.size, type_mime=format_.type_mime, empreinte=_empreinte(fichier), depose_par=user,
        depose_le=timezone.now(),
    )  # fmt: skip
    document.fichier.save(nom, fichier, save=False)
    try:
        enregistrer(document, user=user, motif=f"Dépôt de « {nom} »")
    except BaseException:
        document.fichier.delete(save=False)
        raise
    return document


def document_supprimer(*, user, document: Document, depuis_evaluation: bool = False) -> None:
    """Supprime le document et, une fois la suppression validée, son fichier (commun/stockage.py, comme pour toute
    suppression d'un document) ; l'historique garde qui l'a supprimé et quand. Une pièce justificative se retire
    depuis l'évaluation de son action, verrou compris."""
    if document.est_piece_justificative and not depuis_evaluation:
        raise ValidationError(
            f"Cette pièce justificative se retire depuis l'évaluation à mi-parcours de l'action "
            f"{document.action.numero}."
        )
    with transaction.atomic():
        document._history_user = user
        document._change_reason = f"Suppression de « {document.nom} »"
        document.delete()
