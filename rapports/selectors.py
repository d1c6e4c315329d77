"""Les données d'un rapport (annuel ou à mi-parcours) et de son projet de délibération.

Tout est lu en un nombre fixe de requêtes, quelle que soit la taille du contrat, puis calculé ici : montants en
vigueur et exécutés, taux, indicateurs atteints. Les gabarits ne font qu'afficher."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, Sum
from django.utils import timezone

from actions.models import Action, Jalon
from commun.formats import periode
from contrats.enums import RoleSignataire, TypeEcheance
from contrats.models import Deliberation, Echeance
from finances.enums import Financeur
from finances.models import Execution
from finances.tableaux import Montants, annees_provisoires, lignes_en_vigueur
from indicateurs.enums import Portee
from indicateurs.models import Realisation, RecitAction, SuiviAnnuel
from indicateurs.tableaux import tableau_indicateurs
from rapports.cles import CleRapport
from rapports.models import DeliberationRapport

ZERO = Decimal("0")
ATTEINT, NON_ATTEINT, NON_MESURABLE = "atteint", "non atteint", "non mesurable"
RANGS = "abcdefghijklmnopqrstuvwxyz"


def _ajouter(cible: Montants, montant: Decimal, financeur: str) -> None:
    if financeur == Financeur.ETAT:
        cible.etat += montant
    elif financeur == Financeur.COLLECTIVITE:
        cible.collectivite += montant
    else:
        cible.autre += montant


@dataclass
class Budget:
    """Prévu (montants en vigueur), engagé et réalisé d'une action ou d'un ensemble, pour une année ou une période."""

    annee: int | None = None
    prevu: Montants = field(default_factory=Montants)
    engage: Montants = field(default_factory=Montants)
    realise: Montants = field(default_factory=Montants)
    provisoire: bool = False

    @property
    def taux_execution(self) -> Decimal | None:
        return self.realise.total / self.prevu.total if self.prevu.total else None

    @property
    def taux_engagement(self) -> Decimal | None:
        return self.engage.total / self.prevu.total if self.prevu.total else None

    @property
    def reste(self) -> Decimal:
        return self.prevu.total - self.realise.total

    @property
    def a_des_depenses(self) -> bool:
        return bool(self.engage.total or self.realise.total)

    def ajouter(self, autre: "Budget") -> None:
        self.prevu.ajouter(autre.prevu)
        self.engage.ajouter(autre.engage)
        self.realise.ajouter(autre.realise)
        self.provisoire = self.provisoire or autre.provisoire

    @classmethod
    def cumul(cls, budgets, annee=None) -> "Budget":
        total = cls(annee=annee)
        for budget in budgets:
            total.ajouter(budget)
        return total


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
class IndicateurRapport:
    indicateur: object
    repere: str  # « 5.b » : numéro de l'action et rang de l'indicateur
    mesures: list[Mesure]  # une par année de la période
    trajectoire: list[tuple[int, object]]  # (année, Cible ou None) pour chaque année du contrat

    @property
    def derniere(self) -> Mesure:
        return self.mesures[-1]

    @property
    def cibles_suivantes(self) -> list[tuple[int, object]]:
        fin = self.mesures[-1].annee
        return [(annee, cible) for annee, cible in self.trajectoire if annee > fin]

    @property
    def est_national(self) -> bool:
        return self.indicateur.portee == Portee.NATIONAL


@dataclass
class ActionRapport:
    action: object
    budgets: list[Budget]  # un par année de la période
    indicateurs: list[IndicateurRapport]
    recits: list[tuple[int, object]]  # (année, RecitAction ou None)
    jalons: list[object]

    @property
    def budget(self) -> Budget:
        return Budget.cumul(self.budgets)

    @property
    def a_un_recit(self) -> bool:
        return any(recit for _, recit in self.recits)

    @property
    def indicateurs_locaux(self) -> list[IndicateurRapport]:
        return [i for i in self.indicateurs if not i.est_national]

    @property
    def indicateurs_nationaux(self) -> list[IndicateurRapport]:
        return [i for i in self.indicateurs if i.est_national]

    @property
    def nb_atteints(self) -> int:
        return sum(1 for i in self.indicateurs if i.derniere.atteinte == ATTEINT)

    @property
    def nb_mesurables(self) -> int:
        return sum(1 for i in self.indicateurs if i.derniere.atteinte != NON_MESURABLE)

    @property
    def commentaires(self) -> list[tuple[IndicateurRapport, Mesure]]:
        return [(i, m) for i in self.indicateurs for m in i.mesures if m.commentaire]

    @property
    def dernier_resultat(self) -> str:
        """Les résultats de la dernière année renseignée, pour l'exposé de la délibération."""
        for _, recit in reversed(self.recits):
            if recit and recit.resultats.strip():
                return recit.resultats.strip()
        return ""


