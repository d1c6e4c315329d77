"""Les chiffres des finances d'un contrat, calculés ici et nulle part ailleurs : montants en vigueur, tableau
budgétaire, exécution (prévu, engagé, réalisé, taux) et sous-consommation. La page d'exécution, les classeurs, les
rapports, la délibération et les graphiques les lisent ; aucun ne les recalcule.

Sous-consommation (Art. 2.2 du CLS : « une partie des crédits peut être réduite l'année suivante si l'exécution
comptable des actions en année n fait état d'une sous-consommation manifeste ») : elle se juge par année, pour
chaque cellule action × année × financeur (État, collectivité, autres partenaires) dont l'exécution est saisie :
réalisé (payé) / montant en vigueur < seuil du contrat (80 % par défaut). C'est la part de chaque financeur qui peut
être réduite ou justifiée ; chaque cellule porte sa propre justification.

Ce qui n'est pas saisi n'est pas zéro : une cellule sans exécution est « non saisie », jamais 0 € ni 0 %, et jamais
comptée en sous-consommation. Un taux d'un ensemble (action, axe, année, contrat) rapporte le réalisé des cellules
saisies à leur montant en vigueur ; les cellules attendues mais non saisies d'une année par ailleurs saisie sont
listées comme manquantes."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    BooleanField,
    Case,
    Count,
    DecimalField,
    Exists,
    F,
    FilteredRelation,
    OuterRef,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Round
from django.db.models.lookups import LessThan
from django.utils import timezone

from actions.models import Action
from finances.enums import Financeur
from finances.models import Avenant, Execution, LigneBudgetaire, MontantAnnonce, Versement
from indicateurs.models import SuiviAnnuel

ZERO = Decimal("0")
NON_SAISI = "non saisi"


# --- Montants en vigueur -------------------------------------------------------------------------------------------


@dataclass
class Montants:
    """Un montant réparti par financeur."""

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

    def ajouter_part(self, montant: Decimal, financeur: str) -> None:
        """Ajoute le montant à la part de son financeur : la seule répartition par financeur de l'application."""
        if financeur == Financeur.ETAT:
            self.etat += montant
        elif financeur == Financeur.COLLECTIVITE:
            self.collectivite += montant
        else:
            self.autre += montant


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
        lignes = lignes.filter(Q(avenant__isnull=True) | Q(avenant__date__lte=date))
    return retenir_en_vigueur(lignes)


def retenir_en_vigueur(lignes) -> dict:
    """Parmi des lignes (enregistrées ou non), celle en vigueur par (action_id, annee, financeur) : celle du dernier
    avenant, sinon celle du contrat initial."""
    en_vigueur = {}
    for ligne in lignes:
        cle = (ligne.action_id, ligne.annee, ligne.financeur)
        if cle not in en_vigueur or _rang(ligne) > _rang(en_vigueur[cle]):
            en_vigueur[cle] = ligne
    return en_vigueur


def budgets_en_vigueur(contrats) -> dict[int, Decimal]:
    """Le budget total en vigueur aujourd'hui (contrat initial et avenants) de chaque contrat : une requête, quel
    que soit le nombre de contrats."""
    lignes = (
        LigneBudgetaire.objects.filter(action__contrat__in=contrats)
        .select_related("avenant", "action")
        .only("annee", "financeur", "montant", "avenant__date", "avenant__numero", "action__contrat_id")
    )
    totaux = defaultdict(Decimal)
    for ligne in retenir_en_vigueur(lignes).values():
        totaux[ligne.action.contrat_id] += ligne.montant
    return totaux


def montants_en_vigueur(contrat, initial: bool = False) -> dict[tuple, Decimal]:
    """Les montants en vigueur (ou ceux du contrat initial), clés (Action, année, financeur)."""
    return {
        (ligne.action, ligne.annee, ligne.financeur): ligne.montant
        for ligne in lignes_en_vigueur(contrat, initial=initial).values()
    }


