"""Les données d'un rapport (annuel ou à mi-parcours) et de son projet de délibération.

Tout est lu en un nombre fixe de requêtes, quelle que soit la taille du contrat, puis calculé ici : montants en
vigueur et exécutés, taux, indicateurs atteints. Les gabarits ne font qu'afficher."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from actions.models import Action, Jalon
from commun.formats import periode
from contrats.enums import RoleSignataire, TypeEcheance
from contrats.models import Deliberation, Echeance
from finances.enums import Financeur
from finances.selectors import (
    Budget,
    CelluleExecution,
    ExecutionContrat,
    execution_du_contrat,
    versements_du_contrat,
)
from indicateurs.enums import Portee, StatutSuivi
from indicateurs.models import Realisation, RecitAction, SuiviAnnuel
from indicateurs.selectors import BilanCibles, Mesure, bilan_cibles
from indicateurs.tableaux import tableau_indicateurs
from rapports.cles import ANNEES_MI_PARCOURS, CleRapport
from rapports.enums import TypeRapport
from rapports.models import DeliberationRapport, VersionRapport

RANGS = "abcdefghijklmnopqrstuvwxyz"


def _annees_saisies(budgets: list[Budget]) -> list[int]:
    return [b.annee for b in budgets if b.saisi]


def _annees_non_saisies(budgets: list[Budget]) -> list[int]:
    """Les années dont une exécution est attendue (un montant en vigueur) et dont rien n'est saisi."""
    return [b.annee for b in budgets if b.attendues and not b.saisi]


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
    def execution_periode_complete(self) -> bool:
        """Chaque année de la période a son exécution saisie : le total et le taux de la période ont un sens."""
        return not _annees_non_saisies(self.budgets)

    @property
    def annees_execution_saisie(self) -> list[int]:
        return _annees_saisies(self.budgets)

    @property
    def annees_execution_non_saisie(self) -> list[int]:
        return _annees_non_saisies(self.budgets)

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
    def execution_periode_complete(self) -> bool:
        return not _annees_non_saisies(self.budgets)

    @property
    def annees_execution_saisie(self) -> list[int]:
        return _annees_saisies(self.budgets)

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
class FinancesAnnee:
    """Une année de l'annexe budgétaire vue par financeur, et les versements de l'État de cet exercice : lus dans
    les modèles de lecture des finances (execution_du_contrat, versements_du_contrat), jamais recalculés ici."""

    annee: int
    par_financeur: list[tuple[str, Budget]]  # (libellé, comme la page et le classeur d'exécution), État d'abord
    versements: list  # les Versement de l'exercice, par date
    du: Decimal  # part de l'État en vigueur pour l'exercice
    verse: Decimal

    @property
    def reste(self) -> Decimal:
        return self.du - self.verse


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
    execution: ExecutionContrat | None = field(default=None, repr=False)

    @cached_property
    def finances_par_annee(self) -> list[FinancesAnnee]:
        """Réalisé par financeur et versements, année par année : une requête (les versements), faite seulement
        par le rapport qui les montre (pas par le projet de délibération)."""
        execution = self.execution
        versements = versements_du_contrat(self.contrat, execution)
        return [
            FinancesAnnee(
                annee=annee,
                par_financeur=[(Financeur(f).label, execution.budget_total(annee, f)) for f in execution.financeurs],
                versements=[v for v in versements.liste if v.annee == annee],
                du=versements.par_annee[annee][0],
                verse=versements.par_annee[annee][1],
            )
            for annee in self.annees
        ]

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
        execution=execution,
    )


def graphiques_contrat_donnees(contrat) -> tuple[list[Budget], list[IndicateurRapport]]:
    """Pour les graphiques de la page du contrat, toutes années : budget en vigueur et exécuté par année, indicateurs
    avec cibles et valeurs. Le caractère prévisionnel des montants de l'État est déjà signalé par le tableau
    budgétaire de la page."""
    execution = execution_du_contrat(contrat)
    budgets = [execution.budget_total(annee) for annee in contrat.annees]
    indicateurs = [i for liste in _indicateurs_par_action(contrat, contrat.annees).values() for i in liste]
    return budgets, indicateurs


