"""L'atteinte des cibles, calculée ici et nulle part ailleurs : taux d'atteinte d'une valeur, cible atteinte ou non,
mesurable ou non, et le décompte par année. Pages, classeurs, rapports, délibération et graphiques les lisent.

Indicateur quantitatif : une cible est mesurable quand elle est chiffrée (ni « nd », ni absente, ni « pas de cible
chiffrée ») et que la valeur de l'année est saisie ; atteinte si la valeur égale ou dépasse la cible.

Indicateur qualitatif : il n'a ni cible chiffrée ni taux ; son appréciation de l'année le rend mesurable.
« Atteint » compte comme une cible atteinte, « non atteint » comme une cible manquée ; « partiellement atteint » est
compté à part, parmi les mesurables mais pas parmi les atteintes : le taux d'atteinte (atteintes / mesurables) ne
l'arrondit jamais à « atteint », et chaque sortie le dit tel quel (« dont 1 partiellement atteinte »).

Une cible non mesurable (non saisie, « nd », sans cible chiffrée, qualitatif non apprécié) n'est jamais comptée comme
atteinte ni comme manquée. Une valeur déclarée « non disponible » (avec son motif) sort des mesurables mais est
comptée à part et dite à côté de chaque taux (« 5 / 8 atteintes, 1 non disponible ») : déclarer des valeurs
indisponibles ne peut jamais faire monter un taux sans que cela se voie."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Sum

from indicateurs.enums import Appreciation, StatutSuivi

ATTEINT, PARTIELLEMENT_ATTEINT, NON_ATTEINT, NON_MESURABLE, NON_DISPONIBLE = (
    "atteint",
    "partiellement atteint",
    "non atteint",
    "non mesurable",
    "non disponible",
)
_ATTEINTE_DE_L_APPRECIATION = {
    Appreciation.ATTEINT: ATTEINT,
    Appreciation.PARTIELLEMENT_ATTEINT: PARTIELLEMENT_ATTEINT,
    Appreciation.NON_ATTEINT: NON_ATTEINT,
}


@dataclass
class Mesure:
    """Un indicateur une année : sa cible (ou « nd »), la valeur atteinte et le taux d'atteinte ; pour un indicateur
    qualitatif, son appréciation."""

    annee: int
    cible: object  # Cible ou None (aucune cible saisie)
    realisation: object  # Realisation ou None
    indicateur: object = field(kw_only=True)  # sa nature décide de la lecture (qualitatif ou chiffré)

    @property
    def qualitatif(self) -> bool:
        return self.indicateur.est_qualitatif

    @property
    def valeur(self) -> Decimal | None:
        return self.realisation.valeur if self.realisation else None

    @property
    def appreciation(self) -> str:
        """« atteint », « partiellement_atteint », « non_atteint » ; vide si non apprécié (ou quantitatif)."""
        return self.realisation.appreciation if self.realisation else ""

    @property
    def appreciation_libelle(self) -> str:
        return Appreciation(self.appreciation).label if self.appreciation else ""

    @property
    def non_disponible(self) -> bool:
        """Déclarée « non disponible » (avec son motif) : ni zéro, ni vide."""
        return bool(self.realisation and self.realisation.non_disponible)

    @property
    def saisie(self) -> bool:
        """Une valeur (quantitatif) ou une appréciation (qualitatif) est renseignée."""
        return self.valeur is not None or bool(self.appreciation)

    @property
    def commentaire(self) -> str:
        return self.realisation.commentaire if self.realisation else ""

    @property
    def cible_definie(self) -> bool:
        return self.cible is not None and not self.cible.nd

    @property
    def taux(self) -> Decimal | None:
        if self.qualitatif or self.valeur is None or not self.cible_definie or not self.cible.valeur:
            return None
        return self.valeur / self.cible.valeur

    @property
    def atteinte(self) -> str:
        if self.non_disponible:
            return NON_DISPONIBLE
        if self.qualitatif:
            return _ATTEINTE_DE_L_APPRECIATION.get(self.appreciation, NON_MESURABLE)
        if self.valeur is None or not self.cible_definie:
            return NON_MESURABLE
        return ATTEINT if self.valeur >= self.cible.valeur else NON_ATTEINT


@dataclass
class BilanCibles:
    """Le décompte des cibles d'une année (ou d'un ensemble) : atteintes sur mesurables, et ce qui manque."""

    annee: int | None
    atteints: int = 0
    partiellement_atteints: int = 0
    non_atteints: int = 0
    non_mesurables: int = 0
    non_disponibles: int = 0  # hors des mesurables, mais toujours dit à côté du taux
    valeurs_saisies: int = 0
    valeurs_attendues: int = 0

    @property
    def mesurables(self) -> int:
        return self.atteints + self.partiellement_atteints + self.non_atteints

    @property
    def taux_atteinte(self) -> Decimal | None:
        return Decimal(self.atteints) / self.mesurables if self.mesurables else None

    @property
    def saisi(self) -> bool:
        """Quelque chose a été renseigné : une valeur, une appréciation, ou une valeur déclarée non disponible."""
        return self.valeurs_saisies > 0 or self.non_disponibles > 0


def bilan_cibles(mesures: list[Mesure], annee: int | None = None) -> BilanCibles:
    bilan = BilanCibles(annee=annee, valeurs_attendues=len(mesures))
    for mesure in mesures:
        atteinte = mesure.atteinte
        bilan.atteints += atteinte == ATTEINT
        bilan.partiellement_atteints += atteinte == PARTIELLEMENT_ATTEINT
        bilan.non_atteints += atteinte == NON_ATTEINT
        bilan.non_mesurables += atteinte == NON_MESURABLE
        bilan.non_disponibles += atteinte == NON_DISPONIBLE
        bilan.valeurs_saisies += mesure.saisie
    return bilan


# --- Plusieurs contrats (vue nationale) ------------------------------------------------------------------------------

EN_RETARD, A_VENIR, EN_COURS = "en retard", "à venir", "en cours"


@dataclass
class ValeurNationale:
    """La somme des valeurs saisies d'un indicateur national une année, sur les contrats dont un indicateur s'y
    rattache ; les valeurs non saisies ou non disponibles n'y comptent pas (jamais un zéro), elles sont dites."""

    somme: Decimal = Decimal(0)
    contrats: set = field(default_factory=set)
    par_contrat: dict = field(default_factory=dict)  # contrat_id → somme des valeurs du contrat
    non_disponibles: int = 0

    @property
    def saisie(self) -> bool:
        return bool(self.contrats)


