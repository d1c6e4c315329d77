from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from commun.formats import periode
from contrats.enums import (
    TYPES_ETAT,
    CategorieQuartier,
    Organe,
    RoleSignataire,
    TypeClause,
    TypeContrat,
    TypeEcheance,
    TypeOrganisation,
)
from referentiel.enums import Region


class Organisation(models.Model):
    slug = models.SlugField(unique=True, max_length=100)
    nom = models.CharField(max_length=255)
    sigle = models.CharField(max_length=50, blank=True)
    type = models.CharField(max_length=30, choices=TypeOrganisation.choices)
    departement = models.CharField(
        "département", max_length=3, blank=True, help_text="Code du département (ex. 21) pour les services de l'État."
    )
    region = models.CharField(
        "région", max_length=2, choices=Region.choices, blank=True,
        help_text="La préfecture de région voit les contrats des collectivités de sa région.",
    )  # fmt: skip

    class Meta:
        ordering = ["nom"]
        verbose_name = "organisation"
        verbose_name_plural = "organisations"

    def __str__(self):
        return self.nom

    @property
    def est_etat(self) -> bool:
        return self.type in TYPES_ETAT


class ContratQuerySet(models.QuerySet):
    def avec_collectivite(self):
        return self.select_related("collectivite")


class Contrat(models.Model):
    slug = models.SlugField(unique=True, max_length=100)
    type = models.CharField(max_length=40, choices=TypeContrat.choices)
    titre = models.CharField(max_length=255)
    annee_debut = models.PositiveSmallIntegerField("année de début")
    annee_fin = models.PositiveSmallIntegerField("année de fin")
    date_signature = models.DateField("date de signature", null=True, blank=True)
    lieu_signature = models.CharField("lieu de signature", max_length=100, blank=True)
    departement = models.CharField("département", max_length=3)
    collectivite = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="contrats_portes", verbose_name="collectivité"
    )
    objet = models.TextField(blank=True)
    preambule = models.TextField("préambule", blank=True)
    source = models.CharField("document source", max_length=255, blank=True)
    seuil_sous_consommation = models.PositiveSmallIntegerField(
        "seuil de sous-consommation (%)",
        default=80,
        help_text="En dessous de ce taux d'exécution, une action est signalée.",
    )
    fictif = models.BooleanField(
        "fictif (démonstration)",
        default=False,
        help_text="Contrat inventé pour la démonstration : chaque page, classeur et PDF le dit.",
    )
    organisations = models.ManyToManyField(Organisation, through="Signataire", related_name="contrats")
    # Incrémentée à chaque modification d'une donnée du contrat (contrats/versions.py) : les caches des pages, des
    # graphiques et des documents s'indexent dessus (commun/cache.py).
    version_donnees = models.PositiveIntegerField("version des données", default=0, editable=False)
    # La date de transmission au préfet du rapport de la dernière année : écrite par le service de transmission des
    # rapports. Une fois la période finie, le contrat est clos : en lecture seule, sauf pour les administrateurs.
    rapport_final_transmis_le = models.DateField("rapport final transmis le", null=True, blank=True)

    history = HistoricalRecords()
    objects = ContratQuerySet.as_manager()

    class Meta:
        ordering = ["-annee_debut", "titre"]
        verbose_name = "contrat"
        verbose_name_plural = "contrats"
        constraints = [
            models.CheckConstraint(
                condition=Q(annee_fin__gte=F("annee_debut")),
                name="contrat_periode_ordonnee",
                violation_error_message="L'année de fin doit être postérieure ou égale à l'année de début.",
            ),
            models.CheckConstraint(
                condition=Q(annee_debut__gte=2000, annee_fin__lte=2100),
                name="contrat_periode_plausible",
                violation_error_message="La période du contrat doit être comprise entre 2000 et 2100.",
            ),
            models.CheckConstraint(
                condition=Q(seuil_sous_consommation__lte=100),
                name="contrat_seuil_pourcentage",
                violation_error_message="Le seuil de sous-consommation est un pourcentage (0 à 100).",
            ),
        ]

    def __str__(self):
        return self.titre

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("pilotage:contrat", args=[self.slug])

    @property
    def annees(self) -> list[int]:
        return list(range(self.annee_debut, self.annee_fin + 1))

    @property
    def periode(self) -> str:
        return periode(self.annee_debut, self.annee_fin)

    @property
    def titre_complet(self) -> str:
        """Le titre, complété de ce qui distingue le contrat d'un autre du même nom quand le titre ne le dit pas : sa
        période, puis sa collectivité (« Contrat local des solidarités 2024-2027 – Dijon métropole »). Lit la
        collectivité : dans une liste, charger les contrats avec `avec_collectivite()`."""
        titre = self.titre
        if str(self.annee_debut) not in titre or str(self.annee_fin) not in titre:
            titre = f"{titre} ({self.periode})"
        # Le nom sans sa précision entre parenthèses : « Métropole de Valcourt (fictive) » est déjà nommée dans
        # « … – Métropole de Valcourt (fictif) ».
        if self.collectivite.nom.split(" (")[0].casefold() not in titre.casefold():
            titre = f"{titre} – {self.collectivite.nom}"
        return titre

    @property
    def clos(self) -> bool:
        """Période finie et rapport final transmis : le contrat ne se modifie plus (sauf par un administrateur)."""
        return self.rapport_final_transmis_le is not None and timezone.localdate().year > self.annee_fin

    @property
    def message_clos(self) -> str:
        return (
            f"Ce contrat est clos : sa période ({self.periode}) est finie et son rapport final a été transmis au "
            f"préfet le {self.rapport_final_transmis_le:%d/%m/%Y}. Il se consulte en lecture seule ; seul un "
            "administrateur peut encore le modifier."
        )

    def contient_annee(self, annee: int) -> bool:
        return self.annee_debut <= annee <= self.annee_fin

    def message_hors_periode(self, annee, mot: str = "L'année") -> str:
        return f"{mot} {annee} est hors de la période du contrat ({self.periode})."

    def verifier_annee(self, annee: int, champ: str | None = "annee", mot: str = "L'année") -> None:
        """La règle « années dans la période du contrat », avec son message, pour tous les modèles et services."""
        if not self.contient_annee(annee):
            message = self.message_hors_periode(annee, mot)
            raise ValidationError({champ: message} if champ else message)


