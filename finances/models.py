from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from finances.enums import Financeur

MONTANT_MAX = Decimal("999999999.99")
montant_kwargs = {
    "max_digits": 11,
    "decimal_places": 2,
    "validators": [MinValueValidator(Decimal("0"), "Un montant ne peut pas être négatif.")],
}


class Avenant(models.Model):
    """Un avenant fixe ou modifie des montants annuels : une nouvelle version du budget, datée."""

    contrat = models.ForeignKey("contrats.Contrat", on_delete=models.CASCADE, related_name="avenants")
    numero = models.PositiveSmallIntegerField("numéro")
    date = models.DateField("date de signature")
    deliberation = models.ForeignKey(
        "contrats.Deliberation", on_delete=models.SET_NULL, null=True, blank=True, related_name="avenants"
    )
    objet = models.TextField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["contrat", "date", "numero"]
        verbose_name = "avenant"
        verbose_name_plural = "avenants"
        constraints = [
            models.UniqueConstraint(
                fields=["contrat", "numero"],
                name="avenant_numero_unique",
                violation_error_message="Ce numéro d'avenant existe déjà pour le contrat.",
            ),
            models.CheckConstraint(
                condition=Q(numero__gte=1),
                name="avenant_numero_positif",
                violation_error_message="Un avenant est numéroté à partir de 1.",
            ),
        ]

    def __str__(self):
        return f"Avenant n°{self.numero} du {self.date:%d/%m/%Y}"


class LigneBudgetaireQuerySet(models.QuerySet):
    def du_contrat(self, contrat):
        return self.filter(action__contrat=contrat)

    def initiales(self):
        return self.filter(avenant__isnull=True)


class LigneBudgetaire(models.Model):
    action = models.ForeignKey("actions.Action", on_delete=models.CASCADE, related_name="lignes_budgetaires")
    annee = models.PositiveSmallIntegerField("année")
    financeur = models.CharField(max_length=20, choices=Financeur.choices)
    montant = models.DecimalField("montant (€)", **montant_kwargs)
    avenant = models.ForeignKey(
        Avenant,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lignes",
        help_text="Vide : montant du contrat initial.",
    )

    history = HistoricalRecords()
    objects = LigneBudgetaireQuerySet.as_manager()

    class Meta:
        ordering = ["action", "annee", "financeur"]
        verbose_name = "ligne budgétaire"
        verbose_name_plural = "lignes budgétaires"
        constraints = [
            models.UniqueConstraint(
                fields=["action", "annee", "financeur"],
                condition=Q(avenant__isnull=True),
                name="ligne_budgetaire_unique",
                violation_error_message="Une seule ligne par action, année et financeur.",
            ),
            models.UniqueConstraint(
                fields=["action", "annee", "financeur", "avenant"],
                condition=Q(avenant__isnull=False),
                name="ligne_budgetaire_unique_par_avenant",
                violation_error_message="Une seule ligne par action, année et financeur dans un même avenant.",
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
            contrat.verifier_annee(self.annee)
            if self.avenant_id and self.avenant.contrat_id != contrat.pk:
                raise ValidationError({"avenant": "Cet avenant appartient à un autre contrat."})


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
        if self.contrat_id and self.annee:
            self.contrat.verifier_annee(self.annee)
        if self.axe_id and self.contrat_id and self.axe.contrat_id != self.contrat_id:
            raise ValidationError({"axe": "Cet axe appartient à un autre contrat."})


class ExecutionQuerySet(models.QuerySet):
    def du_contrat(self, contrat):
        return self.filter(action__contrat=contrat)


class Execution(models.Model):
    """Ce qui a été engagé et payé (réalisé) sur une action, une année, pour un financeur."""

    action = models.ForeignKey("actions.Action", on_delete=models.CASCADE, related_name="executions")
    annee = models.PositiveSmallIntegerField("année")
    financeur = models.CharField(max_length=20, choices=Financeur.choices)
    engage = models.DecimalField("engagé (€)", **montant_kwargs)
    realise = models.DecimalField("réalisé – payé (€)", **montant_kwargs)
    justification = models.TextField(
        "justification de la sous-consommation", blank=True, help_text="Présentée au dialogue de gestion."
    )

    history = HistoricalRecords()
    objects = ExecutionQuerySet.as_manager()

    class Meta:
        ordering = ["action", "annee", "financeur"]
        verbose_name = "exécution"
        verbose_name_plural = "exécutions"
        constraints = [
            models.UniqueConstraint(
                fields=["action", "annee", "financeur"],
                name="execution_unique",
                violation_error_message="Une seule exécution par action, année et financeur.",
            ),
            models.CheckConstraint(
                condition=Q(engage__gte=0, realise__gte=0),
                name="execution_positive",
                violation_error_message="Un montant ne peut pas être négatif.",
            ),
        ]

    def __str__(self):
        return f"{self.action} – {self.annee} – {self.get_financeur_display()}"

    def clean(self):
        if self.action_id and self.annee:
            self.action.contrat.verifier_annee(self.annee)


class Versement(models.Model):
    """Un paiement de l'État reçu sur le compte de la collectivité."""

    contrat = models.ForeignKey("contrats.Contrat", on_delete=models.CASCADE, related_name="versements")
    date = models.DateField("date du versement")
    annee = models.PositiveSmallIntegerField("exercice")
    montant = models.DecimalField("montant (€)", **montant_kwargs)
    axe = models.ForeignKey("contrats.Axe", on_delete=models.PROTECT, null=True, blank=True, related_name="versements")
    imputation = models.CharField(
        "imputation (programme 304)",
        max_length=255,
        blank=True,
        help_text="Action et sous-action du programme 304, par exemple « action 23, sous-action 23 ».",
    )
    code_activite = models.CharField(
        "code activité", max_length=30, blank=True, help_text="Par exemple 0304 50 23 23 02."
    )
    compte = models.CharField("compte crédité", max_length=255, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["contrat", "date"]
        verbose_name = "versement"
        verbose_name_plural = "versements"
        constraints = [
            models.CheckConstraint(
                condition=Q(montant__gt=0),
                name="versement_positif",
                violation_error_message="Un versement est un montant strictement positif.",
            )
        ]

    def __str__(self):
        return f"Versement du {self.date:%d/%m/%Y} : {self.montant} €"

    def clean(self):
        if self.contrat_id and self.annee:
            self.contrat.verifier_annee(self.annee, mot="L'exercice")
        if self.axe_id and self.contrat_id and self.axe.contrat_id != self.contrat_id:
            raise ValidationError({"axe": "Cet axe appartient à un autre contrat."})
