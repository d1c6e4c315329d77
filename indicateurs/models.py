from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from commun.formats import nom_de
from indicateurs.enums import (
    Appreciation,
    NatureChiffre,
    NatureIndicateur,
    Portee,
    RelationChiffre,
    StatutSuivi,
    TransitionSuivi,
)


class IndicateurQuerySet(models.QuerySet):
    def du_contrat(self, contrat):
        return (
            self.filter(action__contrat=contrat)
            .select_related("action", "action__axe")
            .prefetch_related("cibles")
            .order_by("action__ordre", "action__numero", "ordre", "pk")
        )

    def a_rattacher(self, contrat):
        """Les indicateurs du contrat, leur axe et leur rattachement national : la page de rattachement."""
        return (
            self.filter(action__contrat=contrat)
            .select_related("action__axe__pilier_national", "indicateur_national__pilier")
            .order_by("action__ordre", "action__numero", "ordre", "pk")
        )


class Indicateur(models.Model):
    """Un indicateur d'une action, tel que le document le formule.

    Quantitatif : une unité, une situation T0 et des cibles chiffrées par année (`Cible`, « nd » compris), une valeur
    atteinte chaque année. Quand le document nomme l'indicateur sans fixer aucun chiffre (ni valeur, ni « nd » à
    définir), `cible_chiffree` est faux : il n'a aucune cible, rien n'est attendu ni échu, et ce n'est pas un « nd ».
    Qualitatif : un énoncé (résultat attendu, étape) sans unité, ni T0, ni cible, apprécié chaque année comme
    atteint, partiellement atteint ou non atteint (`Realisation.appreciation`)."""

    action = models.ForeignKey("actions.Action", on_delete=models.CASCADE, related_name="indicateurs")
    ordre = models.PositiveSmallIntegerField(default=0)
    libelle = models.CharField("libellé", max_length=500)
    nature = models.CharField(max_length=12, choices=NatureIndicateur.choices, default=NatureIndicateur.QUANTITATIF)
    cible_chiffree = models.BooleanField(
        "cible chiffrée dans le document",
        default=True,
        help_text=(
            "Décoché : le document ne fixe aucune valeur cible pour cet indicateur (ni chiffre, ni « nd » à définir). "
            "Toujours décoché pour un indicateur qualitatif."
        ),
    )
    unite = models.CharField("unité", max_length=100, blank=True)
    ecart_max = models.DecimalField(
        "écart plausible",
        max_digits=5,
        decimal_places=2,
        default=Decimal(3),
        help_text="Une valeur plus de N fois au-dessus (ou au-dessous) de sa cible ou de l'an passé demande un "
        "commentaire.",
    )
    portee = models.CharField("portée", max_length=10, choices=Portee.choices, default=Portee.LOCAL)
    indicateur_national = models.ForeignKey(
        "referentiel.IndicateurNational", on_delete=models.PROTECT, null=True, blank=True, related_name="indicateurs",
        verbose_name="indicateur national",
        help_text="Rattaché : ses valeurs s'additionnent à celles des autres contrats dans la vue nationale.",
    )  # fmt: skip
    decimales = models.PositiveSmallIntegerField(
        "décimales admises", default=0, help_text="0 pour un comptage (personnes, participations)."
    )
    t0 = models.DecimalField(
        "situation T0",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Vide = nd (non défini) ; « non précisé » si le document ne chiffre pas l'indicateur.",
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
            models.CheckConstraint(
                condition=Q(nature=NatureIndicateur.QUANTITATIF) | Q(unite="", t0__isnull=True, cible_chiffree=False),
                name="indicateur_qualitatif_sans_chiffre",
                violation_error_message="Un indicateur qualitatif n'a ni unité, ni situation T0, ni cible chiffrée.",
            ),
        ]

    def __str__(self):
        return self.libelle

    @property
    def est_qualitatif(self) -> bool:
        return self.nature == NatureIndicateur.QUALITATIF

    @property
    def sans_cible_chiffree(self) -> bool:
        """Quantitatif, mais le document ne fixe aucune cible : ni valeur, ni « nd »."""
        return not self.est_qualitatif and not self.cible_chiffree

    @property
    def t0_nd(self) -> bool:
        """T0 « nd » : le document chiffre l'indicateur sans donner sa situation de départ. Sans cible chiffrée, un T0
        absent est « non précisé », pas « nd » ; un indicateur qualitatif n'a pas de T0."""
        return self.t0 is None and self.cible_chiffree

    def clean(self):
        # Un indicateur qualitatif n'a jamais de cible chiffrée : inutile de demander de décocher la case.
        if self.est_qualitatif:
            self.cible_chiffree = False
        if self.indicateur_national_id:
            self._verifier_rattachement()

    def _verifier_rattachement(self):
        """Seul un indicateur chiffré s'additionne d'un contrat à l'autre, et seulement à un indicateur national du
        pilier de son axe (quand l'axe est rattaché à un pilier)."""
        if self.est_qualitatif:
            raise ValidationError(
                {"indicateur_national": "Un indicateur qualitatif ne s'additionne pas d'un contrat à l'autre : il ne "
                 "se rattache pas à un indicateur national."}
            )  # fmt: skip
        axe = self.action.axe if self.action.axe_id else None
        national = self.indicateur_national
        if axe is not None and axe.pilier_national_id and national.pilier_id != axe.pilier_national_id:
            raise ValidationError(
                {"indicateur_national": f"« {national} » relève d'un autre pilier que l'axe {axe.numero} de l'action "
                 f"{self.action.numero} : choisissez un indicateur national de ce pilier."}
            )  # fmt: skip


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
        if self.indicateur_id and self.indicateur.est_qualitatif:
            raise ValidationError(
                "Un indicateur qualitatif n'a pas de cible chiffrée : il est apprécié chaque année "
                "(atteint, partiellement atteint, non atteint)."
            )
        if self.indicateur_id and self.annee:
            contrat = self.indicateur.action.contrat
            contrat.verifier_annee(self.annee)


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
    nature = models.CharField(max_length=10, choices=NatureChiffre.choices, default=NatureChiffre.VALEUR)
    reference = models.CharField(
        "date ou période", max_length=100, blank=True, help_text="Telle qu'écrite : « au 31 décembre », « en 2023 »."
    )
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="termes", verbose_name="entre dans"
    )
    relation = models.CharField(max_length=10, choices=RelationChiffre.choices, blank=True)

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

    def clean(self):
        if bool(self.parent_id) != bool(self.relation):
            raise ValidationError("Un chiffre qui entre dans un autre dit comment (partie, ajout, retrait, dont).")
        if self.parent_id and self.parent.rubrique.bilan_id != self.rubrique.bilan_id:
            raise ValidationError({"parent": "Les deux chiffres doivent appartenir au même bilan."})


