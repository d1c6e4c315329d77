from django.db import transaction
from django.utils import timezone

from referentiel.models import IndicateurNational


@transaction.atomic
def indicateur_national_enregistrer(*, user, indicateur: IndicateurNational) -> IndicateurNational:
    """Crée ou modifie un indicateur national (l'historique garde chaque version et son auteur)."""
    indicateur.modifie_par = user
    indicateur.modifie_le = timezone.now()
    indicateur._history_user = user
    indicateur.full_clean()
    indicateur.save()
    return indicateur