def montants_apres(contrat, changements: dict[tuple, Decimal], *, action_remplacee=None) -> dict[tuple, Decimal]:
    """Les montants qui seront en vigueur ((Action, année, financeur) → montant) si l'on applique ces changements :
    ceux d'aujourd'hui, remplacés par les changements ; avec `action_remplacee`, tous les montants de cette action
    sont remplacés (l'administration édite toutes les lignes d'une action d'un coup). Sert aux règles de
    cofinancement d'un avenant et de l'administration."""
    futurs = {
        (action.pk, annee, financeur): ((action, annee, financeur), montant)
        for (action, annee, financeur), montant in montants_en_vigueur(contrat).items()
        if action_remplacee is None or action.pk != action_remplacee.pk
    }
    for (action, annee, financeur), montant in changements.items():
        futurs[(action.pk, annee, financeur)] = ((action, annee, financeur), montant)
    return dict(futurs.values())


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
    avenants = Avenant.objects.filter(contrat=contrat).select_related("deliberation")
    return [(avenant, par_avenant.get(avenant.pk, [])) for avenant in avenants]


# --- Tableau budgétaire (annexe du contrat) ------------------------------------------------------------------------


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


def _libelle_axe(axe) -> str:
    return f"Axe « {axe.intitule} »" if axe else "Sans axe"


def tableau_budgetaire(contrat, date: datetime.date | None = None, initial: bool = False) -> TableauBudgetaire:
    """Le « Tableau budgétaire » tel qu'annexé au contrat : lignes par action, sous-totaux par axe, TOTAL.
    Trois requêtes quelle que soit la taille du contrat."""
    annees = contrat.annees
    montants = defaultdict(lambda: defaultdict(Montants))
    a_autres = False
    en_vigueur = lignes_en_vigueur(contrat, date=date, initial=initial)
    for ligne in en_vigueur.values():
        montants[ligne.action_id][ligne.annee].ajouter_part(ligne.montant, ligne.financeur)
        a_autres = a_autres or (ligne.financeur == Financeur.AUTRE and ligne.montant > 0)

    total = LigneTableau("TOTAL", annees={a: Montants() for a in annees})
    groupes: list[GroupeAxe] = []
    for action in Action.objects.pour_tableaux(contrat):
        if not groupes or groupes[-1].axe != action.axe:
            sous_total = LigneTableau(f"Sous-total {_libelle_axe(action.axe)}", annees={a: Montants() for a in annees})
            groupes.append(GroupeAxe(action.axe, [], sous_total))
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


# --- Exécution et sous-consommation --------------------------------------------------------------------------------


def est_sous_consommation(taux: Decimal | None, seuil: Decimal) -> bool:
    """La sous-consommation, définie ici et nulle part ailleurs (Art. 2.2 du CLS).

    Une exécution est sous-consommée quand son taux — réalisé (payé) / montant en vigueur, des seules cellules
    saisies — est inférieur au seuil du contrat (`Contrat.seuil_sous_consommation`, 80 % par défaut) :
    - par année : pour chaque cellule action × année × financeur saisie (`CelluleExecution.sous_consommation`,
      listées par `ExecutionContrat.sous_consommations_par_annee`) ;
    - sur la période : pour une action, le réalisé de ses cellules saisies de toutes les années rapporté à leur
      montant en vigueur (`ExecutionContrat.sous_consommations_periode`).
    Une année (ou une cellule) non saisie n'a pas de taux (None) : elle n'est jamais une sous-consommation, elle est
    « non saisie », listée comme manquante, et ne fait baisser aucun taux. Sans montant en vigueur, pas de taux non
    plus."""
    return taux is not None and taux < seuil