@dataclass(frozen=True)
class Transition:
    """Un changement de statut d'une année de suivi : d'où il part, où il mène, la permission qu'il demande sur le
    contrat, s'il doit être motivé, et son participe passé (« Année 2024 validée. »)."""

    nom: TransitionSuivi
    depart: frozenset[StatutSuivi]
    arrivee: StatutSuivi
    permission: str
    participe: str
    motif_obligatoire: bool = False

    def __str__(self):
        return self.nom.label


def circuit(application: str, soumettre: str) -> tuple[Transition, ...]:
    """Le circuit d'examen commun (brouillon → soumis → validé / à corriger, rouvrir) : les permissions de
    `application` (« indicateurs.soumettre », « indicateurs.valider ») et le participe de la soumission."""
    modifiables = CircuitExamen.STATUTS_MODIFIABLES
    return (
        Transition(TransitionSuivi.SOUMETTRE, modifiables, StatutSuivi.SOUMIS, f"{application}.soumettre", soumettre),
        Transition(
            TransitionSuivi.VALIDER, frozenset({StatutSuivi.SOUMIS}), StatutSuivi.VALIDE, f"{application}.valider",
            "validée",
        ),
        Transition(
            TransitionSuivi.RENVOYER, frozenset({StatutSuivi.SOUMIS}), StatutSuivi.A_CORRIGER,
            f"{application}.valider", "renvoyée pour correction", motif_obligatoire=True,
        ),
        Transition(
            TransitionSuivi.ROUVRIR, frozenset({StatutSuivi.VALIDE}), StatutSuivi.A_CORRIGER,
            f"{application}.valider", "rouverte", motif_obligatoire=True,
        ),
    )  # fmt: skip