@dataclass
class AxeRapport:
    axe: object
    actions: list[ActionRapport]
    budgets: list[Budget]  # un par année de la période

    @property
    def budget(self) -> Budget:
        return Budget.cumul(self.budgets)


@dataclass
class Synthese:
    budgets: list[Budget]  # totaux par année
    nb_axes: int
    nb_actions: int
    nb_indicateurs: int
    nb_nationaux: int
    annee_reference: int
    atteints: int
    non_atteints: int
    non_mesurables: int
    valeurs_saisies: int
    valeurs_attendues: int
    actions_avec_recit: int
    sous_consommees: list  # (ActionRapport, taux) sous le seuil du contrat
    seuil: int

    @property
    def budget(self) -> Budget:
        return Budget.cumul(self.budgets)

    @property
    def nb_locaux(self) -> int:
        return self.nb_indicateurs - self.nb_nationaux

    @property
    def mesurables(self) -> int:
        return self.atteints + self.non_atteints

    @property
    def taux_atteinte(self) -> Decimal | None:
        return Decimal(self.atteints) / self.mesurables if self.mesurables else None

    @property
    def part_etat(self) -> Decimal | None:
        budget = self.budget
        return budget.prevu.etat / budget.prevu.total if budget.prevu.total else None


@dataclass
class Rapport:
    contrat: object
    cle: CleRapport
    annees: list[int]
    signataires: list
    axes: list[AxeRapport]
    synthese: Synthese
    suivis: list[tuple[int, object]]  # (année, SuiviAnnuel ou None)
    approbation: object  # la délibération qui a approuvé le contrat, s'il y en a une
    vote: object  # la délibération enregistrée pour ce rapport, une fois votée
    echeance: object
    genere_le: datetime.date
    graphiques: dict = field(default_factory=dict)

    @property
    def actions(self) -> list[ActionRapport]:
        return [action for axe in self.axes for action in axe.actions]

    @property
    def indicateurs(self) -> list[IndicateurRapport]:
        return [indicateur for action in self.actions for indicateur in action.indicateurs]

    @property
    def a_des_nationaux(self) -> bool:
        return any(i.est_national for i in self.indicateurs)

    @property
    def periode(self) -> str:
        return periode(self.annees[0], self.annees[-1])

    @property
    def debut(self) -> datetime.date:
        return datetime.date(self.annees[0], 1, 1)

    @property
    def fin(self) -> datetime.date:
        return datetime.date(self.annees[-1], 12, 31)

    @property
    def titre_rapport(self) -> str:
        return f"{self.cle.rapport.libelle} {self.periode}"

    @property
    def titre(self) -> str:
        if self.cle.est_deliberation:
            return f"Projet de délibération – {self.cle.rapport.libelle.lower()} {self.periode}"
        return self.titre_rapport

    @property
    def objet_deliberation(self) -> str:
        return f"{self.contrat.titre} – {self.titre_rapport}"

    @property
    def rubrique(self) -> str:
        """La rubrique du registre : celle du vote, sinon celle de la délibération qui a approuvé le contrat."""
        for deliberation in (self.vote, self.approbation):
            if deliberation and deliberation.rubrique:
                return deliberation.rubrique
        return ""

    @property
    def etat(self) -> list:
        return [s for s in self.signataires if s.role == RoleSignataire.ETAT]

    @property
    def collectivites(self) -> list:
        return [s for s in self.signataires if s.role == RoleSignataire.COLLECTIVITE]

    @property
    def partenaires(self) -> list:
        return [s for s in self.signataires if s.role == RoleSignataire.PARTENAIRE]


