"""L'administration de Django, réservée aux administrateurs de la plateforme (superutilisateur, ou rôle
« administrateur » avec l'accès à l'administration) : toute autre personne connectée reçoit la page 403 en
français ; une personne non connectée passe par la page de connexion de l'application."""

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from comptes.enums import Role


def est_administrateur_plateforme(user) -> bool:
    if not (user.is_active and user.is_authenticated):
        return False
    if user.is_superuser:
        return True
    profil = getattr(user, "profil", None)
    return user.is_staff and profil is not None and profil.role == Role.ADMINISTRATEUR


class SiteAdministration(admin.AdminSite):
    site_header = "Contrats des solidarités – administration"
    site_title = "Administration"

    def has_permission(self, request):
        return est_administrateur_plateforme(request.user)

    def admin_view(self, view, cacheable=False):
        vue = super().admin_view(view, cacheable)

        def enveloppe(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path(), reverse("login"))
            if not self.has_permission(request):
                raise PermissionDenied("L'administration est réservée aux administrateurs de la plateforme.")
            return vue(request, *args, **kwargs)

        enveloppe.admin_site = self
        return enveloppe

    def login(self, request, extra_context=None):
        """Une seule page de connexion (blocage après échecs, mot de passe oublié) : celle de l'application."""
        if request.user.is_authenticated:
            raise PermissionDenied("L'administration est réservée aux administrateurs de la plateforme.")
        return redirect_to_login(request.GET.get("next") or reverse("admin:index"), reverse("login"))