# --- Prêt à figer ? ------------------------------------------------------------------------------------------------


@dataclass
class PointPreparation:
    """Une condition pour figer un document : remplie ou non, ce qui manque, et les pages qui y remédient."""

    libelle: str
    pret: bool
    detail: str = ""
    liens: list[tuple[str, str]] = field(default_factory=list)  # (texte, adresse)

    def __str__(self) -> str:
        return f"{self.libelle} : {self.detail}" if self.detail else self.libelle


@dataclass
class Preparation:
    points: list[PointPreparation]

    @property
    def manques(self) -> list[PointPreparation]:
        return [p for p in self.points if not p.pret]

    @property
    def pret(self) -> bool:
        return not self.manques

    def manques_en_texte(self) -> str:
        """Ce qui manque, une ligne par point : conservé avec une version figée malgré tout."""
        return "\n".join(str(p) for p in self.manques)


_ETAT_DU_SUIVI = {
    StatutSuivi.BROUILLON: "en cours de saisie (brouillon)",
    StatutSuivi.SOUMIS: "soumise, en attente de la validation de l'État",
    StatutSuivi.A_CORRIGER: "renvoyée pour correction",
}


def _s(n: int) -> str:
    return "s" if n >= 2 else ""


def preparation_du_rapport(rapport: Rapport) -> Preparation:
    """Ce qui doit être fait avant de figer le document pour transmission : chaque année validée par l'État, son
    exécution saisie, les cibles « nd » de la période fixées (avenant) ou justifiées (valeur déclarée non disponible
    ou commentaire de l'année), et le vote de la délibération enregistré. Lu dans le rapport déjà chargé : aucune
    requête de plus."""
    slug = rapport.contrat.slug
    points = []
    for annee, suivi in rapport.suivis:
        valide = suivi is not None and suivi.statut == StatutSuivi.VALIDE
        detail = "" if valide else (_ETAT_DU_SUIVI.get(suivi.statut, "") if suivi else "aucune valeur saisie")
        points.append(
            PointPreparation(
                f"Suivi {annee} validé par l'État",
                valide,
                f"année {detail}" if detail else "",
                [] if valide else [(f"Ouvrir le suivi {annee}", reverse("indicateurs:grille", args=[slug, annee]))],
            )
        )
    execution_url = reverse("finances:execution", args=[slug])
    for budget in rapport.synthese.budgets:
        if not budget.attendues:
            continue  # rien de prévu cette année : aucune exécution attendue
        if not budget.saisi:
            detail = "non saisie"
        elif not budget.complet:
            manquantes = budget.attendues - budget.saisies
            detail = f"partielle : {manquantes} ligne{_s(manquantes)} (action × financeur) non saisie{_s(manquantes)}"
        else:
            detail = ""
        points.append(
            PointPreparation(
                f"Exécution {budget.annee} saisie",
                not detail,
                detail,
                [(f"Saisir l'exécution {budget.annee}", execution_url)] if detail else [],
            )
        )
    for rang, annee in enumerate(rapport.annees):
        a_fixer = [
            i
            for i in rapport.indicateurs
            if i.mesures[rang].cible is not None
            and i.mesures[rang].cible.nd
            and not (i.mesures[rang].non_disponible or i.mesures[rang].commentaire.strip())
        ]
        if not any(i.mesures[rang].cible is not None and i.mesures[rang].cible.nd for i in rapport.indicateurs):
            continue  # aucune cible « nd » cette année
        points.append(
            PointPreparation(
                f"Cibles « nd » {annee} fixées par avenant ou justifiées",
                not a_fixer,
                f"{len(a_fixer)} cible{_s(len(a_fixer))} « nd » sans valeur fixée ni justification "
                f"(valeur déclarée non disponible ou commentaire de l'année) : " + ", ".join(i.repere for i in a_fixer)
                if a_fixer
                else "",
                [
                    (f"Indicateur {i.repere}", reverse("indicateurs:detail", args=[slug, i.indicateur.pk]))
                    for i in a_fixer
                ],
            )
        )
    vote = rapport.vote
    points.append(
        PointPreparation(
            "Vote du projet de délibération enregistré",
            vote is not None,
            "" if vote else "le scrutin et les présences ne sont pas reportés",
            [] if vote else [("Enregistrer le vote", reverse("rapports:vote", args=[slug, rapport.cle.deliberation]))],
        )
    )
    return Preparation(points)