@dataclass
class Budget:
    """Prévu (en vigueur), engagé et réalisé d'une cellule ou d'un ensemble de cellules (action, axe, contrat ;
    une année ou une période). Seules les cellules saisies comptent dans l'engagé, le réalisé et les taux."""

    annee: int | None = None
    prevu: Montants = field(default_factory=Montants)
    prevu_saisi: Decimal = ZERO  # montant en vigueur des seules cellules saisies : le dénominateur des taux
    engage: Montants = field(default_factory=Montants)
    realise: Montants = field(default_factory=Montants)
    attendues: int = 0  # cellules dont un montant est en vigueur ou une exécution saisie
    saisies: int = 0
    provisoire: bool = False

    @property
    def saisi(self) -> bool:
        return self.saisies > 0

    @property
    def complet(self) -> bool:
        return self.saisies >= self.attendues

    @property
    def etat_saisie(self) -> str:
        """« non saisi », « partiel » (des cellules attendues manquent) ou « » (tout est saisi)."""
        if not self.saisi:
            return NON_SAISI
        return "" if self.complet else "partiel"

    @property
    def engage_total(self) -> Decimal | None:
        return self.engage.total if self.saisi else None

    @property
    def realise_total(self) -> Decimal | None:
        return self.realise.total if self.saisi else None

    @property
    def taux_execution(self) -> Decimal | None:
        return self.realise.total / self.prevu_saisi if self.saisi and self.prevu_saisi else None

    @property
    def absent(self) -> str:
        """Ce qu'on écrit à la place d'un chiffre qui n'existe pas : « non saisi » si une exécution est attendue et
        manque, « — » sinon (rien de prévu, ou un taux sans montant en vigueur)."""
        return NON_SAISI if self.attendues and not self.saisi else "—"

    def ajouter(self, autre: "Budget") -> None:
        self.prevu.ajouter(autre.prevu)
        self.prevu_saisi += autre.prevu_saisi
        self.engage.ajouter(autre.engage)
        self.realise.ajouter(autre.realise)
        self.attendues += autre.attendues
        self.saisies += autre.saisies
        self.provisoire = self.provisoire or autre.provisoire


@dataclass
class CelluleExecution:
    """Une action, une année, un financeur : le montant en vigueur et l'exécution saisie (ou non)."""

    action: Action
    annee: int
    financeur: str
    prevu: Decimal
    execution: Execution | None
    seuil: Decimal

    @property
    def saisie(self) -> bool:
        return self.execution is not None

    @property
    def financeur_libelle(self) -> str:
        return Financeur(self.financeur).label

    @property
    def engage(self) -> Decimal | None:
        return self.execution.engage if self.execution else None

    @property
    def realise(self) -> Decimal | None:
        return self.execution.realise if self.execution else None

    @property
    def taux(self) -> Decimal | None:
        return self.execution.realise / self.prevu if self.execution and self.prevu else None

    @property
    def sous_consommation(self) -> bool:
        return est_sous_consommation(self.taux, self.seuil)

    @property
    def justification(self) -> str:
        return self.execution.justification if self.execution else ""

    @property
    def budget(self) -> Budget:
        budget = Budget(annee=self.annee, attendues=1, saisies=int(self.saisie))
        budget.prevu.ajouter_part(self.prevu, self.financeur)
        if self.execution:
            budget.prevu_saisi = self.prevu
            budget.engage.ajouter_part(self.execution.engage, self.financeur)
            budget.realise.ajouter_part(self.execution.realise, self.financeur)
        return budget


TOTAL = ("total",)


