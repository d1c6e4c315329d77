"""Connexion requise, délai d'inactivité de la session, saisies gardées après expiration, refus journalisés."""

from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import resolve_url
from django.urls import reverse

from commun.middleware import utilisateur_lu
from comptes.enums import EvenementAcces
from comptes.journal import acces_noter
from comptes.session import activite_noter, saisie_gardee, saisie_garder, saisie_oublier

# Adresses qui lisent l'état de la session sans la prolonger (la page interroge avant d'avertir).
SANS_PROLONGATION = {"comptes:session"}


class ConnexionRequiseMiddleware(LoginRequiredMiddleware):
    """La connexion de Django requise partout (sauf vues `login_not_required`). Un formulaire envoyé sans session
    (expirée pendant la saisie) n'est pas perdu : ses champs sont gardés dans la session de ce navigateur et, après
    la reconnexion, la page « reprise » propose de les renvoyer à la même adresse (comptes/views.py)."""

    def get_login_url(self, view_func):
        """Une seule page de connexion, y compris pour l'administration (qui propose sinon la sienne)."""
        return str(settings.LOGIN_URL)

    def handle_no_permission(self, request, view_func):
        if request.method == "POST" and request.POST:
            saisie_garder(request)
            return redirect_to_login(
                reverse("comptes:reprise"), resolve_url(self.get_login_url(view_func)), self.redirect_field_name
            )
        return super().handle_no_permission(request, view_func)


class ActiviteSessionMiddleware:
    """Prolonge la session d'une personne connectée à chaque requête (au plus une écriture par minute) ; oublie la
    saisie gardée dès qu'elle a été renvoyée à son adresse. N'ajoute aucune requête SQL : l'utilisateur n'est
    considéré que s'il a déjà été lu."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = utilisateur_lu(request)
        if user is None or not user.is_authenticated or not hasattr(request, "session"):
            return response
        nom = request.resolver_match.view_name if request.resolver_match else None
        if nom not in SANS_PROLONGATION:
            activite_noter(request.session)
        if request.method == "POST":
            gardee = saisie_gardee(request.session)
            if gardee and gardee["chemin"] == request.get_full_path():
                saisie_oublier(request.session)
        return response


class JournalRefusMiddleware:
    """Chaque refus d'accès (PermissionDenied, page 403) inscrit au journal des accès, puis rendu comme d'habitude."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, PermissionDenied):
            acces_noter(EvenementAcces.REFUS, request=request, user=getattr(request, "user", None))
        return None
