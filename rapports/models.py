from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from commun.formats import periode
from rapports.cles import CleRapport
from rapports.enums import TYPES_DELIBERATION, MoyenTransmission, TypeRapport


class VersionRapportQuerySet(models.QuerySet):
    def du_contrat(self, contrat):
        return (
            self.filter(contrat=contrat)
            .select_related("auteur__profil__organisation", "transmise_par__profil__organisation")
            .defer("pdf")
        )

    def du_document(self, contrat, cle: CleRapport):
        """Les versions figées d'un document du contrat (son type, la première année de sa période), la plus récente
        d'abord."""
        return self.du_contrat(contrat).filter(type=cle.type, annee=cle.annees(contrat)[0])


class VersionRapport(models.Model):
    """Un document figé « pour transmission » : les octets du PDF tels qu'envoyés au préfet, jamais recalculés."""

    contrat = models.ForeignKey("contrats.Contrat", on_delete=models.PROTECT, related_name="versions_rapports")
    type = models.CharField(max_length=30, choices=TypeRapport.choices)
    annee = models.PositiveSmallIntegerField(
        "année", help_text="Année du rapport annuel ; première année de la période pour la mi-parcours."
    )
    pdf = models.BinaryField("PDF")
    sha256 = models.CharField("empreinte SHA-256", max_length=64)
    taille = models.PositiveIntegerField("taille (octets)")
    variante = models.CharField("variante PDF", max_length=20, blank=True)
    cree_le = models.DateTimeField("figée le", default=timezone.now)
    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Figée alors que le document n'était pas prêt : ce qui manquait, et pourquoi on l'a figée quand même.
    manques = models.TextField("manquait au moment de figer", blank=True)
    reserve = models.TextField("motif de la version figée malgré les manques", blank=True)
    transmise = models.BooleanField("transmise au préfet", default=False)
    # La date réelle de l'envoi, saisie (jamais postérieure au jour de l'enregistrement).
    transmise_le = models.DateField("transmise le", null=True, blank=True)
    transmise_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    destinataire = models.CharField("destinataire", max_length=255, blank=True)
    moyen = models.CharField("moyen de transmission", max_length=20, choices=MoyenTransmission.choices, blank=True)

    objects = VersionRapportQuerySet.as_manager()

    class Meta:
        ordering = ["-cree_le", "-pk"]
        verbose_name = "version figée d'un rapport"
        verbose_name_plural = "versions figées des rapports"
        constraints = [
            models.CheckConstraint(
                condition=Q(transmise=False, transmise_le__isnull=True)
                | Q(transmise=True, transmise_le__isnull=False),
                name="version_rapport_transmise_datee",
                violation_error_message="Une version transmise porte sa date de transmission, et seulement elle.",
            ),
            models.UniqueConstraint(
                fields=["contrat", "type", "annee"],
                condition=Q(transmise=True),
                name="version_rapport_une_transmise",
                violation_error_message="Une version de ce document a déjà été transmise au préfet.",
            ),
            models.CheckConstraint(
                condition=Q(sha256__regex=r"^[0-9a-f]{64}$"),
                name="version_rapport_sha256",
                violation_error_message="L'empreinte SHA-256 doit compter 64 caractères hexadécimaux.",
            ),
        ]

    def __str__(self):
        return f"{self.cle.libelle} {self.periode} – version du {timezone.localtime(self.cree_le):%d/%m/%Y %H:%M}"

    @property
    def cle(self) -> CleRapport:
        return CleRapport.du_stockage(self.type, self.annee)

    @property
    def periode(self) -> str:
        return periode(self.annee, self.annee + 1 if self.cle.est_mi_parcours else self.annee)

    @property
    def figee_le(self):
        return timezone.localtime(self.cree_le).date()

    @property
    def manques_liste(self) -> list[str]:
        return [ligne for ligne in self.manques.splitlines() if ligne.strip()]

    @property
    def nom_fichier(self) -> str:
        return self.cle.nom_fichier(self.contrat, self.periode, suffixe=f"-version-{self.pk}")

    def erreur_date_transmission(self, date) -> str:
        """La règle de la date de transmission : ni postérieure à aujourd'hui, ni antérieure à la version figée."""
        aujourd_hui = timezone.localdate()
        if date > aujourd_hui:
            return (
                f"La transmission ne peut pas être datée du {date:%d/%m/%Y}, postérieur à aujourd'hui "
                f"({aujourd_hui:%d/%m/%Y}) : elle s'enregistre une fois faite."
            )
        if self.cree_le and date < self.figee_le:
            return (
                f"La transmission ne peut pas précéder la version transmise, figée le {self.figee_le:%d/%m/%Y} "
                f"(date saisie : {date:%d/%m/%Y})."
            )
        return ""

    def clean(self):
        if self.transmise_le and (erreur := self.erreur_date_transmission(self.transmise_le)):
            raise ValidationError({"transmise_le": erreur})