@dataclass
class ExecutionContrat:
    """L'exécution d'un contrat sur ses années (ou celles d'un rapport), cellule par cellule et agrégée."""

    contrat: object
    annees: list[int]
    actions: list[Action]
    financeurs: list[str]
    cellules: list[CelluleExecution]
    seuil: Decimal
    provisoires: set
    _sommes: dict = field(default_factory=dict, repr=False)

    def _budget(self, portee: tuple, annee: int | None, financeur: str | None) -> Budget:
        trouve = self._sommes.get((portee, annee, financeur))
        return trouve or Budget(annee=annee, provisoire=annee in self.provisoires)

    def budget_action(self, action, annee: int | None = None, financeur: str | None = None) -> Budget:
        """Une action, une année (ou la période), un financeur (ou tous)."""
        return self._budget(("action", action.pk), annee, financeur)

    def budget_axe(self, axe_id: int | None, annee: int | None = None, financeur: str | None = None) -> Budget:
        """Les actions d'un axe (None : les actions sans axe)."""
        return self._budget(("axe", axe_id), annee, financeur)

    def budget_total(self, annee: int | None = None, financeur: str | None = None) -> Budget:
        return self._budget(TOTAL, annee, financeur)

    @property
    def sous_consommations(self) -> list[CelluleExecution]:
        """Les cellules saisies sous le seuil : l'unique liste des sous-consommations (page, classeur, rapports)."""
        return [c for c in self.cellules if c.sous_consommation]

    @property
    def sous_consommations_par_annee(self) -> dict[int, list[CelluleExecution] | None]:
        """année → ses cellules sous-consommées ; None pour une année dont aucune exécution n'est saisie (« non
        saisie » : ni sous-consommation ni absence de sous-consommation)."""
        par_annee = {a: ([] if self.budget_total(a).saisi else None) for a in self.annees}
        for cellule in self.sous_consommations:
            par_annee[cellule.annee].append(cellule)
        return par_annee

    @property
    def sous_consommations_periode(self) -> list[tuple[Action, Budget]]:
        """Les actions sous-consommées sur la période (années saisies seulement), avec leur budget de la période."""
        resultat = []
        for action in self.actions:
            budget = self.budget_action(action)
            if est_sous_consommation(budget.taux_execution, self.seuil):
                resultat.append((action, budget))
        return resultat

    def budgets_par_annee(self, financeur: str | None = None) -> dict[int, Budget]:
        """année → le budget du contrat cette année-là (prévu, engagé, réalisé, taux ; `etat_saisie`, `absent`)."""
        return {a: self.budget_total(a, financeur) for a in self.annees}

    @property
    def non_justifiees(self) -> list[CelluleExecution]:
        return [c for c in self.sous_consommations if not c.justification.strip()]

    @property
    def annees_non_saisies(self) -> list[int]:
        """Les années commencées (jusqu'à l'année en cours) dont aucune exécution n'est saisie."""
        return [a for a in self.annees if a <= timezone.localdate().year and not self.budget_total(a).saisi]

    @property
    def manquantes(self) -> list[CelluleExecution]:
        """Cellules attendues (un montant en vigueur) mais non saisies, dans une année dont d'autres sont saisies."""
        saisies = {a for a in self.annees if self.budget_total(a).saisi}
        return [c for c in self.cellules if not c.saisie and c.prevu and c.annee in saisies]

    def lignes(self):
        """(action, {annee: {financeur: CelluleExecution}}) dans l'ordre du contrat, pour la page."""
        par_action = defaultdict(lambda: defaultdict(dict))
        for cellule in self.cellules:
            par_action[cellule.action.pk][cellule.annee][cellule.financeur] = cellule
        return [(action, par_action[action.pk]) for action in self.actions]


def execution_du_contrat(contrat, annees: list[int] | None = None) -> ExecutionContrat:
    """L'exécution du contrat (toutes ses années, ou celles demandées) : quatre requêtes, quelle que soit sa taille."""
    annees = list(annees or contrat.annees)
    seuil = Decimal(contrat.seuil_sous_consommation) / 100
    actions = list(Action.objects.pour_tableaux(contrat))
    en_vigueur = lignes_en_vigueur(contrat)
    provisoires = annees_provisoires(contrat, en_vigueur)
    executions = {
        (e.action_id, e.annee, e.financeur): e
        for e in Execution.objects.du_contrat(contrat)
        .filter(annee__in=annees)
        .only("action_id", "annee", "financeur", "engage", "realise", "justification")
    }
    cles = {c for c in en_vigueur if c[1] in annees and en_vigueur[c].montant} | set(executions)
    financeurs = [f for f in Financeur.values if f != Financeur.AUTRE or any(c[2] == f for c in cles)]
    ordre_financeur = {f: rang for rang, f in enumerate(Financeur.values)}
    par_pk = {action.pk: action for action in actions}
    cellules = [
        CelluleExecution(
            action=par_pk[cle[0]],
            annee=cle[1],
            financeur=cle[2],
            prevu=en_vigueur[cle].montant if cle in en_vigueur else ZERO,
            execution=executions.get(cle),
            seuil=seuil,
        )
        for cle in sorted(cles, key=lambda c: (par_pk[c[0]].ordre, c[1], ordre_financeur[c[2]]))
    ]
    sommes = {}
    for cellule in cellules:
        budget = cellule.budget
        budget.provisoire = cellule.annee in provisoires
        for portee in (("action", cellule.action.pk), ("axe", cellule.action.axe_id), TOTAL):
            for annee in (cellule.annee, None):
                for financeur in (cellule.financeur, None):
                    cle = (portee, annee, financeur)
                    if cle not in sommes:
                        sommes[cle] = Budget(annee=annee)
                    sommes[cle].ajouter(budget)
    return ExecutionContrat(contrat, annees, actions, financeurs, cellules, seuil, provisoires, sommes)


