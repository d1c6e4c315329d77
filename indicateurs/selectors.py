"""L'atteinte des cibles, calculée ici et nulle part ailleurs : taux d'atteinte d'une valeur, cible atteinte ou non,
mesurable ou non, et le décompte par année. Pages, classeurs, rapports, délibération et graphiques les lisent.

Une cible est mesurable quand elle est chiffrée (ni « nd », ni absente) et que la valeur de l'année est saisie ;
une cible non mesurable n'est jamais comptée comme atteinte ni comme manquée."""

from dataclasses import dataclass
from decimal import Decimal

ATTEINT, NON_ATTEINT, NON_MESURABLE = "atteint", "non atteint", "non mesurable"


@dataclass
class Mesure:
    """Un indicateur une année : sa cible (ou « nd »), la valeur atteinte, le taux d'atteinte."""

    annee: int
    cible: object  # Cible ou None (aucune cible saisie)
    realisation: object  # Realisation ou None

    @property
    def valeur(self) -> Decimal | None:
        return self.realisation.valeur if self.realisation else None

    @property
    def commentaire(self) -> str:
        return self.realisation.commentaire if self.realisation else ""

    @property
    def cible_definie(self) -> bool:
        return self.cible is not None and not self.cible.nd

    @property
    def taux(self) -> Decimal | None:
        if self.valeur is None or not self.cible_definie or not self.cible.valeur:
            return None
        return self.valeur / self.cible.valeur

    @property
    def atteinte(self) -> str:
        if self.valeur is None or not self.cible_definie:
            return NON_MESURABLE
        return ATTEINT if self.valeur >= self.cible.valeur else NON_ATTEINT


@dataclass
class BilanCibles:
    """Le décompte des cibles d'une année (ou d'un ensemble) : atteintes sur mesurables, et ce qui manque."""

    annee: int | None
    atteints: int = 0
    non_atteints: int = 0
    non_mesurables: int = 0
    valeurs_saisies: int = 0
    valeurs_attendues: int = 0

    @property
    def mesurables(self) -> int:
        return self.atteints + self.non_atteints

    @property
    def taux_atteinte(self) -> Decimal | None:
        return Decimal(self.atteints) / self.mesurables if self.mesurables else None

    @property
    def saisi(self) -> bool:
        return self.valeurs_saisies > 0


def bilan_cibles(mesures: list[Mesure], annee: int | None = None) -> BilanCibles:
    bilan = BilanCibles(annee=annee, valeurs_attendues=len(mesures))
    for mesure in mesures:
        atteinte = mesure.atteinte
        bilan.atteints += atteinte == ATTEINT
        bilan.non_atteints += atteinte == NON_ATTEINT
        bilan.non_mesurables += atteinte == NON_MESURABLE
        bilan.valeurs_saisies += mesure.valeur is not None
    return bilan