class CircuitExamen(models.Model):
    """Ce qu'un objet saisi par la collectivité et examiné par l'État porte de son circuit : statut, version (verrou
    optimiste), motif et auteurs du dernier changement ; la table `TRANSITIONS` de la classe concrète (`circuit()`)
    dit ce qui est permis. Une année de suivi (`SuiviAnnuel`) et l'évaluation d'une action (`evaluation`)."""

    STATUTS_MODIFIABLES = frozenset({StatutSuivi.BROUILLON, StatutSuivi.A_CORRIGER})
    TRANSITIONS: tuple[Transition, ...] = ()
    CLASSES_CSS = {
        StatutSuivi.BROUILLON: "alert-secondary",
        StatutSuivi.SOUMIS: "alert-info",
        StatutSuivi.VALIDE: "alert-success",
        StatutSuivi.A_CORRIGER: "alert-warning",
    }
    REFUS = "Vous n'avez pas le droit d'effectuer ce changement de statut."

    statut = models.CharField(max_length=20, choices=StatutSuivi.choices, default=StatutSuivi.BROUILLON)
    version = models.PositiveIntegerField(default=1)
    motif = models.TextField("motif du dernier changement de statut", blank=True)
    statut_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    statut_le = models.DateTimeField("statut changé le", null=True, blank=True)
    modifie_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    modifie_le = models.DateTimeField("dernier enregistrement le", null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def est_brouillon(self) -> bool:
        return self.statut == StatutSuivi.BROUILLON

    @property
    def est_soumis(self) -> bool:
        return self.statut == StatutSuivi.SOUMIS

    @property
    def est_valide(self) -> bool:
        return self.statut == StatutSuivi.VALIDE

    @property
    def est_a_corriger(self) -> bool:
        return self.statut == StatutSuivi.A_CORRIGER

    @property
    def modifiable(self) -> bool:
        """La collectivité peut encore saisir."""
        return self.statut in self.STATUTS_MODIFIABLES

    @property
    def classe_css(self) -> str:
        """La couleur du bandeau de statut (classe d'alerte Bootstrap)."""
        return self.CLASSES_CSS[self.statut]

    @classmethod
    def transition(cls, nom: str) -> Transition:
        """La transition de ce nom ; une transition inconnue est une erreur de saisie, pas une erreur serveur."""
        for transition in cls.TRANSITIONS:
            if transition.nom == nom:
                return transition
        raise ValidationError("Action inconnue.")

    def changements(self, transition: Transition, *, autorise: bool, sujet: str, nom: str, motif: str) -> dict:
        """Vérifie que la transition est permise maintenant (`autorise` : le rôle la permet) et renvoie les champs
        qu'elle change, sans rien écrire : l'écriture est celle du service, tout ou rien. `sujet` (« L'année
        2024 ») et `nom` (« une année ») disent l'objet dans les messages."""
        if not autorise:
            raise PermissionDenied(self.REFUS)
        if self.statut not in transition.depart:
            raise ValidationError(
                f"{sujet} est « {self.get_statut_display()} » : elle ne peut pas être {transition.participe}."
            )
        motif = (motif or "").strip()
        if transition.motif_obligatoire and not motif:
            raise ValidationError(f"Indiquez le motif : il est obligatoire pour renvoyer ou rouvrir {nom}.")
        return {"statut": transition.arrivee, "motif": motif}


class SuiviAnnuelQuerySet(models.QuerySet):
    def du_contrat(self, contrat):
        return self.filter(contrat=contrat).select_related(
            "statut_par__profil__organisation", "modifie_par__profil__organisation"
        )


class SuiviAnnuel(CircuitExamen):
    """Le circuit de validation d'une année de suivi d'un contrat : brouillon → soumis → validé / à corriger.

    `version` s'incrémente à chaque enregistrement : deux saisies concurrentes ne s'écrasent jamais.
    Le circuit est la table `TRANSITIONS` ; l'écriture (verrou optimiste, historique) est dans
    `indicateurs.services.suivi_changer_statut`."""

    TRANSITIONS = circuit("indicateurs", "soumise à la validation de l'État")

    contrat = models.ForeignKey("contrats.Contrat", on_delete=models.CASCADE, related_name="suivis")
    annee = models.PositiveSmallIntegerField("année")
    lignes_a_corriger = models.JSONField(
        "lignes à corriger", default=list, blank=True,
        help_text="Indicateurs (« i12 ») et récits d'action (« a3 ») que l'État désigne en renvoyant l'année.",
    )  # fmt: skip

    history = HistoricalRecords()
    objects = SuiviAnnuelQuerySet.as_manager()

    class Meta:
        ordering = ["contrat", "annee"]
        verbose_name = "suivi annuel"
        verbose_name_plural = "suivis annuels"
        constraints = [
            models.UniqueConstraint(
                fields=["contrat", "annee"], name="suivi_unique", violation_error_message="Ce suivi existe déjà."
            ),
            models.CheckConstraint(
                condition=~Q(statut=StatutSuivi.A_CORRIGER) | ~Q(motif=""),
                name="suivi_a_corriger_motive",
                violation_error_message="Un renvoi pour correction doit être motivé.",
            ),
        ]

    def __str__(self):
        return f"Suivi {self.annee} – {self.contrat} ({self.get_statut_display()})"

    def clean(self):
        if self.contrat_id and self.annee:
            self.contrat.verifier_annee(self.annee)

    @property
    def verrouille(self) -> bool:
        """Validée : personne n'y écrit plus, seul l'État peut la rouvrir."""
        return self.est_valide

    def a_le_droit(self, user, transition: Transition) -> bool:
        """Le rôle de l'utilisateur lui permet-il cette transition sur ce contrat (quel que soit le statut) ?"""
        return user.has_perm(transition.permission, self.contrat)

    def transitions_permises(self, user) -> list[Transition]:
        """Les transitions que le rôle de l'utilisateur lui permet sur ce contrat, quel que soit le statut."""
        return [t for t in self.TRANSITIONS if self.a_le_droit(user, t)]

    def transitions_possibles(self, user) -> list[Transition]:
        """Les transitions que cet utilisateur peut faire maintenant : le statut le permet et son rôle aussi."""
        return [t for t in self.TRANSITIONS if self.statut in t.depart and self.a_le_droit(user, t)]

    def appliquer(self, transition: Transition, *, user, motif: str = "") -> dict:
        """Vérifie que la transition est permise maintenant et renvoie les champs qu'elle change, sans rien écrire
        ni modifier l'objet : l'écriture est celle du service, tout ou rien."""
        return self.changements(
            transition, autorise=self.a_le_droit(user, transition), sujet=f"L'année {self.annee}", nom="une année",
            motif=motif,
        )  # fmt: skip

    def a_faire(self, user) -> str:
        """Ce que l'année attend de cet utilisateur (page d'accueil) ; vide si rien. Rouvrir n'est jamais attendu."""
        possibles = {t.nom for t in self.transitions_possibles(user)}
        if TransitionSuivi.VALIDER in possibles:
            return "Valider ou renvoyer les valeurs soumises"
        if TransitionSuivi.SOUMETTRE in possibles:
            return "Corriger les valeurs renvoyées" if self.est_a_corriger else "Saisir et soumettre"
        return ""


class Realisation(models.Model):
    """Ce qu'un indicateur a donné une année : une valeur (quantitatif) ou une appréciation (qualitatif), et un
    commentaire."""

    indicateur = models.ForeignKey(Indicateur, on_delete=models.CASCADE, related_name="realisations")
    annee = models.PositiveSmallIntegerField("année")
    valeur = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    appreciation = models.CharField("appréciation", max_length=25, choices=Appreciation.choices, blank=True)
    non_disponible = models.BooleanField(
        "non disponible",
        default=False,
        help_text="La valeur n'existe pas pour cette année ; le commentaire dit pourquoi.",
    )
    commentaire = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["indicateur", "annee"]
        verbose_name = "réalisation"
        verbose_name_plural = "réalisations"
        constraints = [
            models.UniqueConstraint(
                fields=["indicateur", "annee"],
                name="realisation_unique",
                violation_error_message="Une seule valeur par indicateur et par année.",
            ),
            # Une seule contrainte pour la valeur : chaque contrainte coûte une requête par ligne écrite (full_clean).
            models.CheckConstraint(
                condition=Q(valeur__isnull=True) | Q(valeur__gte=0, appreciation=""),
                name="realisation_valeur_valide",
                violation_error_message=(
                    "Une valeur atteinte ne peut pas être négative ni s'ajouter à une appréciation : une réalisation "
                    "est une valeur ou une appréciation, jamais les deux."
                ),
            ),
        ]

    def __str__(self):
        resultat = self.get_appreciation_display().lower() if self.appreciation else self.valeur
        return f"{self.indicateur} – {self.annee} : {resultat}"

    def clean(self):
        if self.non_disponible and (self.valeur is not None or self.appreciation):
            raise ValidationError("Une valeur « non disponible » n'a ni chiffre ni appréciation.")
        if self.non_disponible and not self.commentaire.strip():
            raise ValidationError({"commentaire": "Dites pourquoi la valeur n'est pas disponible."})
        if self.indicateur_id:
            if self.indicateur.est_qualitatif and self.valeur is not None:
                message = "Un indicateur qualitatif s'apprécie (atteint, partiellement, non atteint), sans chiffre."
                raise ValidationError({"valeur": message})
            if not self.indicateur.est_qualitatif and self.appreciation:
                message = "Un indicateur quantitatif se renseigne par une valeur, pas par une appréciation."
                raise ValidationError({"appreciation": message})
        if self.indicateur_id and self.annee:
            contrat = self.indicateur.action.contrat
            contrat.verifier_annee(self.annee)


class RecitAction(models.Model):
    """Le récit annuel d'une action : il nourrit le rapport annuel et le rapport à mi-parcours."""

    action = models.ForeignKey("actions.Action", on_delete=models.CASCADE, related_name="recits")
    annee = models.PositiveSmallIntegerField("année")
    resultats = models.TextField("résultats obtenus", blank=True)
    difficultes = models.TextField("difficultés", blank=True)
    perspectives = models.TextField(blank=True)
    impact_social = models.TextField("impact social", blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["action", "annee"]
        verbose_name = "récit annuel d'action"
        verbose_name_plural = "récits annuels d'action"
        constraints = [
            models.UniqueConstraint(
                fields=["action", "annee"], name="recit_unique", violation_error_message="Ce récit existe déjà."
            )
        ]

    def __str__(self):
        return f"{self.action} – {self.annee}"


class Commentaire(models.Model):
    """Un message du fil d'échange entre la collectivité et l'État sur une valeur (indicateur) ou sur le récit d'une
    action, pour une année : écrit par les agents des deux parties, lu par tous les lecteurs du contrat."""

    contrat = models.ForeignKey("contrats.Contrat", on_delete=models.CASCADE, related_name="commentaires_suivi")
    annee = models.PositiveSmallIntegerField("année")
    indicateur = models.ForeignKey(
        Indicateur, on_delete=models.CASCADE, null=True, blank=True, related_name="commentaires_suivi"
    )
    action = models.ForeignKey(
        "actions.Action", on_delete=models.CASCADE, null=True, blank=True, related_name="commentaires_suivi"
    )
    auteur = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    texte = models.TextField(max_length=4000)
    cree_le = models.DateTimeField("écrit le")

    history = HistoricalRecords()

    class Meta:
        ordering = ["contrat", "annee", "cree_le", "pk"]
        verbose_name = "commentaire de suivi"
        verbose_name_plural = "commentaires de suivi"
        constraints = [
            models.CheckConstraint(
                condition=Q(indicateur__isnull=True) ^ Q(action__isnull=True),
                name="commentaire_sur_une_ligne",
                violation_error_message="Un commentaire porte sur une valeur ou sur le récit d'une action.",
            )
        ]

    def __str__(self):
        return f"{nom_de(self.auteur)} – {self.cree_le:%d/%m/%Y} : {self.texte[:60]}"

    @property
    def ligne(self) -> str:
        """« i12 » (valeur d'un indicateur) ou « a3 » (récit d'une action)."""
        return f"i{self.indicateur_id}" if self.indicateur_id else f"a{self.action_id}"

    def clean(self):
        if not (self.texte or "").strip():
            raise ValidationError({"texte": "Le commentaire est vide."})
        ligne = self.indicateur.action if self.indicateur_id else self.action if self.action_id else None
        if ligne is not None and ligne.contrat_id != self.contrat_id:
            raise ValidationError("Cette ligne n'appartient pas au contrat.")
        if self.contrat_id and self.annee:
            self.contrat.verifier_annee(self.annee)