@dataclass
class LigneExecution:
    """Une ligne de la page d'exécution : une action et un financeur, un sous-total d'axe ou le total."""

    libelle: str
    budgets: list[Budget]  # un par année
    action: Action | None = None
    financeur: str = ""
    premiere: bool = False  # première ligne de son action (l'intitulé s'y affiche)


@dataclass
class GroupeExecution:
    axe: object
    lignes: list[LigneExecution]
    sous_total: LigneExecution


def execution_par_axe(execution: ExecutionContrat) -> tuple[list[GroupeExecution], LigneExecution]:
    """La page d'exécution : par axe, une ligne par action et financeur, le sous-total de l'axe ; puis le total."""
    par_cle = {(c.action.pk, c.annee, c.financeur): c for c in execution.cellules}
    groupes: list[GroupeExecution] = []
    for action in execution.actions:
        if not groupes or groupes[-1].axe != action.axe:
            sous_total = LigneExecution(
                f"Sous-total {_libelle_axe(action.axe)}",
                [execution.budget_axe(action.axe_id, a) for a in execution.annees],
            )
            groupes.append(GroupeExecution(action.axe, [], sous_total))
        for rang, financeur in enumerate(execution.financeurs):
            budgets = []
            for annee in execution.annees:
                cellule = par_cle.get((action.pk, annee, financeur))
                budgets.append(cellule.budget if cellule else Budget(annee=annee))
            groupes[-1].lignes.append(
                LigneExecution(
                    f"{action.numero} {action.intitule}", budgets, action, Financeur(financeur).label, rang == 0
                )
            )
    total = LigneExecution("TOTAL", [execution.budget_total(a) for a in execution.annees])
    return groupes, total


# --- Versements ------------------------------------------------------------------------------------------------------


@dataclass
class DuVerse:
    """Ce que l'État doit (montants en vigueur) et ce qu'il a versé, pour un exercice et un pilier (axe)."""

    annee: int
    axe: object  # None : versements sans pilier précisé (et rien de dû)
    du: Decimal
    verse: Decimal

    @property
    def reste(self) -> Decimal:
        return self.du - self.verse


@dataclass
class Versements:
    liste: list[Versement]
    par_annee: dict  # annee -> (dû par l'État en vigueur, versé)
    par_axe: list[DuVerse] = field(default_factory=list)  # par exercice puis pilier


def versements_du_contrat(contrat, execution: ExecutionContrat) -> Versements:
    """Les versements de l'État, comparés aux montants dus (en vigueur) par exercice et par pilier (axe). Une
    requête."""
    liste = list(Versement.objects.filter(contrat=contrat).select_related("axe").order_by("date", "pk"))
    verse = defaultdict(Decimal)
    verse_axe = defaultdict(Decimal)
    for versement in liste:
        verse[versement.annee] += versement.montant
        verse_axe[(versement.annee, versement.axe_id)] += versement.montant
    axes = list({action.axe_id: action.axe for action in execution.actions if action.axe_id}.values())
    par_axe = []
    for annee in execution.annees:
        for axe in axes:
            du = execution.budget_axe(axe.pk, annee, Financeur.ETAT).prevu.etat
            if du or verse_axe[(annee, axe.pk)]:
                par_axe.append(DuVerse(annee, axe, du, verse_axe[(annee, axe.pk)]))
        if verse_axe[(annee, None)]:
            par_axe.append(DuVerse(annee, None, ZERO, verse_axe[(annee, None)]))
    return Versements(
        liste,
        {a: (execution.budget_total(a, Financeur.ETAT).prevu.etat, verse[a]) for a in execution.annees},
        par_axe,
    )


