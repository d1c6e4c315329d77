from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q, Sum
from simple_history.models import HistoricalRecords

from finances.enums import Financeur

MONTANT_MAX = Decimal("999999999.99")
montant_kwargs = {
    "max_digits": 11,
    "decimal_places": 2,
    "validators": [MinValueValidator(Decimal("0"), "Un montant ne peut pas être négatif.")],
}


class LigneBudgetaireQuerySet(models.QuerySet):
    def du_contrat(self, contrat):
        return self.filter(action__contrat=contrat)

    def totaux_par(self, *champs):
        """Sommes groupées par les champs donnés, calculées par la base (jamais stockées)."""
        return self.values(*champs).annotate(total=Sum("montant")).order_by(*champs)


class LigneBudgetaire(models.Model):
    action = models.ForeignKey("actions.Action", on_delete=models.CASCADE, related_name="lignes_budgetaires")
    annee = models.PositiveSmallIntegerField("année")
    financeur = models.CharField(max_length=20, choices=Financeur.choices)
    montant = models.DecimalField("montant (€)", **montant_kwargs)

    history = HistoricalRecords()
    objects = LigneBudgetaireQuerySet.as_manager()

    class Meta:
        ordering = ["action", "annee", "financeur"]
        verbose_name = "ligne budgétaire"
        verbose_name_plural = "lignes budgétaires"
        constraints = [
            models.UniqueConstraint(
                fields=["action", "annee", "financeur"],
                name="ligne_budgetaire_unique",
                violation_error_message="Une seule ligne par action, année et financeur.",
            ),
            models.CheckConstraint(
                condition=Q(montant__gte=0),
                name="ligne_budgetaire_montant_positif",
                violation_error_message="Un montant ne peut pas être négatif.",
            ),
        ]

    def __str__(self):
        return f"{self.action} – {self.annee} – {self.get_financeur_display()} : {self.montant} €"

    def clean(self):
        if self.action_id and self.annee:
            contrat = self.action.contrat
            if not contrat.contient_annee(self.annee):
                raise ValidationError(
                    {"annee": f"L'année {self.annee} est hors de la période du contrat ({contrat.periode})."}
                )


class MontantAnnonce(models.Model):
    """Un montant écrit dans le texte du contrat (répartition par axe, total annuel), confronté aux lignes."""

    contrat = models.ForeignKey("contrats.Contrat", on_delete=models.CASCADE, related_name="montants_annonces")
    axe = models.ForeignKey(
        "contrats.Axe", on_delete=models.CASCADE, null=True, blank=True, related_name="montants_annonces"
    )
    annee = models.PositiveSmallIntegerField("année")
    financeur = models.CharField(max_length=20, choices=Financeur.choices)
    montant = models.DecimalField("montant (€)", **montant_kwargs)
    provisoire = models.BooleanField(default=False, help_text="Montant prévisionnel, à fixer par avenant.")
    source = models.CharField("article ou tableau", max_length=255, blank=True)

    class Meta:
        ordering = ["contrat", "annee", "axe__numero", "financeur"]
        verbose_name = "montant annoncé"
        verbose_name_plural = "montants annoncés"
        constraints = [
            models.UniqueConstraint(
                fields=["contrat", "axe", "annee", "financeur", "source"],
                name="montant_annonce_unique_axe",
                condition=Q(axe__isnull=False),
                violation_error_message="Ce montant est déjà annoncé pour cet axe.",
            ),
            models.UniqueConstraint(
                fields=["contrat", "annee", "financeur", "source"],
                name="montant_annonce_unique_contrat",
                condition=Q(axe__isnull=True),
                violation_error_message="Ce montant est déjà annoncé pour le contrat.",
            ),
            models.CheckConstraint(
                condition=Q(montant__gte=0),
                name="montant_annonce_positif",
                violation_error_message="Un montant ne peut pas être négatif.",
            ),
        ]

    def __str__(self):
        portee = f"axe {self.axe.numero}" if self.axe_id else "contrat"
        return f"{self.annee} – {self.get_financeur_display()} – {portee} : {self.montant} €"

    def clean(self):
        if self.contrat_id and self.annee and not self.contrat.contient_annee(self.annee):
            raise ValidationError(
                {"annee": f"L'année {self.annee} est hors de la période du contrat ({self.contrat.periode})."}
            )
        if self.axe_id and self.contrat_id and self.axe.contrat_id != self.contrat_id:
            raise ValidationError({"axe": "Cet axe appartient à un autre contrat."})