def valeurs_nationales(contrats) -> dict:
    """(indicateur national, année) → ValeurNationale : les valeurs des indicateurs des contrats rattachés à un
    indicateur national, additionnées d'un contrat à l'autre. Une requête, quel que soit le nombre de contrats."""
    from indicateurs.models import Realisation

    lignes = (
        Realisation.objects.filter(
            indicateur__action__contrat__in=contrats, indicateur__indicateur_national__isnull=False
        )
        .values_list("indicateur__indicateur_national_id", "indicateur__action__contrat_id", "annee", "non_disponible")
        .annotate(somme=Sum("valeur"), nombre=Count("pk"))
        .order_by()
    )
    resultat = {}
    for national_id, contrat_id, annee, non_disponible, somme, nombre in lignes:
        valeur = resultat.setdefault((national_id, annee), ValeurNationale())
        if non_disponible:
            valeur.non_disponibles += nombre
        elif somme is not None:
            valeur.somme += somme
            valeur.contrats.add(contrat_id)
            valeur.par_contrat[contrat_id] = valeur.par_contrat.get(contrat_id, Decimal(0)) + somme
    return resultat


def etats_des_suivis(contrats, aujourd_hui) -> dict:
    """(contrat_id, année) → l'état du compte rendu annuel des valeurs : « validé », « soumis », « à corriger » (le
    statut du circuit), sinon « en retard » si l'échéance des valeurs annuelles est passée, « en cours » si l'année
    est commencée, « à venir » sinon. Deux requêtes, quel que soit le nombre de contrats."""
    from contrats.enums import TypeEcheance
    from contrats.models import Echeance
    from indicateurs.models import SuiviAnnuel

    statuts = dict(
        ((contrat_id, annee), statut)
        for contrat_id, annee, statut in SuiviAnnuel.objects.filter(contrat__in=contrats).values_list(
            "contrat_id", "annee", "statut"
        )
    )
    echeances = {
        (contrat_id, annee): (date, faite)
        for contrat_id, annee, date, faite in Echeance.objects.filter(
            contrat__in=contrats, type=TypeEcheance.VALEURS_ANNUELLES
        ).values_list("contrat_id", "annee", "date", "realisee_le")
    }
    etats = {}
    for contrat in contrats:
        for annee in contrat.annees:
            statut = statuts.get((contrat.pk, annee))
            if statut and statut != StatutSuivi.BROUILLON:
                etats[(contrat.pk, annee)] = StatutSuivi(statut).label.lower()
                continue
            date, faite = echeances.get((contrat.pk, annee), (None, None))
            if date is not None and faite is None and date < aujourd_hui:
                etats[(contrat.pk, annee)] = EN_RETARD
            else:
                etats[(contrat.pk, annee)] = EN_COURS if annee <= aujourd_hui.year else A_VENIR
    return etats