class DeliberationRapport(models.Model):
    """Rattache la délibération qui approuve un rapport (son vote, ses présences) au rapport lui-même."""

    contrat = models.ForeignKey("contrats.Contrat", on_delete=models.CASCADE, related_name="deliberations_rapports")
    type = models.CharField(max_length=30, choices=[c for c in TypeRapport.choices if c[0] in TYPES_DELIBERATION])
    annee = models.PositiveSmallIntegerField(
        "année", help_text="Année du rapport annuel ; première année de la période pour la mi-parcours."
    )
    deliberation = models.OneToOneField(
        "contrats.Deliberation", on_delete=models.PROTECT, related_name="rapport_approuve"
    )

    class Meta:
        ordering = ["contrat", "type", "annee"]
        verbose_name = "délibération d'approbation d'un rapport"
        verbose_name_plural = "délibérations d'approbation des rapports"
        constraints = [
            models.UniqueConstraint(
                fields=["contrat", "type", "annee"],
                name="deliberation_rapport_unique",
                violation_error_message="Le vote de ce rapport est déjà enregistré.",
            ),
            models.CheckConstraint(
                condition=Q(type__in=TYPES_DELIBERATION),
                name="deliberation_rapport_type",
                violation_error_message="Seul un projet de délibération porte un vote.",
            ),
        ]

    def __str__(self):
        return f"{self.deliberation} ({self.contrat})"


# --- Génération par lots (rapports/lots.py) -------------------------------------------------------------------------


class StatutElementLot(models.TextChoices):
    A_FAIRE = "a_faire", "En attente"
    EN_COURS = "en_cours", "En cours"
    FAIT = "fait", "Généré"
    IGNORE = "ignore", "Sans objet"
    ERREUR = "erreur", "Erreur"


class LotRapportsQuerySet(models.QuerySet):
    def de(self, user):
        """Les lots lancés par la personne ; tous pour un administrateur."""
        from comptes.enums import Role

        profil = getattr(user, "profil", None)
        if user.is_superuser or (profil is not None and profil.role == Role.ADMINISTRATEUR):
            return self
        return self.filter(cree_par=user)

    def avec_avancement(self):
        termines = [StatutElementLot.FAIT, StatutElementLot.IGNORE, StatutElementLot.ERREUR]
        return self.select_related("cree_par__profil__organisation").annotate(
            total=models.Count("elements"),
            faits=models.Count("elements", filter=Q(elements__statut__in=termines)),
            erreurs=models.Count("elements", filter=Q(elements__statut=StatutElementLot.ERREUR)),
        )


class LotRapports(models.Model):
    """Une génération d'un même document pour plusieurs contrats, faite en tâches de fond (une par contrat) : les
    PDF produits vont dans le cache des PDF (rapports/cache_pdf.py), d'où leur téléchargement est immédiat."""

    type = models.CharField(max_length=30, choices=TypeRapport.choices)
    annee = models.PositiveSmallIntegerField("année", null=True, blank=True)
    cree_par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    cree_le = models.DateTimeField("lancé le", default=timezone.now)

    objects = LotRapportsQuerySet.as_manager()

    class Meta:
        ordering = ["-cree_le", "-pk"]
        verbose_name = "lot de rapports"
        verbose_name_plural = "lots de rapports"

    def __str__(self):
        annee = f" {self.annee}" if self.annee else ""
        return f"{self.cle.libelle}{annee} – lot du {timezone.localtime(self.cree_le):%d/%m/%Y %H:%M}"

    @property
    def cle(self) -> CleRapport:
        return CleRapport(self.type, self.annee)


class ElementLot(models.Model):
    """Le document d'un contrat dans un lot : son état et, en cas d'échec, pourquoi."""

    lot = models.ForeignKey(LotRapports, on_delete=models.CASCADE, related_name="elements")
    contrat = models.ForeignKey("contrats.Contrat", on_delete=models.CASCADE, related_name="+")
    statut = models.CharField(max_length=20, choices=StatutElementLot.choices, default=StatutElementLot.A_FAIRE)
    message = models.TextField(blank=True)
    fini_le = models.DateTimeField("fini le", null=True, blank=True)

    class Meta:
        ordering = ["lot", "contrat__titre"]
        verbose_name = "document d'un lot"
        verbose_name_plural = "documents d'un lot"
        constraints = [
            models.UniqueConstraint(
                fields=["lot", "contrat"],
                name="element_lot_unique",
                violation_error_message="Ce contrat figure déjà dans ce lot.",
            )
        ]

    def __str__(self):
        return f"{self.contrat} ({self.get_statut_display()})"

    @property
    def est_fait(self) -> bool:
        return self.statut == StatutElementLot.FAIT