class Signataire(models.Model):
    contrat = models.ForeignKey(Contrat, on_delete=models.CASCADE, related_name="signataires")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="signatures")
    role = models.CharField("rôle", max_length=20, choices=RoleSignataire.choices)
    representant = models.CharField("représentant", max_length=255, blank=True)
    qualite = models.CharField("qualité", max_length=500, blank=True)
    ordre = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["ordre", "pk"]
        verbose_name = "signataire"
        verbose_name_plural = "signataires"
        constraints = [
            models.UniqueConstraint(
                fields=["contrat", "organisation", "representant"],
                name="signataire_unique",
                violation_error_message="Ce signataire figure déjà au contrat.",
            )
        ]

    def __str__(self):
        return f"{self.organisation} ({self.representant})" if self.representant else str(self.organisation)


class Visa(models.Model):
    contrat = models.ForeignKey(Contrat, on_delete=models.CASCADE, related_name="visas")
    ordre = models.PositiveSmallIntegerField(default=0)
    texte = models.TextField()

    class Meta:
        ordering = ["ordre", "pk"]
        verbose_name = "visa"
        verbose_name_plural = "visas"

    def __str__(self):
        return self.texte[:80]


class Article(models.Model):
    """Un article du contrat, numéroté et recopié tel qu'il est signé."""

    contrat = models.ForeignKey(Contrat, on_delete=models.CASCADE, related_name="articles")
    ordre = models.PositiveSmallIntegerField(default=0)
    numero = models.CharField("numéro", max_length=20)
    titre = models.CharField(max_length=500, blank=True)
    texte = models.TextField(blank=True)

    class Meta:
        ordering = ["contrat", "ordre", "pk"]
        verbose_name = "article"
        verbose_name_plural = "articles"
        constraints = [
            models.UniqueConstraint(
                fields=["contrat", "ordre"],
                name="article_ordre_unique",
                violation_error_message="Un article occupe déjà cette place dans le contrat.",
            )
        ]

    def __str__(self):
        return f"Article {self.numero}" + (f" – {self.titre}" if self.titre else "")


