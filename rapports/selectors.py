"""Les données d'un rapport (annuel ou à mi-parcours) et de son projet de délibération.

Tout est lu en un nombre fixe de requêtes, quelle que soit la taille du contrat, puis calculé ici : montants en
vigueur et exécutés, taux, indicateurs atteints. Les gabarits ne font qu'afficher."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from actions.models import Action, Jalon
from commun.formats import periode
from contrats.enums import RoleSignataire, TypeEcheance
from contrats.models import Deliberation, Echeance
from finances.selectors import Budget, CelluleExecution, ExecutionContrat, execution_du_contrat
from indicateurs.enums import Portee
from indicateurs.models import Realisation, RecitAction, SuiviAnnuel
from indicateurs.selectors import BilanCibles, Mesure, bilan_cibles
from indicateurs.tableaux import tableau_indicateurs
from rapports.cles import CleRapport
from rapports.enums import TypeRapport
from rapports.models import DeliberationRapport, VersionRapport

RANGS = "abcdefghijklmnopqrstuvwxyz"


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
    budget: Budget  # la période
    indicateurs: list[IndicateurRapport]
    recits: list[tuple[int, object]]  # (année, RecitAction ou None)
    jalons: list[object]

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
    def cibles(self) -> list[BilanCibles]:
        """Le décompte des cibles de l'action, une par année de la période."""
        annees = [m.annee for m in self.indicateurs[0].mesures] if self.indicateurs else []
        return [bilan_cibles([i.mesures[rang] for i in self.indicateurs], annee) for rang, annee in enumerate(annees)]

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


@dataclass
class Synthese:
    budgets: list[Budget]  # totaux par année
    budget: Budget  # la période
    nb_axes: int
    nb_actions: int
    nb_indicateurs: int
    nb_nationaux: int
    cibles: list[BilanCibles]  # une par année de la période
    actions_avec_recit: int
    sous_consommations: list[CelluleExecution]  # cellules saisies sous le seuil, par année (Art. 2.2)
    annees_non_saisies: list[int]  # années sans aucune exécution saisie
    seuil: int

    @property
    def nb_locaux(self) -> int:
        return self.nb_indicateurs - self.nb_nationaux

    @property
    def valeurs_saisies(self) -> int:
        return sum(c.valeurs_saisies for c in self.cibles)

    @property
    def valeurs_attendues(self) -> int:
        return sum(c.valeurs_attendues for c in self.cibles)

    @property
    def part_etat(self) -> Decimal | None:
        return self.budget.prevu.etat / self.budget.prevu.total if self.budget.prevu.total else None


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
                mesures=[
                    Mesure(a, cibles.get(a), realisations.get((indicateur.pk, a)), indicateur=indicateur)
                    for a in annees
                ],
                trajectoire=trajectoire,
            )
        )
    return par_action


def _synthese(contrat, axes: list[AxeRapport], annees, execution: ExecutionContrat) -> Synthese:
    actions = [a for axe in axes for a in axe.actions]
    indicateurs = [i for a in actions for i in a.indicateurs]
    return Synthese(
        budgets=[execution.budget_total(annee) for annee in annees],
        budget=execution.budget_total(),
        nb_axes=sum(1 for axe in axes if axe.axe is not None),
        nb_actions=len(actions),
        nb_indicateurs=len(indicateurs),
        nb_nationaux=sum(1 for i in indicateurs if i.est_national),
        cibles=[bilan_cibles([i.mesures[rang] for i in indicateurs], annee) for rang, annee in enumerate(annees)],
        actions_avec_recit=sum(1 for a in actions if a.a_un_recit),
        sous_consommations=execution.sous_consommations,
        annees_non_saisies=execution.annees_non_saisies,
        seuil=contrat.seuil_sous_consommation,
    )


def rapport_donnees(contrat, cle: CleRapport, *, genere_le: datetime.date | None = None) -> Rapport:
    """Le contenu d'un rapport ou d'un projet de délibération ; RapportIndisponible si la période n'existe pas.

    Quatorze requêtes, quel que soit le nombre d'actions, d'indicateurs ou d'années."""
    annees = cle.annees(contrat)
    actions = list(Action.objects.du_contrat(contrat).order_by("axe__numero", "ordre", "numero"))
    execution = execution_du_contrat(contrat, annees)
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
                budgets=[execution.budget_action(action, annee) for annee in annees],
                budget=execution.budget_action(action),
                indicateurs=indicateurs.get(action.pk, []),
                recits=[(annee, recits.get((action.pk, annee))) for annee in annees],
                jalons=jalons.get(action.pk, []),
            )
        )
    for axe in axes:
        axe.budgets = [execution.budget_axe(axe.axe.pk if axe.axe else None, annee) for annee in annees]

    # Qui a soumis ou validé chaque année, nommé avec son organisation : chargé avec l'année.
    suivis = SuiviAnnuel.objects.du_contrat(contrat).filter(annee__in=annees)
    suivis = {s.annee: s for s in suivis.select_related("statut_par__profil__organisation")}
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
        synthese=_synthese(contrat, axes, annees, execution),
        suivis=[(annee, suivis.get(annee)) for annee in annees],
        approbation=approbation,
        vote=lien.deliberation if lien else None,
        echeance=echeance,
        genere_le=genere_le or timezone.localdate(),
    )


def graphiques_contrat_donnees(contrat) -> tuple[list[Budget], list[IndicateurRapport]]:
    """Pour les graphiques de la page du contrat, toutes années : budget en vigueur et exécuté par année, indicateurs
    avec cibles et valeurs. Le caractère prévisionnel des montants de l'État est déjà signalé par le tableau
    budgétaire de la page."""
    execution = execution_du_contrat(contrat)
    budgets = [execution.budget_total(annee) for annee in contrat.annees]
    indicateurs = [i for liste in _indicateurs_par_action(contrat, contrat.annees).values() for i in liste]
    return budgets, indicateurs


def mi_parcours_transmis(contrats) -> dict[int, datetime.datetime]:
    """contrat_id → date de transmission au préfet du rapport d'exécution à mi-parcours, pour ceux qui l'ont
    transmis. Une requête, quel que soit le nombre de contrats."""
    return dict(
        VersionRapport.objects.filter(contrat__in=contrats, type=TypeRapport.MI_PARCOURS, transmise=True)
        .values_list("contrat_id", "transmise_le")
        .order_by()
    )
