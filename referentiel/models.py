"""Le référentiel national du Pacte des solidarités : ses quatre piliers, leurs imputations sur le programme 304, et
les indicateurs nationaux auxquels les indicateurs des contrats se rattachent pour être additionnés d'un contrat à
l'autre. Rien n'y figure que les instructions et les documents signés ne disent : chaque ligne porte sa source."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords


class Pilier(models.Model):
    """Un pilier du Pacte des solidarités et son imputation sur le programme 304 « Inclusion sociale et protection
    des personnes » (action, sous-action, activité de programmation des contrats avec les métropoles)."""

    numero = models.PositiveSmallIntegerField("numéro", unique=True)
    intitule = models.CharField("intitulé de l'axe", max_length=255)
    action_304 = models.CharField("action du programme 304", max_length=10)
    sous_action_304 = models.CharField("sous-action du programme 304", max_length=10, unique=True)
    libelle_sous_action = models.CharField("libellé de la sous-action", max_length=255)
    activite_metropoles = models.CharField(
        "activité de programmation (métropoles)", max_length=255, blank=True,
        help_text="Telle qu'écrite dans le contrat signé ; vide tant qu'aucun document ne la donne.",
    )  # fmt: skip
    code_activite_metropoles = models.CharField(
        "code activité (métropoles)", max_length=30, blank=True, help_text="Ex. 0304 50 23 23 02."
    )
    contrats_departementaux = models.BooleanField(
        "axe des contrats avec les départements",
        default=True,
        help_text="Décoché : l'axe n'est contractualisé qu'avec les métropoles (l'emploi est traité à part avec les "
        "départements).",
    )
    source = models.CharField("source", max_length=500)

    history = HistoricalRecords()

    class Meta:
        ordering = ["numero"]
        verbose_name = "pilier du Pacte des solidarités"
        verbose_name_plural = "piliers du Pacte des solidarités"
        constraints = [
            models.CheckConstraint(
                condition=Q(numero__gte=1),
                name="pilier_numero_positif",
                violation_error_message="Un pilier est numéroté à partir de 1.",
            )
        ]

    def __str__(self):
        return f"Pilier {self.numero} – {self.intitule}"


class IndicateurNationalQuerySet(models.QuerySet):
    def actifs(self):
        return self.filter(actif=True).select_related("pilier")


class IndicateurNational(models.Model):
    """Un indicateur du référentiel national, par axe (pilier) : les indicateurs des contrats qui s'y rattachent
    sont additionnés d'un contrat à l'autre, année par année. Modifiable par l'administration centrale ; chacun dit
    d'où il vient (instruction, guide méthodologique, document signé)."""

    pilier = models.ForeignKey(Pilier, on_delete=models.PROTECT, related_name="indicateurs_nationaux")
    ordre = models.PositiveSmallIntegerField(default=0)
    libelle = models.CharField("libellé", max_length=500)
    unite = models.CharField("unité", max_length=100, blank=True)
    source = models.CharField(
        "source", max_length=500, help_text="Le texte qui définit l'indicateur : instruction, guide, document signé."
    )
    actif = models.BooleanField(default=True, help_text="Décoché : l'indicateur n'est plus proposé au rattachement.")
    modifie_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    modifie_le = models.DateTimeField("modifié le", null=True, blank=True)

    history = HistoricalRecords()
    objects = IndicateurNationalQuerySet.as_manager()

    class Meta:
        ordering = ["pilier__numero", "ordre", "libelle"]
        verbose_name = "indicateur national"
        verbose_name_plural = "indicateurs nationaux"
        constraints = [
            models.UniqueConstraint(
                fields=["pilier", "libelle"],
                name="indicateur_national_unique",
                violation_error_message="Cet indicateur national existe déjà pour ce pilier.",
            ),
            models.CheckConstraint(
                condition=~Q(source=""),
                name="indicateur_national_source",
                violation_error_message="Indiquez la source de l'indicateur national.",
            ),
        ]

    def __str__(self):
        return self.libelle
