import rules
from django import template

from notifications.models import Notification

register = template.Library()


@register.simple_tag
def notifications_non_lues(user) -> int:
    """Le nombre de notifications non lues de la personne connectée (barre de navigation) : une requête."""
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(destinataire=user, lue_le__isnull=True).count()


@register.simple_tag
def regle(nom: str, user, objet=None) -> bool:
    """La règle `nom` (comptes/rules.py) pour cette personne, sans passer par les permissions de Django (aucune
    requête) : pour les liens de la barre de navigation."""
    return rules.has_perm(nom, user, objet)
