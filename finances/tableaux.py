"""Le « Tableau budgétaire » tel qu'annexé au contrat : lignes par action, sous-totaux par axe, TOTAL.
Trois requêtes quelle que soit la taille du contrat ; servi à la page, aux exports et aux rapports."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from actions.models import Action
from finances.enums import Financeur
from finances.models import LigneBudgetaire

ZERO = Decimal("0")


@dataclass
class Montants:
    etat: Decimal = ZERO
    collectivite: Decimal = ZERO
    autre: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        return self.etat + self.collectivite + self.autre

    def ajouter(self, autre: "Montants") -> None:
        self.etat += autre.etat
        self.collectivite += autre.collectivite
        self.autre += autre.autre


@dataclass
class LigneTableau:
    libelle: str
    action: Action | None = None
    annees: dict[int, Montants] = field(default_factory=dict)

    @property
    def par_annee(self) -> list[tuple[int, Montants]]:
        return sorted(self.annees.items())


@dataclass
class GroupeAxe:
    axe: object
    lignes: list[LigneTableau]
    sous_total: LigneTableau


@dataclass
class TableauBudgetaire:
    annees: list[int]
    groupes: list[GroupeAxe]
    total: LigneTableau
    a_autres_financeurs: bool

    @property
    def nb_colonnes(self) -> int:
        return 1 + len(self.annees) * (4 if self.a_autres_financeurs else 3)


def tableau_budgetaire(contrat) -> TableauBudgetaire:
    annees = contrat.annees
    actions = list(Action.objects.du_contrat(contrat).order_by("axe__numero", "ordre", "numero"))
    montants = defaultdict(lambda: defaultdict(Montants))
    a_autres = False
    for ligne in LigneBudgetaire.objects.du_contrat(contrat).only("action_id", "annee", "financeur", "montant"):
        cellule = montants[ligne.action_id][ligne.annee]
        if ligne.financeur == Financeur.ETAT:
            cellule.etat += ligne.montant
        elif ligne.financeur == Financeur.COLLECTIVITE:
            cellule.collectivite += ligne.montant
        else:
            cellule.autre += ligne.montant
            a_autres = a_autres or ligne.montant > 0

    total = LigneTableau("TOTAL", annees={a: Montants() for a in annees})
    groupes: list[GroupeAxe] = []
    for action in actions:
        if not groupes or groupes[-1].axe != action.axe:
            libelle = f"Axe « {action.axe.intitule} »" if action.axe else "Sans axe"
            groupes.append(
                GroupeAxe(
                    action.axe, [], LigneTableau(f"Sous-total {libelle}", annees={a: Montants() for a in annees})
                )
            )
        groupe = groupes[-1]
        ligne = LigneTableau(f"{action.numero} {action.intitule}", action=action, annees={})
        for annee in annees:
            cellule = montants[action.pk].get(annee, Montants())
            ligne.annees[annee] = cellule
            groupe.sous_total.annees[annee].ajouter(cellule)
            total.annees[annee].ajouter(cellule)
        groupe.lignes.append(ligne)
    return TableauBudgetaire(annees=annees, groupes=groupes, total=total, a_autres_financeurs=a_autres)
