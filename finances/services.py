"""Écritures du budget et règles de cofinancement que la base ne peut pas exprimer (sommes sur plusieurs lignes)."""

from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from commun.formats import euros
from commun.historique import enregistrer, sauver
from contrats.enums import TypeContrat
from finances.enums import Financeur, TypeImport
from finances.imports.etat import etat_execution, etat_indicateurs
from finances.imports.session import Analyse, LigneExecution, LigneIndicateur
from finances.imports.validation import reverifier_execution, reverifier_indicateurs
from finances.models import Avenant, Execution, LigneBudgetaire, MontantAnnonce
from finances.selectors import montants_apres, montants_en_vigueur
from indicateurs.services import Valeur, saisie_enregistrer, suivi_obtenir

ZERO = Decimal("0")

# (action, annee, financeur) -> montant
Montants = dict[tuple, Decimal]


def regles_budget(*, contrat, montants: Montants, annees=None) -> list[str]:
    """Les règles de cofinancement violées par ces montants, en français. `montants` porte sur des objets Action."""
    erreurs = []
    par_action = defaultdict(lambda: defaultdict(lambda: ZERO))
    par_annee = defaultdict(lambda: defaultdict(lambda: ZERO))
    etat_par_axe = defaultdict(lambda: ZERO)
    actions = {}
    for (action, annee, financeur), montant in montants.items():
        if annees is not None and annee not in annees:
            continue
        actions[action.pk] = action
        par_action[(action.pk, annee)][financeur] += montant
        par_annee[annee][financeur] += montant
        if financeur == Financeur.ETAT and action.axe_id:
            etat_par_axe[(action.axe_id, annee)] += montant

    if contrat.type == TypeContrat.CLS:
        for (action_pk, annee), parts in sorted(par_action.items(), key=lambda e: (e[0][1], actions[e[0][0]].ordre)):
            collectivite = parts[Financeur.COLLECTIVITE]
            autres = parts[Financeur.ETAT] + parts[Financeur.AUTRE]
            if collectivite < autres:
                total = collectivite + autres
                erreurs.append(
                    f"Action {actions[action_pk].numero}, {annee} : la collectivité apporte {euros(collectivite)} "
                    f"sur {euros(total)}, soit moins de 50 % de l'action (règle du contrat local des solidarités)."
                )
    if contrat.type == TypeContrat.CALPAE:
        for annee, parts in sorted(par_annee.items()):
            if parts[Financeur.COLLECTIVITE] < parts[Financeur.ETAT]:
                erreurs.append(
                    f"{annee} : la collectivité apporte {euros(parts[Financeur.COLLECTIVITE])}, moins que l'État "
                    f"({euros(parts[Financeur.ETAT])}) ; la convention exige des financements au moins équivalents."
                )

    annonces = MontantAnnonce.objects.filter(
        contrat=contrat, axe__isnull=False, financeur=Financeur.ETAT, provisoire=False
    ).select_related("axe")
    for annonce in annonces:
        if annees is not None and annonce.annee not in annees:
            continue
        somme = etat_par_axe[(annonce.axe_id, annonce.annee)]
        if somme != annonce.montant:
            erreurs.append(
                f"Axe {annonce.axe.numero}, {annonce.annee} : les lignes de l'État totalisent {euros(somme)} "
                f"alors que le contrat fixe {euros(annonce.montant)} pour cet axe "
                f"({annonce.source or 'texte du contrat'})."
            )
    return erreurs


def budget_verifier_regles(*, contrat) -> None:
    erreurs = regles_budget(contrat=contrat, montants=montants_en_vigueur(contrat))
    if erreurs:
        raise ValidationError(erreurs)


@transaction.atomic
def budget_annee_enregistrer(*, user, contrat, annee: int, montants: Montants) -> list[LigneBudgetaire]:
    """Corrige d'un bloc les lignes du contrat initial d'une année (toutes actions × financeurs).

    Rien n'est écrit si une règle casse."""
    contrat.verifier_annee(annee, champ=None)
    for action, annee_ligne, _ in montants:
        if action.contrat_id != contrat.pk:
            raise ValidationError(f"L'action {action.numero} n'appartient pas à ce contrat.")
        if annee_ligne != annee:
            raise ValidationError(f"Une ligne porte sur {annee_ligne} au lieu de {annee}.")
    erreurs = regles_budget(contrat=contrat, montants=montants, annees={annee})
    if erreurs:
        raise ValidationError(erreurs)

    existantes = {
        (ligne.action_id, ligne.financeur): ligne
        for ligne in LigneBudgetaire.objects.du_contrat(contrat).initiales().filter(annee=annee)
    }
    enregistrees = []
    for (action, _, financeur), montant in montants.items():
        ligne = existantes.get((action.pk, financeur))
        if ligne is None:
            if montant == ZERO:
                continue
            ligne = LigneBudgetaire(action=action, annee=annee, financeur=financeur)
        elif ligne.montant == montant:
            continue
        ligne.montant = montant
        enregistrees.append(enregistrer(ligne, user=user))
    return enregistrees


