from django.conf import settings
from django.db import models

from comptes.enums import Role


class Profil(models.Model):
    """Rattache un utilisateur à une organisation et à un rôle : tout droit en découle."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profil")
    organisation = models.ForeignKey("contrats.Organisation", on_delete=models.PROTECT, related_name="profils")
    role = models.CharField("rôle", max_length=30, choices=Role.choices)

    class Meta:
        verbose_name = "profil"
        verbose_name_plural = "profils"

    def __str__(self):
        return f"{self.user} – {self.get_role_display()} ({self.organisation})"