# --- Années validées par l'État : exécution et versements en lecture seule ----------------------------------------


def annees_verrouillees(*, contrat, annees, verrouiller: bool = False) -> dict[int, SuiviAnnuel]:
    """Les années, parmi celles-ci, que l'État a validées (le circuit des indicateurs, un par année) : leur exécution
    et leurs versements ne se modifient plus, jusqu'à la réouverture de l'année. Une requête. `verrouiller` : les
    lignes lues restent verrouillées jusqu'à la fin de la transaction (une validation concurrente attend)."""
    suivis = SuiviAnnuel.objects.filter(contrat=contrat, annee__in=set(annees)).select_related(
        "statut_par__profil__organisation"
    )
    if verrouiller:
        suivis = suivis.select_for_update(of=("self",))
    return {suivi.annee: suivi for suivi in suivis if suivi.verrouille}


# --- Crédits de plusieurs contrats (vue nationale) -------------------------------------------------------------------


@dataclass
class CreditsContrats:
    """Les crédits de l'État de plusieurs contrats par (contrat, année, pilier) – signés (contrat initial), en
    vigueur (avenants compris), versés – et l'exécution de chaque contrat par année (tous financeurs, comme la page
    d'exécution). Le pilier est celui du référentiel national de l'axe de l'action (None : axe non rattaché)."""

    signe: dict = field(default_factory=lambda: defaultdict(Decimal))
    en_vigueur: dict = field(default_factory=lambda: defaultdict(Decimal))
    verse: dict = field(default_factory=lambda: defaultdict(Decimal))
    execution: dict = field(default_factory=dict)  # (contrat_id, annee) → Budget
    sous_consommations: dict = field(default_factory=lambda: defaultdict(int))  # (contrat_id, annee) → cellules

    def budget(self, contrat_id: int, annee: int) -> Budget:
        return self.execution.get((contrat_id, annee)) or Budget(annee=annee)


def _en_vigueur(lignes, date: datetime.date | None):
    """`lignes` annotées de `en_vigueur` (vrai pour celles en vigueur), choisies par la base comme le fait
    `retenir_en_vigueur` : la ligne d'un avenant qu'aucun avenant plus récent (date, puis numéro ; signé à la date,
    si elle est donnée) ne remplace pour la même action, année et financeur ; la ligne du contrat initial qu'aucun
    avenant ne remplace."""
    meme_cellule = LigneBudgetaire.objects.filter(
        action_id=OuterRef("action_id"), annee=OuterRef("annee"), financeur=OuterRef("financeur"),
        avenant__isnull=False,
    )  # fmt: skip
    if date is not None:
        meme_cellule = meme_cellule.filter(avenant__date__lte=date)
    plus_recente = meme_cellule.filter(
        Q(avenant__date__gt=OuterRef("avenant__date"))
        | Q(avenant__date=OuterRef("avenant__date"), avenant__numero__gt=OuterRef("avenant__numero"))
    )
    return lignes.alias(remplacee=Exists(meme_cellule), depassee=Exists(plus_recente)).alias(
        en_vigueur=Case(
            When(Q(avenant__isnull=True, remplacee=False) | Q(avenant__isnull=False, depassee=False), then=True),
            default=False,
            output_field=BooleanField(),
        )
    )