def _indicateurs_par_action(contrat, annees) -> dict:
    """action_id → [IndicateurRapport] : trois requêtes (indicateurs, cibles, valeurs de la période)."""
    realisations = {
        (r.indicateur_id, r.annee): r
        for r in Realisation.objects.filter(indicateur__action__contrat=contrat, annee__in=annees)
    }
    par_action = defaultdict(list)
    for ligne in tableau_indicateurs(contrat):
        indicateur = ligne.indicateur
        trajectoire = list(zip(contrat.annees, ligne.cibles, strict=True))
        cibles = dict(trajectoire)
        rang = len(par_action[indicateur.action_id])
        par_action[indicateur.action_id].append(
            IndicateurRapport(
                indicateur=indicateur,
                repere=f"{indicateur.action.numero}.{RANGS[rang % len(RANGS)]}",
                mesures=[Mesure(a, cibles.get(a), realisations.get((indicateur.pk, a))) for a in annees],
                trajectoire=trajectoire,
            )
        )
    return par_action


def _budgets_par_action(contrat, annees) -> tuple[dict, set]:
    """(action_id, année) → Budget : montants en vigueur (deux requêtes) et exécutions de la période (une)."""
    en_vigueur = lignes_en_vigueur(contrat)
    provisoires = annees_provisoires(contrat, en_vigueur)
    budgets = defaultdict(Budget)
    for ligne in en_vigueur.values():
        if ligne.annee in annees:
            _ajouter(budgets[(ligne.action_id, ligne.annee)].prevu, ligne.montant, ligne.financeur)
    for execution in Execution.objects.du_contrat(contrat).filter(annee__in=annees):
        budget = budgets[(execution.action_id, execution.annee)]
        _ajouter(budget.engage, execution.engage, execution.financeur)
        _ajouter(budget.realise, execution.realise, execution.financeur)
    for (_, annee), budget in budgets.items():
        budget.annee = annee
        budget.provisoire = annee in provisoires
    return budgets, provisoires


def _synthese(contrat, axes: list[AxeRapport], annees) -> Synthese:
    actions = [a for axe in axes for a in axe.actions]
    indicateurs = [i for a in actions for i in a.indicateurs]
    atteintes = [i.derniere.atteinte for i in indicateurs]
    seuil = Decimal(contrat.seuil_sous_consommation) / 100
    sous_consommees = []
    for action in actions:
        budget = action.budget
        if budget.a_des_depenses and budget.taux_execution is not None and budget.taux_execution < seuil:
            sous_consommees.append((action, budget.taux_execution))
    return Synthese(
        budgets=[Budget.cumul([axe.budgets[rang] for axe in axes], annee=annee) for rang, annee in enumerate(annees)],
        nb_axes=sum(1 for axe in axes if axe.axe is not None),
        nb_actions=len(actions),
        nb_indicateurs=len(indicateurs),
        nb_nationaux=sum(1 for i in indicateurs if i.est_national),
        annee_reference=annees[-1],
        atteints=atteintes.count(ATTEINT),
        non_atteints=atteintes.count(NON_ATTEINT),
        non_mesurables=atteintes.count(NON_MESURABLE),
        valeurs_saisies=sum(1 for i in indicateurs for m in i.mesures if m.valeur is not None),
        valeurs_attendues=len(indicateurs) * len(annees),
        actions_avec_recit=sum(1 for a in actions if a.a_un_recit),
        sous_consommees=sous_consommees,
        seuil=contrat.seuil_sous_consommation,
    )


