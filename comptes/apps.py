from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class ComptesConfig(AppConfig):
    default = True
    name = "comptes"
    verbose_name = "Comptes et rôles"

    def ready(self):
        from comptes import journal  # noqa: F401 (récepteurs des signaux de connexion)


class AdministrationConfig(admin_apps.AdminConfig):
    """L'administration de Django avec le site de comptes/admin_site.py (réservé aux administrateurs)."""

    default = False
    default_site = "comptes.admin_site.SiteAdministration"