def credits_des_contrats(contrats, date: datetime.date | None = None) -> CreditsContrats:
    """Les crédits et l'exécution de tous ces contrats, additionnés par la base en quatre requêtes agrégées, quel que
    soit leur nombre (aucune ligne budgétaire n'est lue une à une). Mêmes règles que pour un contrat : la ligne en
    vigueur est celle du dernier avenant (signé à la date, si elle est donnée), sinon celle du contrat initial
    (`retenir_en_vigueur`) ; une cellule est attendue si un montant y est en vigueur ou une exécution saisie ; taux
    et sous-consommation sont ceux de `CelluleExecution`, `Budget` et `est_sous_consommation` (réalisé / montant en
    vigueur < seuil du contrat, comparé en centimes entiers : exact, même sous SQLite)."""
    ids = [c.pk for c in contrats]
    resultat = CreditsContrats()
    lignes = LigneBudgetaire.objects.filter(action__contrat_id__in=ids)
    if date is not None:
        lignes = lignes.filter(Q(avenant__isnull=True) | Q(avenant__date__lte=date))
    montant = DecimalField(max_digits=16, decimal_places=2)
    # Les crédits de l'État signés (contrat initial) et en vigueur, par contrat, année et pilier : une requête.
    etat = (
        _en_vigueur(lignes, date)
        .filter(financeur=Financeur.ETAT)
        .values_list("action__contrat_id", "annee", "action__axe__pilier_national_id")
        .annotate(
            signe=Sum(Case(When(avenant__isnull=True, then=F("montant")), default=Value(ZERO), output_field=montant)),
            en_vigueur=Sum(Case(When(en_vigueur=True, then=F("montant")), default=Value(ZERO), output_field=montant)),
        )
        .order_by()
    )
    for contrat_id, annee, pilier_id, signe, en_vigueur in etat:
        resultat.signe[(contrat_id, annee, pilier_id)] += signe
        resultat.en_vigueur[(contrat_id, annee, pilier_id)] += en_vigueur

    # Les cellules en vigueur et leur exécution (jointure sur la même action, année et financeur).
    saisie = Q(ex__pk__isnull=False)
    sous_seuil = LessThan(
        Round(F("ex__realise") * 100) * 100,
        Round(F("montant") * 100) * F("action__contrat__seuil_sous_consommation"),
    )
    cellules = (
        _en_vigueur(lignes, date)
        .filter(en_vigueur=True)
        .alias(
            ex=FilteredRelation(
                "action__executions",
                condition=Q(action__executions__annee=F("annee"), action__executions__financeur=F("financeur")),
            )
        )
        .filter(Q(montant__gt=0) | saisie)
        .values_list("action__contrat_id", "annee", "financeur")
        .annotate(
            prevu=Sum("montant"),
            prevu_saisi=Sum(Case(When(saisie, then=F("montant")), default=Value(ZERO), output_field=montant)),
            engage=Sum("ex__engage"),
            realise=Sum("ex__realise"),
            attendues=Count("pk"),
            saisies=Count("ex__pk"),
            sous=Count(Case(When(saisie & Q(montant__gt=0) & Q(sous_seuil), then=1))),
        )
        .order_by()
    )
    # Les exécutions saisies sans aucune ligne budgétaire (montant en vigueur nul) : attendues et saisies.
    ligne_de_la_cellule = lignes.filter(
        action_id=OuterRef("action_id"), annee=OuterRef("annee"), financeur=OuterRef("financeur")
    )
    orphelines = (
        Execution.objects.filter(action__contrat_id__in=ids)
        .filter(~Exists(ligne_de_la_cellule))
        .values_list("action__contrat_id", "annee", "financeur")
        .annotate(
            prevu=Value(ZERO, output_field=montant),
            prevu_saisi=Value(ZERO, output_field=montant),
            engage=Sum("engage"),
            realise=Sum("realise"),
            attendues=Count("pk"),
            saisies=Count("pk"),
            sous=Value(0),
        )
        .order_by()
    )
    for requete in (cellules, orphelines):
        for contrat_id, annee, financeur, prevu, prevu_saisi, engage, realise, attendues, saisies, sous in requete:
            budget = resultat.execution.setdefault((contrat_id, annee), Budget(annee=annee))
            budget.prevu.ajouter_part(prevu or ZERO, financeur)
            budget.prevu_saisi += prevu_saisi or ZERO
            budget.engage.ajouter_part(engage or ZERO, financeur)
            budget.realise.ajouter_part(realise or ZERO, financeur)
            budget.attendues += attendues
            budget.saisies += saisies
            if sous:
                resultat.sous_consommations[(contrat_id, annee)] += sous

    versements = (
        Versement.objects.filter(contrat_id__in=ids)
        .values_list("contrat_id", "annee", "axe__pilier_national_id")
        .annotate(total=Sum("montant"))
        .order_by()
    )
    for contrat_id, annee, pilier_id, total in versements:
        resultat.verse[(contrat_id, annee, pilier_id)] += total
    return resultat