def rapport_donnees(contrat, cle: CleRapport, *, genere_le: datetime.date | None = None) -> Rapport:
    """Le contenu d'un rapport ou d'un projet de délibération ; RapportIndisponible si la période n'existe pas.

    Quatorze requêtes, quel que soit le nombre d'actions, d'indicateurs ou d'années."""
    annees = cle.annees(contrat)
    actions = list(Action.objects.du_contrat(contrat).order_by("axe__numero", "ordre", "numero"))
    budgets, provisoires = _budgets_par_action(contrat, annees)
    indicateurs = _indicateurs_par_action(contrat, annees)
    recits = {(r.action_id, r.annee): r for r in RecitAction.objects.filter(action__contrat=contrat, annee__in=annees)}
    jalons = defaultdict(list)
    for jalon in Jalon.objects.filter(action__contrat=contrat, annee__in=annees).order_by("annee", "pk"):
        jalons[jalon.action_id].append(jalon)

    axes: list[AxeRapport] = []
    for action in actions:
        if not axes or axes[-1].axe != action.axe:
            axes.append(AxeRapport(axe=action.axe, actions=[], budgets=[]))
        axes[-1].actions.append(
            ActionRapport(
                action=action,
                budgets=[
                    budgets.get((action.pk, annee)) or Budget(annee=annee, provisoire=annee in provisoires)
                    for annee in annees
                ],
                indicateurs=indicateurs.get(action.pk, []),
                recits=[(annee, recits.get((action.pk, annee))) for annee in annees],
                jalons=jalons.get(action.pk, []),
            )
        )
    for axe in axes:
        axe.budgets = [
            Budget.cumul([a.budgets[rang] for a in axe.actions], annee=annee) for rang, annee in enumerate(annees)
        ]

    suivis = {s.annee: s for s in SuiviAnnuel.objects.du_contrat(contrat).filter(annee__in=annees)}
    # La délibération qui a approuvé le contrat : la plus ancienne, hors votes des rapports eux-mêmes.
    approbation = (
        Deliberation.objects.du_contrat(contrat).filter(rapport_approuve__isnull=True).order_by("date", "pk").first()
    )
    lien = (
        DeliberationRapport.objects.filter(contrat=contrat, type=cle.deliberation.type, annee=annees[0])
        .select_related("deliberation", "deliberation__organisation")
        .first()
    )
    type_echeance = (
        Q(type=TypeEcheance.RAPPORT_MI_PARCOURS)
        if cle.est_mi_parcours
        else Q(type__in=[TypeEcheance.RAPPORT_ANNUEL, TypeEcheance.VALEURS_ANNUELLES])
    )
    echeance = Echeance.objects.filter(type_echeance, contrat=contrat, annee=annees[-1]).order_by("date").first()
    return Rapport(
        contrat=contrat,
        cle=cle,
        annees=annees,
        signataires=list(contrat.signataires.select_related("organisation")),
        axes=axes,
        synthese=_synthese(contrat, axes, annees),
        suivis=[(annee, suivis.get(annee)) for annee in annees],
        approbation=approbation,
        vote=lien.deliberation if lien else None,
        echeance=echeance,
        genere_le=genere_le or timezone.localdate(),
    )


def graphiques_contrat_donnees(contrat) -> tuple[list[Budget], list[IndicateurRapport]]:
    """Pour les graphiques de la page du contrat, toutes années : budget en vigueur et exécuté par année (deux
    requêtes), indicateurs avec cibles et valeurs (trois requêtes). Le caractère prévisionnel des montants de
    l'État est déjà signalé par le tableau budgétaire de la page."""
    annees = contrat.annees
    budgets = {annee: Budget(annee=annee) for annee in annees}
    en_vigueur = lignes_en_vigueur(contrat)
    for ligne in en_vigueur.values():
        if ligne.annee in budgets:
            _ajouter(budgets[ligne.annee].prevu, ligne.montant, ligne.financeur)
    sommes = (
        Execution.objects.du_contrat(contrat)
        .values("annee", "financeur")
        .annotate(engage_total=Sum("engage"), realise_total=Sum("realise"))
        .order_by()
    )
    for somme in sommes:
        if somme["annee"] in budgets:
            _ajouter(budgets[somme["annee"]].engage, somme["engage_total"], somme["financeur"])
            _ajouter(budgets[somme["annee"]].realise, somme["realise_total"], somme["financeur"])
    indicateurs = [i for liste in _indicateurs_par_action(contrat, annees).values() for i in liste]
    return list(budgets.values()), indicateurs
