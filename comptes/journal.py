"""Journal des accès : connexions réussies et échouées, blocages, déconnexions et refus (403), avec l'utilisateur,
l'identifiant saisi, la date et l'adresse du client (lue comme django-axes la lit, derrière le mandataire inverse)."""

from axes.helpers import get_client_ip_address
from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from comptes.enums import EvenementAcces
from comptes.models import JournalAcces
from comptes.session import activite_noter


def acces_noter(evenement: str, *, request=None, user=None, identifiant: str = "") -> JournalAcces:
    if user is not None and not user.is_authenticated:
        user = None
    if user is not None and not identifiant:
        identifiant = user.get_username()
    adresse = get_client_ip_address(request) if request is not None else None
    return JournalAcces.objects.create(
        evenement=evenement,
        user=user,
        identifiant=identifiant[:150],
        adresse=adresse or None,
        chemin=request.path[:500] if request is not None else "",
    )


def _identifiant(credentials) -> str:
    return str((credentials or {}).get(get_user_model().USERNAME_FIELD) or "")


@receiver(user_logged_in, dispatch_uid="comptes_connexion")
def _connexion(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        activite_noter(request.session)
    acces_noter(EvenementAcces.CONNEXION, request=request, user=user)


@receiver(user_login_failed, dispatch_uid="comptes_echec")
def _echec(sender, credentials, request=None, **kwargs):
    acces_noter(EvenementAcces.ECHEC, request=request, identifiant=_identifiant(credentials))


@receiver(user_locked_out, dispatch_uid="comptes_blocage")
def _blocage(sender, request, username=None, ip_address=None, **kwargs):
    acces_noter(EvenementAcces.BLOCAGE, request=request, identifiant=username or "")


@receiver(user_logged_out, dispatch_uid="comptes_deconnexion")
def _deconnexion(sender, request, user, **kwargs):
    if user is not None:
        acces_noter(EvenementAcces.DECONNEXION, request=request, user=user)