def destinataire_par_defaut(contrat) -> str:
    """Le représentant de l'État signataire (« Préfet de la Côte d'Or »), à défaut « Préfet » : une requête."""
    etat = contrat.signataires.filter(role=RoleSignataire.ETAT).select_related("organisation").first()
    return (etat.qualite or etat.organisation.nom) if etat else "Préfet"


# --- Les rapports à préparer (page d'accueil du secrétariat) -------------------------------------------------------

# Un rapport s'annonce sur l'accueil du secrétariat ce nombre de jours avant son échéance.
PREAVIS_RAPPORT = 120


@dataclass
class RapportAPreparer:
    contrat: object
    cle: CleRapport
    echeance: object
    periode: str
    en_retard: bool
    figee: object  # la dernière version figée, ou None
    url: str

    @property
    def etat(self) -> str:
        if self.figee is None:
            return "non figé"
        return f"figé le {timezone.localtime(self.figee.cree_le):%d/%m/%Y}, non transmis"


def cle_de_l_echeance(echeance) -> CleRapport | None:
    """Le rapport qu'une échéance attend (mi-parcours : l'échéance porte la dernière année de la période)."""
    contrat = echeance.contrat
    if echeance.type == TypeEcheance.RAPPORT_MI_PARCOURS:
        annees = contrat.annees[:ANNEES_MI_PARCOURS]
        if len(contrat.annees) >= ANNEES_MI_PARCOURS and echeance.annee in (None, annees[-1]):
            return CleRapport(TypeRapport.MI_PARCOURS)
    elif echeance.type == TypeEcheance.RAPPORT_ANNUEL and echeance.annee and contrat.contient_annee(echeance.annee):
        return CleRapport(TypeRapport.ANNUEL, echeance.annee)
    return None


def rapports_a_preparer(user, echeances) -> list[RapportAPreparer]:
    """Les rapports dus (échéance passée ou dans les PREAVIS_RAPPORT jours) et non transmis des contrats où
    l'utilisateur fige et transmet : une requête (les versions figées), aucune si rien n'est dû."""
    aujourd_hui = timezone.localdate()
    dues = [
        (echeance, cle)
        for echeance in echeances
        if echeance.est_un_rapport
        and echeance.realisee_le is None
        and (echeance.date - aujourd_hui).days <= PREAVIS_RAPPORT
        and user.has_perm("rapports.transmettre", echeance.contrat)
        and (cle := cle_de_l_echeance(echeance))
    ]
    if not dues:
        return []
    versions = {}
    for version in (
        VersionRapport.objects.filter(contrat__in={e.contrat_id for e, _ in dues})
        .only("contrat_id", "type", "annee", "cree_le", "transmise")
        .order_by("cree_le")
    ):
        versions[(version.contrat_id, version.type, version.annee)] = version
    resultat = []
    for echeance, cle in dues:
        annees = cle.annees(echeance.contrat)
        version = versions.get((echeance.contrat_id, cle.type, annees[0]))
        if version is not None and version.transmise:
            continue
        resultat.append(
            RapportAPreparer(
                contrat=echeance.contrat,
                cle=cle,
                echeance=echeance,
                periode=periode(annees[0], annees[-1]),
                en_retard=echeance.date < aujourd_hui,
                figee=version,
                url=reverse("rapports:apercu", args=[echeance.contrat.slug, cle]) + "#preparation",
            )
        )
    return resultat


def mi_parcours_transmis(contrats) -> dict[int, datetime.datetime]:
    """contrat_id → date de transmission au préfet du rapport d'exécution à mi-parcours, pour ceux qui l'ont
    transmis. Une requête, quel que soit le nombre de contrats."""
    return dict(
        VersionRapport.objects.filter(contrat__in=contrats, type=TypeRapport.MI_PARCOURS, transmise=True)
        .values_list("contrat_id", "transmise_le")
        .order_by()
    )