class Clause(models.Model):
    """Une clause d'article que l'application utilise comme donnée (durée, préavis, bénéficiaire, comptable…),
    avec le texte exact qui la fixe et l'article d'où elle vient."""

    contrat = models.ForeignKey(Contrat, on_delete=models.CASCADE, related_name="clauses")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="clauses", null=True, blank=True)
    type = models.CharField(max_length=20, choices=TypeClause.choices)
    valeur = models.CharField(max_length=500, help_text="Ce que le document dit, tel qu'il le dit.")

    class Meta:
        ordering = ["contrat", "type", "pk"]
        verbose_name = "clause"
        verbose_name_plural = "clauses"
        constraints = [
            models.UniqueConstraint(
                fields=["contrat", "type"], name="clause_unique", violation_error_message="Cette clause existe déjà."
            )
        ]

    def __str__(self):
        return f"{self.get_type_display()} : {self.valeur}"

    def clean(self):
        if self.article_id and self.contrat_id and self.article.contrat_id != self.contrat_id:
            raise ValidationError({"article": "L'article doit appartenir au même contrat."})


class ChiffreDiagnostic(models.Model):
    """Un chiffre du diagnostic annexé au contrat : contexte sourcé, jamais un indicateur du contrat."""

    contrat = models.ForeignKey(Contrat, on_delete=models.CASCADE, related_name="chiffres_diagnostic")
    ordre = models.PositiveSmallIntegerField(default=0)
    theme = models.CharField("thème", max_length=255, blank=True)
    libelle = models.CharField("libellé", max_length=500)
    valeur = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    valeur_texte = models.CharField("valeur telle qu'écrite", max_length=100, blank=True)
    unite = models.CharField("unité", max_length=50, blank=True)
    territoire = models.CharField(max_length=255, blank=True)
    periode = models.CharField("date ou période", max_length=100, blank=True)
    source = models.CharField("source citée par le document", max_length=255, blank=True)

    class Meta:
        ordering = ["contrat", "ordre", "pk"]
        verbose_name = "chiffre du diagnostic"
        verbose_name_plural = "chiffres du diagnostic"

    def __str__(self):
        return f"{self.libelle} : {self.valeur_texte or self.valeur}"


class Axe(models.Model):
    contrat = models.ForeignKey(Contrat, on_delete=models.CASCADE, related_name="axes")
    numero = models.PositiveSmallIntegerField("numéro")
    intitule = models.CharField("intitulé", max_length=500)
    pilier = models.CharField("pilier national", max_length=255, blank=True)
    sous_action_304 = models.CharField("sous-action du programme 304", max_length=10, blank=True)
    code_activite = models.CharField(
        "code activité", max_length=30, blank=True, help_text="Imputation du programme 304, ex. 0304 50 23 23 02."
    )
    pilier_national = models.ForeignKey(
        "referentiel.Pilier", on_delete=models.PROTECT, null=True, blank=True, related_name="axes",
        verbose_name="pilier du référentiel national",
        help_text="Le pilier du Pacte des solidarités auquel l'axe se rattache : ses crédits s'y additionnent.",
    )  # fmt: skip

    history = HistoricalRecords()

    class Meta:
        ordering = ["contrat", "numero"]
        verbose_name = "axe"
        verbose_name_plural = "axes"
        constraints = [
            models.UniqueConstraint(
                fields=["contrat", "numero"],
                name="axe_numero_unique",
                violation_error_message="Ce numéro d'axe existe déjà dans le contrat.",
            ),
            models.CheckConstraint(
                condition=Q(numero__gte=1),
                name="axe_numero_positif",
                violation_error_message="Un axe est numéroté à partir de 1.",
            ),
        ]

    def __str__(self):
        return f"Axe {self.numero} – {self.intitule}"


class SousAxe(models.Model):
    axe = models.ForeignKey(Axe, on_delete=models.CASCADE, related_name="sous_axes")
    ordre = models.PositiveSmallIntegerField(default=0)
    intitule = models.CharField("intitulé", max_length=500)

    class Meta:
        ordering = ["axe", "ordre", "pk"]
        verbose_name = "sous-axe"
        verbose_name_plural = "sous-axes"
        constraints = [
            models.UniqueConstraint(
                fields=["axe", "intitule"],
                name="sous_axe_unique",
                violation_error_message="Ce sous-axe existe déjà dans l'axe.",
            )
        ]

    def __str__(self):
        return self.intitule


