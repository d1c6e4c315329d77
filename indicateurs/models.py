from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from indicateurs.enums import Portee


class IndicateurQuerySet(models.QuerySet):
    def du_contrat(self, contrat):
        return (
            self.filter(action__contrat=contrat)
            .select_related("action", "action__axe")
            .prefetch_related("cibles")
            .order_by("action__ordre", "action__numero", "ordre", "pk")
        )


class Indicateur(models.Model):
    action = models.ForeignKey("actions.Action", on_delete=models.CASCADE, related_name="indicateurs")
    ordre = models.PositiveSmallIntegerField(default=0)
    libelle = models.CharField("libellé", max_length=500)
    unite = models.CharField("unité", max_length=100, blank=True)
    portee = models.CharField("portée", max_length=10, choices=Portee.choices, default=Portee.LOCAL)
    t0 = models.DecimalField(
        "situation T0", max_digits=14, decimal_places=2, null=True, blank=True, help_text="Vide = nd (non défini)."
    )
    commentaire = models.TextField(blank=True)

    history = HistoricalRecords()
    objects = IndicateurQuerySet.as_manager()

    class Meta:
        ordering = ["action", "ordre", "pk"]
        verbose_name = "indicateur"
        verbose_name_plural = "indicateurs"
        constraints = [
            models.UniqueConstraint(
                fields=["action", "libelle"],
                name="indicateur_libelle_unique",
                violation_error_message="Cet indicateur existe déjà pour l'action.",
            ),
            models.CheckConstraint(
                condition=Q(t0__gte=0) | Q(t0__isnull=True),
                name="indicateur_t0_positif",
                violation_error_message="La situation T0 ne peut pas être négative.",
            ),
        ]

    def __str__(self):
        return self.libelle


class Cible(models.Model):
    """Valeur cible d'un indicateur pour une année ; « nd » est un état à part entière, distinct de 0."""

    indicateur = models.ForeignKey(Indicateur, on_delete=models.CASCADE, related_name="cibles")
    annee = models.PositiveSmallIntegerField("année")
    valeur = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    nd = models.BooleanField("non définie (nd)", default=False)
    nd_motif = models.TextField("motif du nd", blank=True)
    nd_date_limite = models.DateField("à définir au plus tard le", null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["indicateur", "annee"]
        verbose_name = "cible"
        verbose_name_plural = "cibles"
        constraints = [
            models.UniqueConstraint(
                fields=["indicateur", "annee"],
                name="cible_unique_par_annee",
                violation_error_message="Une seule cible par indicateur et par année.",
            ),
            models.CheckConstraint(
                condition=Q(nd=True, valeur__isnull=True) | Q(nd=False, valeur__isnull=False),
                name="cible_nd_ou_valeur",
                violation_error_message="Une cible est soit une valeur, soit « nd » (non définie), jamais les deux.",
            ),
            models.CheckConstraint(
                condition=Q(nd=False) | ~Q(nd_motif=""),
                name="cible_nd_motive",
                violation_error_message="Une cible « nd » doit indiquer pourquoi elle n'est pas définie.",
            ),
            models.CheckConstraint(
                condition=Q(valeur__gte=0) | Q(valeur__isnull=True),
                name="cible_valeur_positive",
                violation_error_message="Une valeur cible ne peut pas être négative.",
            ),
        ]

    def __str__(self):
        return f"{self.indicateur} – {self.annee} : {'nd' if self.nd else self.valeur}"

    def clean(self):
        if self.indicateur_id and self.annee:
            contrat = self.indicateur.action.contrat
            if not contrat.contient_annee(self.annee):
                raise ValidationError(
                    {"annee": f"L'année {self.annee} est hors de la période du contrat ({contrat.periode})."}
                )


class Bilan(models.Model):
    """Bilan annuel approuvé par une délibération (ex. bilan 2023 de la CALPAE)."""

    contrat = models.ForeignKey("contrats.Contrat", on_delete=models.CASCADE, related_name="bilans")
    deliberation = models.OneToOneField(
        "contrats.Deliberation", on_delete=models.PROTECT, related_name="bilan", null=True, blank=True
    )
    annee = models.PositiveSmallIntegerField("année")
    montant_etat = models.DecimalField("soutien de l'État (€)", max_digits=14, decimal_places=2, null=True, blank=True)
    depenses_collectivite = models.DecimalField(
        "dépenses engagées par la collectivité (€)", max_digits=14, decimal_places=2, null=True, blank=True
    )

    class Meta:
        ordering = ["contrat", "annee"]
        verbose_name = "bilan annuel"
        verbose_name_plural = "bilans annuels"
        constraints = [
            models.UniqueConstraint(
                fields=["contrat", "annee"], name="bilan_unique", violation_error_message="Ce bilan existe déjà."
            ),
            models.CheckConstraint(
                condition=(Q(montant_etat__gte=0) | Q(montant_etat__isnull=True))
                & (Q(depenses_collectivite__gte=0) | Q(depenses_collectivite__isnull=True)),
                name="bilan_montants_positifs",
                violation_error_message="Les montants d'un bilan ne peuvent pas être négatifs.",
            ),
        ]

    def __str__(self):
        return f"Bilan {self.annee} – {self.contrat}"


class BilanRubrique(models.Model):
    bilan = models.ForeignKey(Bilan, on_delete=models.CASCADE, related_name="rubriques")
    ordre = models.PositiveSmallIntegerField(default=0)
    action = models.ForeignKey(
        "actions.Action", on_delete=models.SET_NULL, null=True, blank=True, related_name="bilan_rubriques"
    )
    intitule = models.CharField("intitulé", max_length=500)
    texte = models.TextField(blank=True)

    class Meta:
        ordering = ["bilan", "ordre", "pk"]
        verbose_name = "rubrique de bilan"
        verbose_name_plural = "rubriques de bilan"

    def __str__(self):
        return self.intitule


class BilanChiffre(models.Model):
    rubrique = models.ForeignKey(BilanRubrique, on_delete=models.CASCADE, related_name="chiffres")
    ordre = models.PositiveSmallIntegerField(default=0)
    libelle = models.CharField("libellé", max_length=500)
    valeur = models.DecimalField(max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["rubrique", "ordre", "pk"]
        verbose_name = "chiffre de bilan"
        verbose_name_plural = "chiffres de bilan"
        constraints = [
            models.CheckConstraint(
                condition=Q(valeur__gte=0),
                name="bilan_chiffre_positif",
                violation_error_message="Un chiffre de bilan ne peut pas être négatif.",
            )
        ]

    def __str__(self):
        return f"{self.valeur} {self.libelle}"
