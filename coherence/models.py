"""L'examen d'un constat de cohérence : une partie au contrat l'a lu et dit pourquoi il n'appelle plus d'action.

Un examen vaut pour les données qu'il a vues : il retient l'empreinte du constat (ce que celui-ci cite). Si les
données derrière le constat changent, l'empreinte aussi, et le constat redevient ouvert."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords


class ExamenConstat(models.Model):
    contrat = models.ForeignKey("contrats.Contrat", on_delete=models.CASCADE, related_name="examens_constats")
    cle = models.CharField("constat", max_length=255, help_text="Règle et lieu du constat.")
    empreinte = models.CharField("empreinte des données examinées", max_length=64)
    commentaire = models.TextField()
    examine_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="examiné par"
    )
    examine_le = models.DateTimeField("examiné le")

    history = HistoricalRecords()

    class Meta:
        ordering = ["contrat", "cle"]
        verbose_name = "examen d'un constat"
        verbose_name_plural = "examens des constats"
        constraints = [
            models.UniqueConstraint(
                fields=["contrat", "cle"], name="examen_unique", violation_error_message="Ce constat est déjà examiné."
            )
        ]

    def __str__(self):
        return f"{self.cle} – examiné le {self.examine_le:%d/%m/%Y}"
