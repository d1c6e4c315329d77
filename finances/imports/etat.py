"""L'état de la base pour un contrat, lu une fois en un nombre fixe de requêtes : ce que l'aperçu compare et ce que
la confirmation revérifie.

Chaque état porte ses années fermées (`fermees` : année → son suivi), selon la règle de la grille de saisie de ses
données, sans en écrire une autre : l'exécution se ferme quand l'État valide l'année (finances.selectors.
annees_verrouillees, la règle de la grille d'exécution et des versements) ; les valeurs des indicateurs dès que l'année
n'est plus modifiable, soumise ou validée (CircuitExamen.modifiable, la règle de la grille de suivi)."""

from dataclasses import dataclass
from functools import cached_property

from actions.models import Action
from finances.models import Execution
from finances.selectors import annees_verrouillees
from indicateurs.models import Indicateur, Realisation, SuiviAnnuel


@dataclass
class EtatExecution:
    actions: dict[str, Action]
    executions: dict[tuple, Execution]
    fermees: dict[int, SuiviAnnuel]


def etat_execution(contrat, *, verrouiller: bool = False) -> EtatExecution:
    """Trois requêtes ; chaque objet reçoit son contrat pour que clean() n'en fasse aucune de plus. `verrouiller` (à la
    confirmation) : les exécutions, puis les suivis des années, restent verrouillés jusqu'à la fin de la transaction
    (une validation concurrente attend)."""
    actions = {}
    for action in Action.objects.filter(contrat=contrat):
        action.contrat = contrat
        actions[action.numero] = action
    par_pk = {action.pk: action for action in actions.values()}
    executions = Execution.objects.du_contrat(contrat)
    if verrouiller:
        executions = executions.select_for_update(of=("self",))
    par_cle = {}
    for execution in executions:
        execution.action = par_pk[execution.action_id]
        par_cle[(execution.action_id, execution.annee, execution.financeur)] = execution
    fermees = annees_verrouillees(contrat=contrat, annees=contrat.annees, verrouiller=verrouiller)
    return EtatExecution(actions=actions, executions=par_cle, fermees=fermees)


@dataclass
class EtatIndicateurs:
    indicateurs: dict[int, Indicateur]
    realisations: dict[tuple, Realisation]
    suivis: dict[int, SuiviAnnuel]

    @cached_property
    def fermees(self) -> dict[int, SuiviAnnuel]:
        return {annee: suivi for annee, suivi in self.suivis.items() if not suivi.modifiable}


def etat_indicateurs(contrat) -> EtatIndicateurs:
    """Trois requêtes, quelle que soit la taille du fichier."""
    indicateurs = {}
    for indicateur in Indicateur.objects.filter(action__contrat=contrat).select_related("action"):
        indicateur.action.contrat = contrat
        indicateurs[indicateur.pk] = indicateur
    realisations = {
        (r.indicateur_id, r.annee): r for r in Realisation.objects.filter(indicateur__action__contrat=contrat)
    }
    suivis = {
        s.annee: s
        for s in SuiviAnnuel.objects.du_contrat(contrat).select_related(
            "modifie_par__profil__organisation", "statut_par__profil__organisation"
        )
    }
    return EtatIndicateurs(indicateurs=indicateurs, realisations=realisations, suivis=suivis)


def avant_execution(execution: Execution | None) -> dict | None:
    if execution is None:
        return None
    return {
        "engage": str(execution.engage),
        "realise": str(execution.realise),
        "justification": execution.justification,
    }


def avant_realisation(realisation: Realisation | None) -> dict | None:
    if realisation is None:
        return None
    valeur = None if realisation.valeur is None else str(realisation.valeur)
    return {"valeur": valeur, "commentaire": realisation.commentaire}
