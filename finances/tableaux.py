"""Le « Tableau budgétaire » tel qu'annexé au contrat : lignes par action, sous-totaux par axe, TOTAL.
Trois requêtes quelle que soit la taille du contrat ; servi à la page, aux exports et aux rapports."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from actions.models import Action
from finances.enums import Financeur
from finances.models import Avenant, LigneBudgetaire, MontantAnnonce

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
    provisoires: set = field(default_factory=set)

    @property
    def nb_colonnes(self) -> int:
        return 1 + len(self.annees) * (4 if self.a_autres_financeurs else 3)


def _rang(ligne) -> tuple:
    """Ordre des versions : le contrat initial, puis les avenants par date et numéro."""
    if ligne.avenant_id is None:
        return (datetime.date.min, 0)
    return (ligne.avenant.date, ligne.avenant.numero)


def lignes_en_vigueur(contrat, date: datetime.date | None = None, initial: bool = False) -> dict:
    """(action_id, annee, financeur) → la ligne en vigueur à la date donnée (aujourd'hui par défaut) :
    celle du dernier avenant signé à cette date qui la fixe, sinon celle du contrat initial. Une requête."""
    lignes = (
        LigneBudgetaire.objects.du_contrat(contrat)
        .select_related("avenant", "action")
        .only(
            "annee", "financeur", "montant", "avenant__date", "avenant__numero",
            "action__numero", "action__ordre", "action__intitule", "action__axe_id", "action__contrat_id",
        )
    )  # fmt: skip
    if initial:
        lignes = lignes.filter(avenant__isnull=True)
    elif date is not None:
        lignes = lignes.filter(models_q_avenant_avant(date))
    en_vigueur = {}
    for ligne in lignes:
        cle = (ligne.action_id, ligne.annee, ligne.financeur)
        if cle not in en_vigueur or _rang(ligne) > _rang(en_vigueur[cle]):
            en_vigueur[cle] = ligne
    return en_vigueur


def models_q_avenant_avant(date):
    from django.db.models import Q

    return Q(avenant__isnull=True) | Q(avenant__date__lte=date)


def annees_provisoires(contrat, lignes: dict) -> set[int]:
    """Années dont le montant de l'État n'est que prévisionnel : annoncé comme tel et fixé par aucun avenant."""
    annoncees = set(
        MontantAnnonce.objects.filter(contrat=contrat, provisoire=True, financeur=Financeur.ETAT).values_list(
            "annee", flat=True
        )
    )
    fixees = {
        annee for (_, annee, financeur), ligne in lignes.items() if ligne.avenant_id and financeur == Financeur.ETAT
    }
    return annoncees - fixees


def changements_des_avenants(contrat) -> list[tuple]:
    """Pour chaque avenant : ce qu'il a changé, ligne par ligne (avant → après)."""
    lignes = sorted(LigneBudgetaire.objects.du_contrat(contrat).select_related("avenant", "action"), key=_rang)
    courant = {}
    par_avenant = defaultdict(list)
    for ligne in lignes:
        cle = (ligne.action_id, ligne.annee, ligne.financeur)
        if ligne.avenant_id:
            avant = courant.get(cle)
            par_avenant[ligne.avenant_id].append((ligne, avant.montant if avant else None))
        courant[cle] = ligne
    return [(avenant, par_avenant.get(avenant.pk, [])) for avenant in Avenant.objects.filter(contrat=contrat)]


def tableau_budgetaire(contrat, date: datetime.date | None = None, initial: bool = False) -> TableauBudgetaire:
    annees = contrat.annees
    actions = list(Action.objects.pour_tableaux(contrat))
    montants = defaultdict(lambda: defaultdict(Montants))
    a_autres = False
    en_vigueur = lignes_en_vigueur(contrat, date=date, initial=initial)
    for ligne in en_vigueur.values():
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
    return TableauBudgetaire(
        annees=annees,
        groupes=groupes,
        total=total,
        a_autres_financeurs=a_autres,
        provisoires=set() if initial else annees_provisoires(contrat, en_vigueur),
    )


@dataclass
class CelluleExecution:
    prevu: Decimal = ZERO
    engage: Decimal = ZERO
    realise: Decimal = ZERO

    @property
    def taux(self) -> Decimal | None:
        return (self.realise / self.prevu) if self.prevu else None

    def ajouter(self, autre: "CelluleExecution") -> None:
        self.prevu += autre.prevu
        self.engage += autre.engage
        self.realise += autre.realise


@dataclass
class TableauExecution:
    annees: list[int]
    lignes: list  # (axe, action, {annee: {financeur: CelluleExecution}})
    par_axe: dict  # axe_id -> {annee: {financeur: CelluleExecution}}
    total: dict  # annee -> {financeur: CelluleExecution}
    alertes: list  # Execution sous le seuil, avec leur taux
    versements: list
    versements_par_annee: dict  # annee -> (dû État en vigueur, versé)


def tableau_execution(contrat) -> TableauExecution:
    """Prévu (en vigueur) / engagé / réalisé et taux par action, axe et au total ; alertes de sous-consommation."""
    from finances.models import Execution, Versement

    annees = contrat.annees
    financeurs = [Financeur.ETAT, Financeur.COLLECTIVITE]
    actions = list(Action.objects.pour_tableaux(contrat))
    cellules = defaultdict(lambda: defaultdict(lambda: defaultdict(CelluleExecution)))
    for ligne in lignes_en_vigueur(contrat).values():
        if ligne.financeur in financeurs:
            cellules[ligne.action_id][ligne.annee][ligne.financeur].prevu += ligne.montant
    executions = list(Execution.objects.du_contrat(contrat).select_related("action"))
    for execution in executions:
        if execution.financeur in financeurs:
            cellule = cellules[execution.action_id][execution.annee][execution.financeur]
            cellule.engage += execution.engage
            cellule.realise += execution.realise
    seuil = Decimal(contrat.seuil_sous_consommation) / 100
    alertes = []
    for execution in executions:
        cellule = cellules[execution.action_id][execution.annee][execution.financeur]
        if cellule.taux is not None and cellule.taux < seuil:
            alertes.append((execution, cellule.taux))

    par_axe = defaultdict(lambda: defaultdict(lambda: defaultdict(CelluleExecution)))
    total = defaultdict(lambda: defaultdict(CelluleExecution))
    lignes = []
    for action in actions:
        for annee in annees:
            for financeur in financeurs:
                cellule = cellules[action.pk][annee][financeur]
                par_axe[action.axe_id][annee][financeur].ajouter(cellule)
                total[annee][financeur].ajouter(cellule)
        lignes.append((action.axe, action, cellules[action.pk]))

    versements = list(Versement.objects.filter(contrat=contrat).select_related("axe").order_by("date"))
    verse = defaultdict(Decimal)
    for versement in versements:
        verse[versement.annee] += versement.montant
    versements_par_annee = {a: (total[a][Financeur.ETAT].prevu, verse[a]) for a in annees}
    return TableauExecution(annees, lignes, par_axe, total, alertes, versements, versements_par_annee)
