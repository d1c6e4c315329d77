from django.conf import settings
from django.db import models

from comptes.enums import EvenementAcces, Role


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


class JournalAccesQuerySet(models.QuerySet):
    def anterieurs_a(self, limite):
        return self.filter(date__lt=limite)


class JournalAcces(models.Model):
    """Qui s'est connecté, a échoué, a été bloqué ou s'est vu refuser une page, quand et depuis quelle adresse.
    Conservé CONSERVATION_JOURNAUX_MOIS mois (`manage.py purger_journaux`)."""

    date = models.DateTimeField(auto_now_add=True, db_index=True)
    evenement = models.CharField("événement", max_length=20, choices=EvenementAcces.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name="utilisateur",
    )  # fmt: skip
    # L'identifiant saisi (un échec peut porter sur un compte qui n'existe pas).
    identifiant = models.CharField(max_length=150, blank=True)
    adresse = models.GenericIPAddressField("adresse IP", null=True, blank=True)
    chemin = models.CharField(max_length=500, blank=True)

    objects = JournalAccesQuerySet.as_manager()

    class Meta:
        verbose_name = "entrée du journal des accès"
        verbose_name_plural = "journal des accès"
        ordering = ["-date"]

    def __str__(self):
        return f"{self.date:%d/%m/%Y %H:%M} {self.get_evenement_display()} {self.identifiant}"