class Quartier(models.Model):
    contrat = models.ForeignKey(Contrat, on_delete=models.CASCADE, related_name="quartiers")
    nom = models.CharField(max_length=255)
    commune = models.CharField(max_length=255)
    categorie = models.CharField("catégorie", max_length=20, choices=CategorieQuartier.choices)

    class Meta:
        ordering = ["categorie", "commune", "nom"]
        verbose_name = "quartier"
        verbose_name_plural = "quartiers"
        constraints = [
            models.UniqueConstraint(
                fields=["contrat", "nom", "commune"],
                name="quartier_unique",
                violation_error_message="Ce quartier figure déjà au contrat.",
            )
        ]

    def __str__(self):
        return f"{self.nom} ({self.commune})"


class InstanceGouvernance(models.Model):
    contrat = models.ForeignKey(Contrat, on_delete=models.CASCADE, related_name="instances")
    ordre = models.PositiveSmallIntegerField(default=0)
    nom = models.CharField(max_length=255)
    composition = models.TextField(blank=True)
    role = models.TextField("rôle", blank=True)
    rythme = models.CharField("rythme de réunion", max_length=255, blank=True)

    class Meta:
        ordering = ["ordre", "pk"]
        verbose_name = "instance de gouvernance"
        verbose_name_plural = "instances de gouvernance"
        constraints = [
            models.UniqueConstraint(
                fields=["contrat", "nom"],
                name="instance_unique",
                violation_error_message="Cette instance existe déjà.",
            )
        ]

    def __str__(self):
        return self.nom


class DeliberationQuerySet(models.QuerySet):
    def du_contrat(self, contrat):
        return self.filter(contrat=contrat).select_related("organisation")


# Présences et scrutin : tous connus (délibération lue ou votée), ou aucun (délibération seulement citée).
COMPTES_DELIBERATION = (
    "membres",
    "membres_en_exercice",
    "presents",
    "procurations",
    "pour",
    "contre",
    "abstention",
    "ne_prend_pas_part",
)


class Deliberation(models.Model):
    """Une délibération d'une collectivité : lue en entier (présences, scrutin, exposé, décision) ou seulement citée
    par un document (« la délibération du conseil métropolitain du 17 septembre 2020 ») : date et objet, organe s'il
    est dit, et rien d'autre. Quand les comptes sont donnés, ils le sont tous et leur arithmétique est vérifiée par la
    base (une contrainte CHECK est satisfaite par des comptes vides)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="deliberations")
    contrat = models.ForeignKey(Contrat, on_delete=models.PROTECT, related_name="deliberations", null=True, blank=True)
    organe = models.CharField("organe délibérant", max_length=20, choices=Organe.choices, blank=True)
    date = models.DateField("date de séance")
    date_convocation = models.DateField("convocation envoyée le", null=True, blank=True)
    president = models.CharField("président", max_length=255, blank=True)
    secretaire = models.CharField("secrétaire de séance", max_length=255, blank=True)
    rubrique = models.CharField(max_length=255, blank=True)
    objet = models.CharField(max_length=500)
    membres = models.PositiveSmallIntegerField("nombre de membres", null=True, blank=True)
    membres_en_exercice = models.PositiveSmallIntegerField("membres en exercice", null=True, blank=True)
    presents = models.PositiveSmallIntegerField("présents participant au vote", null=True, blank=True)
    procurations = models.PositiveSmallIntegerField(null=True, blank=True)
    pour = models.PositiveSmallIntegerField(null=True, blank=True)
    contre = models.PositiveSmallIntegerField(null=True, blank=True)
    abstention = models.PositiveSmallIntegerField(null=True, blank=True)
    ne_prend_pas_part = models.PositiveSmallIntegerField("ne prend pas part au vote", null=True, blank=True)
    membres_presents = models.JSONField("membres présents", default=list, blank=True)
    membres_absents = models.JSONField(
        "membres absents", default=list, blank=True, help_text='Liste de {"nom": …, "pouvoir_a": … ou vide}.'
    )
    expose = models.TextField("exposé", blank=True)
    decision = models.TextField("décision", blank=True)

    history = HistoricalRecords()
    objects = DeliberationQuerySet.as_manager()

    class Meta:
        ordering = ["-date"]
        verbose_name = "délibération"
        verbose_name_plural = "délibérations"
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "organe", "date", "objet"],
                name="deliberation_unique",
                violation_error_message="Cette délibération est déjà enregistrée.",
            ),
            models.CheckConstraint(
                condition=Q(**{f"{champ}__isnull": True for champ in COMPTES_DELIBERATION})
                | Q(**{f"{champ}__isnull": False for champ in COMPTES_DELIBERATION}),
                name="deliberation_comptes_complets",
                violation_error_message=(
                    "Présences et scrutin se donnent ensemble : tous les nombres (membres, présents, procurations, "
                    "pour, contre, abstention, ne prend pas part), ou aucun pour une délibération seulement citée."
                ),
            ),
            models.CheckConstraint(
                condition=Q(membres_en_exercice__lte=F("membres")),
                name="deliberation_exercice_le_membres",
                violation_error_message=(
                    "Les membres en exercice ne peuvent dépasser le nombre de membres de l'instance."
                ),
            ),
            models.CheckConstraint(
                condition=Q(presents__lte=F("membres_en_exercice") - F("procurations")),
                name="deliberation_presents_procurations",
                violation_error_message=(
                    "Présents et procurations ensemble ne peuvent dépasser le nombre de membres en exercice."
                ),
            ),
            models.CheckConstraint(
                condition=Q(
                    pour=F("presents") + F("procurations") - F("contre") - F("abstention") - F("ne_prend_pas_part")
                ),
                name="deliberation_scrutin_votants",
                violation_error_message=(
                    "Le scrutin ne correspond pas aux votants : pour + contre + abstention + ne prend pas part "
                    "doit égaler présents + procurations."
                ),
            ),
            models.CheckConstraint(
                condition=Q(membres_en_exercice__lt=F("presents") * 2),
                name="deliberation_quorum",
                violation_error_message=(
                    "Quorum non atteint : la majorité des membres en exercice doit être présente."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.get_organe_display() or 'Délibération'} du {self.date:%d/%m/%Y} – {self.objet}"

    @property
    def comptes_connus(self) -> bool:
        """Présences et scrutin sont connus ; faux pour une délibération seulement citée (date et objet)."""
        return self.pour is not None

    @property
    def votants(self) -> int | None:
        return self.presents + self.procurations if self.comptes_connus else None


class PartenaireAssocie(models.Model):
    """Organisation associée au suivi du contrat sans l'avoir signé : elle le lit, sans rien modifier."""

    contrat = models.ForeignKey(Contrat, on_delete=models.CASCADE, related_name="partenaires_associes")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="associations")

    class Meta:
        verbose_name = "partenaire associé"
        verbose_name_plural = "partenaires associés"
        constraints = [
            models.UniqueConstraint(
                fields=["contrat", "organisation"],
                name="partenaire_associe_unique",
                violation_error_message="Cette organisation est déjà associée au contrat.",
            )
        ]

    def __str__(self):
        return f"{self.organisation} ({self.contrat})"


