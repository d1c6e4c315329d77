from django.conf import settings
from django.db import models
from django.utils import timezone

from notifications.enums import StatutCourriel, TypeNotification


class NotificationQuerySet(models.QuerySet):
    def de(self, user):
        return self.filter(destinataire=user).select_related("contrat")

    def non_lues(self):
        return self.filter(lue_le__isnull=True)


class Notification(models.Model):
    """Ce qu'une personne doit savoir pour agir (une année soumise, renvoyée, validée, commentée ; une échéance
    proche ou dépassée) : listé dans sa boîte de l'application et envoyé une fois par courriel.

    `cle` nomme l'événement (« suivi:12:soumettre:2026-03-01T10:00 », « rappel:echeance:45:j7 ») : une seule
    notification par événement et par personne, quel que soit le nombre d'exécutions des rappels."""

    destinataire = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    cle = models.CharField("clé de l'événement", max_length=200)
    type = models.CharField(max_length=20, choices=TypeNotification.choices)
    titre = models.CharField(max_length=255)
    texte = models.TextField(blank=True)
    lien = models.CharField("adresse dans l'application", max_length=500, blank=True)
    contrat = models.ForeignKey(
        "contrats.Contrat", on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    cree_le = models.DateTimeField("créée le", default=timezone.now, db_index=True)
    lue_le = models.DateTimeField("lue le", null=True, blank=True)
    courriel = models.CharField(
        "courriel", max_length=20, choices=StatutCourriel.choices, default=StatutCourriel.A_ENVOYER
    )
    courriel_le = models.DateTimeField("courriel envoyé le", null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-cree_le", "-pk"]
        verbose_name = "notification"
        verbose_name_plural = "notifications"
        constraints = [
            models.UniqueConstraint(
                fields=["destinataire", "cle"],
                name="notification_une_par_evenement",
                violation_error_message="Cette personne a déjà reçu cette notification.",
            )
        ]
        indexes = [models.Index(fields=["destinataire", "lue_le"], name="notification_non_lues")]

    def __str__(self):
        return f"{self.titre} → {self.destinataire}"

    @property
    def lue(self) -> bool:
        return self.lue_le is not None