@transaction.atomic
def avenant_appliquer(
    *, user, contrat, numero: int, date, objet: str, montants: Montants, deliberation=None
) -> Avenant:
    """Crée l'avenant et ses lignes ; les règles de cofinancement s'appliquent aux montants qui seront en vigueur."""
    if not montants:
        raise ValidationError("Un avenant doit fixer au moins un montant.")
    avenant = Avenant(
        contrat=contrat, numero=numero, date=date, objet=(objet or "").strip(), deliberation=deliberation
    )
    avenant._history_user = user
    avenant.full_clean()
    annees = set()
    for action, annee, _ in montants:
        if action.contrat_id != contrat.pk:
            raise ValidationError(f"L'action {action.numero} n'appartient pas à ce contrat.")
        contrat.verifier_annee(annee, champ=None)
        annees.add(annee)
    erreurs = regles_budget(contrat=contrat, montants=montants_apres(contrat, montants), annees=annees)
    if erreurs:
        raise ValidationError(erreurs)
    sauver(avenant)  # deux avenants de même numéro enregistrés au même instant : le second est refusé en français
    for (action, annee, financeur), montant in montants.items():
        ligne = LigneBudgetaire(action=action, annee=annee, financeur=financeur, montant=montant, avenant=avenant)
        enregistrer(ligne, user=user, motif=f"Avenant n°{numero}")
    return avenant


@transaction.atomic
def execution_justifier(*, user, execution, justification: str):
    """La justification d'une sous-consommation, présentée au dialogue de gestion (Art. 2.2 du CLS)."""
    justification = (justification or "").strip()
    if len(justification) > 2000:
        raise ValidationError("La justification est limitée à 2 000 caractères.")
    execution.justification = justification
    return enregistrer(execution, user=user, motif="Justification de sous-consommation")


@transaction.atomic
def execution_importer(*, user, contrat, lignes: list[LigneExecution]) -> int:
    """Crée ou met à jour l'exécution de chaque ligne (action × année × financeur), toutes ou aucune.

    Les lignes sont revérifiées contre la base : une valeur modifiée depuis l'aperçu n'est jamais écrasée."""
    etat = etat_execution(contrat, verrouiller=True)
    erreurs = reverifier_execution(contrat, lignes, etat)
    if erreurs:
        raise ValidationError(erreurs)
    ecrites = 0
    for ligne in lignes:
        action = etat.actions[ligne.action]
        execution = etat.executions.get((action.pk, ligne.annee, ligne.financeur))
        if execution is None:
            execution = Execution(action=action, annee=ligne.annee, financeur=ligne.financeur)
        elif (execution.engage, execution.realise, execution.justification) == (
            ligne.engage,
            ligne.realise,
            ligne.justification,
        ):
            continue
        execution.engage = ligne.engage
        execution.realise = ligne.realise
        execution.justification = ligne.justification
        enregistrer(execution, user=user, motif="Import Excel")
        etat.executions[(action.pk, ligne.annee, ligne.financeur)] = execution
        ecrites += 1
    return ecrites


@transaction.atomic
def indicateurs_importer(*, user, contrat, lignes: list[LigneIndicateur], versions: dict[str, int]) -> int:
    """Écrit les valeurs par année avec indicateurs.services.saisie_enregistrer (historique, verrou optimiste sur
    la version lue à l'aperçu), toutes les années dans une seule transaction : tout ou rien."""
    etat = etat_indicateurs(contrat)
    erreurs = reverifier_indicateurs(contrat, lignes, versions, etat)
    if erreurs:
        raise ValidationError(erreurs)
    par_annee = defaultdict(dict)
    for ligne in lignes:
        par_annee[ligne.annee][etat.indicateurs[ligne.indicateur]] = Valeur(ligne.valeur, ligne.commentaire)
    ecrites = 0
    for annee, valeurs in sorted(par_annee.items()):
        suivi = etat.suivis.get(annee) or suivi_obtenir(contrat=contrat, annee=annee)
        ecrites += saisie_enregistrer(user=user, suivi=suivi, version=versions[str(annee)], valeurs=valeurs, recits={})
    return ecrites


def analyse_importer(*, user, contrat, analyse: Analyse) -> int:
    """Écrit les lignes d'un import confirmé, avec le service de son type (chacun tout ou rien)."""
    if analyse.type_import == TypeImport.EXECUTION:
        return execution_importer(user=user, contrat=contrat, lignes=analyse.a_ecrire)
    return indicateurs_importer(user=user, contrat=contrat, lignes=analyse.a_ecrire, versions=analyse.versions)
