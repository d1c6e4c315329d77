"""Écritures de la cohérence : examiner un constat (avec un commentaire, gardé dans l'historique), le rouvrir."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from coherence.models import ExamenConstat
from coherence.selectors import suivi_des_constats
from commun.historique import enregistrer


def _suivi(contrat, cle: str, empreinte: str):
    suivi = next((s for s in suivi_des_constats(contrat) if s.constat.cle == cle), None)
    if suivi is None:
        raise ValidationError("Ce constat n'existe plus : les données ont changé depuis l'affichage de la page.")
    if suivi.constat.empreinte != empreinte:
        raise ValidationError(
            "Ce constat a changé depuis l'affichage de la page (les données qu'il cite ont été modifiées) : "
            "relisez-le avant de l'examiner."
        )
    return suivi


@transaction.atomic
def constat_examiner(*, contrat, cle: str, empreinte: str, commentaire: str, user) -> ExamenConstat:
    """Le constat, tel que l'utilisateur l'a lu (même empreinte), n'appelle plus d'action, pour la raison dite."""
    commentaire = (commentaire or "").strip()
    if not commentaire:
        raise ValidationError("Dites en un commentaire pourquoi ce constat n'appelle plus d'action.")
    suivi = _suivi(contrat, cle, empreinte)
    examen = ExamenConstat.objects.select_for_update().filter(contrat=contrat, cle=cle).first()
    examen = examen or ExamenConstat(contrat=contrat, cle=cle)
    examen.empreinte = suivi.constat.empreinte
    examen.commentaire = commentaire
    examen.examine_par = user
    examen.examine_le = timezone.now()
    return enregistrer(examen, user=user, motif=commentaire)


@transaction.atomic
def constat_rouvrir(*, contrat, cle: str, user, motif: str = "") -> None:
    """Le constat redevient ouvert ; l'examen retiré reste dans l'historique."""
    examen = ExamenConstat.objects.select_for_update().filter(contrat=contrat, cle=cle).first()
    if examen is None:
        raise ValidationError("Ce constat n'était pas examiné.")
    examen._history_user = user
    examen._change_reason = (motif or "").strip() or "Constat rouvert"
    examen.delete()
