from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from actions.enums import NatureAction


class ActionQuerySet(models.QuerySet):
    def du_contrat(self, contrat):
        return self.filter(contrat=contrat).select_related("axe", "sous_axe")

    def pour_tableaux(self, contrat):
        """Les seuls champs des tableaux (budget, exécution, exports) : pas les longs textes des fiches."""
        return (
            self.filter(contrat=contrat)
            .select_related("axe")
            .only(
                "contrat_id",
                "numero",
                "ordre",
                "intitule",
                "nature",
                "axe__numero",
                "axe__intitule",
                "axe__code_activite",
                "axe__pilier",
            )  # fmt: skip
            .order_by("axe__numero", "ordre", "numero")
        )


class Action(models.Model):
    """Une fiche action du contrat."""

    contrat = models.ForeignKey("contrats.Contrat", on_delete=models.CASCADE, related_name="actions")
    axe = models.ForeignKey("contrats.Axe", on_delete=models.PROTECT, related_name="actions", null=True, blank=True)
    sous_axe = models.ForeignKey(
        "contrats.SousAxe", on_delete=models.PROTECT, related_name="actions", null=True, blank=True
    )
    numero = models.CharField("numéro", max_length=10, help_text="Ex. 1 ou 1.1")
    ordre = models.PositiveIntegerField(default=0, help_text="Rang d'affichage, déduit du numéro.")
    intitule = models.CharField("intitulé", max_length=500)
    intitule_fiche = models.CharField(
        "intitulé sur la fiche", max_length=500, blank=True, help_text="Quand la fiche titre autrement que le tableau."
    )
    entete_fiche = models.CharField(
        "en-tête d'axe de la fiche", max_length=500, blank=True, help_text="Tel qu'imprimé sur la fiche signée."
    )
    constats = models.TextField("constats et problématiques", blank=True)
    objectif_principal = models.TextField("objectif principal", blank=True)
    objectifs_operationnels = models.TextField("objectifs opérationnels", blank=True)
    calendrier = models.TextField(blank=True)
    public_cible = models.TextField("public cible", blank=True)
    territoire = models.TextField(blank=True)
    nature = models.CharField(max_length=30, choices=NatureAction.choices, blank=True)
    renforcement_file_active = models.BooleanField("renforcée : file active accrue", default=False)
    renforcement_nouveaux_publics = models.BooleanField("renforcée : nouveaux publics", default=False)
    renforcement_nouveaux_territoires = models.BooleanField("renforcée : nouveaux territoires", default=False)
    nature_precision = models.TextField("précision sur la nature", blank=True)
    pilotage = models.TextField("pilotage et suivi", blank=True)
    porteur = models.TextField(blank=True)
    partenaires = models.TextField(blank=True)
    interactions = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="citee_par", verbose_name="interactions"
    )
    interactions_texte = models.TextField("interactions (texte de la fiche)", blank=True)
    indicateur_fiche = models.TextField("indicateur (texte de la fiche)", blank=True)
    budget_estime = models.TextField("budget estimé (texte de la fiche)", blank=True)
    engagements = models.TextField("engagements des partenaires", blank=True)
    resultats_attendus = models.TextField("résultats attendus", blank=True)

    history = HistoricalRecords(m2m_fields=[interactions])
    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["contrat", "ordre", "numero"]
        verbose_name = "fiche action"
        verbose_name_plural = "fiches actions"
        constraints = [
            models.UniqueConstraint(
                fields=["contrat", "numero"],
                name="action_numero_unique",
                violation_error_message="Ce numéro d'action existe déjà dans le contrat.",
            ),
            models.CheckConstraint(
                condition=Q(nature=NatureAction.EXISTANTE_RENFORCEE)
                | Q(
                    renforcement_file_active=False,
                    renforcement_nouveaux_publics=False,
                    renforcement_nouveaux_territoires=False,
                ),
                name="action_renforcement_si_existante",
                violation_error_message=(
                    "Les modalités de renforcement ne concernent qu'une action existante renforcée."
                ),
            ),
        ]

    def __str__(self):
        return f"Action {self.numero} – {self.intitule}"

    @property
    def renforcement_non_precise(self) -> bool:
        """Action existante renforcée dont la fiche ne dit pas en quoi (file active, publics, territoires)."""
        modalites = (
            self.renforcement_file_active,
            self.renforcement_nouveaux_publics,
            self.renforcement_nouveaux_territoires,
        )
        return self.nature == NatureAction.EXISTANTE_RENFORCEE and not any(modalites)

    @property
    def precision_nature(self) -> str:
        """Le texte de la fiche sur la nature, s'il en dit plus que la nature déjà affichée : ni sa simple répétition
        (« action existante renforcée ») ni un « oui » (réponse de la fiche à « action nouvelle ? »)."""
        texte = self.nature_precision.strip()
        redites = {"oui", self.get_nature_display().casefold()} if self.nature else set()
        return "" if texte.rstrip(" .").casefold() in redites else texte

    def clean(self):
        from django.core.exceptions import ValidationError

        erreurs = {}
        if self.axe_id and self.contrat_id and self.axe.contrat_id != self.contrat_id:
            erreurs["axe"] = "Cet axe appartient à un autre contrat."
        if self.sous_axe_id and self.sous_axe.axe_id != self.axe_id:
            erreurs["sous_axe"] = "Ce sous-axe n'appartient pas à l'axe de l'action."
        if erreurs:
            raise ValidationError(erreurs)

    @staticmethod
    def ordre_depuis_numero(numero: str) -> int:
        """« 2.3 » → 2003, « 10 » → 10000 : tri naturel des numéros de fiche."""
        parties = [int(p) for p in numero.replace("-", ".").split(".") if p.isascii() and p.isdigit()] + [0]
        return parties[0] * 1000 + parties[1]


class Jalon(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="jalons")
    annee = models.PositiveSmallIntegerField("année")
    libelle = models.TextField("libellé")

    class Meta:
        ordering = ["action", "annee", "pk"]
        verbose_name = "jalon"
        verbose_name_plural = "jalons"

    def __str__(self):
        return f"{self.annee} : {self.libelle[:60]}"

    def clean(self):

        if self.action_id and self.annee:
            self.action.contrat.verifier_annee(self.annee)