class EcheanceQuerySet(models.QuerySet):
    def des_contrats(self, contrats):
        return (
            self.filter(contrat__in=contrats)
            .select_related("contrat__collectivite")  # le titre complet nomme la collectivité
            .order_by("date", "contrat__titre")
        )


class Echeance(models.Model):
    """Une date du calendrier de compte rendu du contrat (modifiable par contrat)."""

    contrat = models.ForeignKey(Contrat, on_delete=models.CASCADE, related_name="echeances")
    type = models.CharField(max_length=30, choices=TypeEcheance.choices)
    annee = models.PositiveSmallIntegerField("année concernée", null=True, blank=True)
    libelle = models.CharField("libellé", max_length=255)
    date = models.DateField("à rendre au plus tard le")
    realisee_le = models.DateField("réalisée le", null=True, blank=True)

    history = HistoricalRecords()
    objects = EcheanceQuerySet.as_manager()

    class Meta:
        ordering = ["contrat", "date"]
        verbose_name = "échéance"
        verbose_name_plural = "échéances"
        constraints = [
            models.UniqueConstraint(
                fields=["contrat", "type", "annee"],
                name="echeance_unique",
                violation_error_message="Cette échéance existe déjà pour le contrat.",
            )
        ]

    def __str__(self):
        return f"{self.libelle} – {self.date:%d/%m/%Y}"

    @property
    def est_un_rapport(self) -> bool:
        return self.type in (TypeEcheance.RAPPORT_ANNUEL, TypeEcheance.RAPPORT_MI_PARCOURS)

    def jours_de_retard(self, faite_le=None) -> int:
        """Jours de retard d'une échéance rendue (réalisée le `faite_le`, par défaut `realisee_le`) ; 0 à temps."""
        faite_le = faite_le or self.realisee_le
        return max((faite_le - self.date).days, 0) if faite_le else 0
