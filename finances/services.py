"""Écritures du budget et règles de cofinancement que la base ne peut pas exprimer (sommes sur plusieurs lignes)."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from commun.formats import euros
from commun.fusion import ConflitFusion, fusionner, message_de_conflit
from commun.historique import (
    AUTEUR,
    auteur_de_la_modification,
    auteurs_des_champs,
    derniers_auteurs,
    enregistrer,
    sauver,
)
from contrats.enums import TypeContrat
from contrats.models import Contrat
from finances.enums import Financeur, TypeImport
from finances.imports.etat import etat_execution, etat_indicateurs
from finances.imports.session import Analyse, LigneExecution, LigneIndicateur
from finances.imports.validation import reverifier_execution, reverifier_indicateurs
from finances.models import Avenant, Execution, LigneBudgetaire, MontantAnnonce, Versement
from finances.selectors import annees_verrouillees, montants_apres, montants_en_vigueur
from indicateurs.services import Valeur, saisie_enregistrer, suivi_obtenir, verrou_message

ZERO = Decimal("0")

# (action, annee, financeur) -> montant
Montants = dict[tuple, Decimal]


def regles_budget(*, contrat, montants: Montants, annees=None, annonces=None) -> list[str]:
    """Les règles de cofinancement violées par ces montants, en français. `montants` porte sur des objets Action.

    `annonces` : les montants de l'État annoncés par axe (non provisoires) à confronter aux lignes ; lus en base
    quand ils ne sont pas donnés. Un contrat pas encore enregistré (creation/) les donne, avec ses actions et ses axes
    non enregistrés, chacun muni d'un identifiant provisoire."""
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

    if annonces is None:
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


# --- Exécution et versements d'une année : verrouillés avec la validation de l'année par l'État ----------------------


def _annees_ouvertes_verifier(*, contrat, annees) -> None:
    verrouillees = annees_verrouillees(contrat=contrat, annees=annees, verrouiller=True)
    if verrouillees:
        raise ValidationError(
            [
                f"{verrou_message(suivi)} Son exécution et ses versements sont en lecture seule ; rien n'a été "
                "enregistré."
                for _, suivi in sorted(verrouillees.items())
            ]
        )


def _contrat_verrouiller(contrat) -> None:
    """Une écriture de l'exécution à la fois par contrat : la lecture de l'état enregistré, la fusion et l'écriture
    ne s'entrelacent pas avec celles d'une autre personne."""
    list(Contrat.objects.select_for_update().filter(pk=contrat.pk).values_list("pk"))


CHAMPS_EXECUTION = {"e": "engage", "r": "realise", "j": "justification"}


def champ_execution(prefixe: str, action_pk: int, financeur: str) -> str:
    """Le nom plat d'un champ de la grille d'exécution : « e12_etat » (engagé), « r12_etat » (réalisé),
    « j12_etat » (justification)."""
    return f"{prefixe}{action_pk}_{financeur}"


def _cle_du_champ(champ: str) -> tuple[int, str]:
    action, _, financeur = champ[1:].partition("_")
    return int(action), financeur


def execution_enregistree(*, contrat, annee: int, actions, financeurs) -> dict:
    """Ce qui est enregistré pour l'année, à plat comme la grille (une requête) : None (engagé, réalisé) et « »
    (justification) pour une cellule non saisie."""
    executions = {(e.action_id, e.financeur): e for e in Execution.objects.du_contrat(contrat).filter(annee=annee)}
    etat = {}
    for action in actions:
        for financeur in financeurs:
            execution = executions.get((action.pk, financeur))
            for prefixe, attribut in CHAMPS_EXECUTION.items():
                vide = "" if prefixe == "j" else None
                etat[champ_execution(prefixe, action.pk, financeur)] = (
                    getattr(execution, attribut) if execution else vide
                )
    return etat


class ConflitExecution(ConflitFusion):
    """L'exécution de l'année a changé entre-temps sur des champs que l'utilisateur a aussi changés : rien n'est
    écrit, il tranche champ par champ."""


@dataclass
class EnregistrementExecution:
    modifiees: int
    repris: list = field(default_factory=list)  # champs changés par un autre entre-temps, gardés tels quels
    auteurs: dict = field(default_factory=dict)


def _auteurs_execution(contrat, annee, champs, user) -> dict:
    par_ligne = derniers_auteurs(
        Execution.history.filter(action__contrat=contrat, annee=annee).select_related(AUTEUR),
        lambda h: (h.action_id, h.financeur),
    )
    return auteurs_des_champs(champs, par_ligne, _cle_du_champ, user)


def _erreurs_de_cellule(valeurs: dict, action, financeur) -> dict:
    """Une exécution se saisit entière : engagé et réalisé ensemble (0 si rien) ; une justification l'accompagne."""
    e, r, j = (champ_execution(p, action.pk, financeur) for p in CHAMPS_EXECUTION)
    cellule = f"action {action.numero}, {Financeur(financeur).label}"
    erreurs = {}
    if valeurs[e] is None and valeurs[r] is not None:
        erreurs[e] = f"Saisissez aussi l'engagé ({cellule}) : 0 si rien n'est engagé."
    if valeurs[r] is None and valeurs[e] is not None:
        erreurs[r] = f"Saisissez aussi le réalisé ({cellule}) : 0 si rien n'est payé."
    if valeurs[e] is None and valeurs[r] is None and valeurs[j]:
        erreurs[j] = (
            f"Une justification accompagne une exécution saisie : saisissez l'engagé et le réalisé ({cellule})."
        )
    if len(valeurs[j] or "") > 2000:
        erreurs[j] = "La justification est limitée à 2 000 caractères."
    return erreurs


@transaction.atomic
def execution_grille_enregistrer(
    *, user, contrat, annee: int, actions, financeurs, lues: dict, saisies: dict
) -> EnregistrementExecution:
    """Enregistre d'un bloc la grille d'exécution d'une année (action × financeur : engagé, réalisé, justification).

    Fusion à trois voies champ par champ (commun.fusion) entre ce que l'utilisateur a lu, ce qu'il a saisi et ce qui
    est enregistré maintenant : un champ changé par un autre seulement est repris, un champ changé des deux côtés
    lève ConflitExecution. Une cellule vidée redevient « non saisie ». Une année validée par l'État, une cellule
    incomplète ou une action d'un autre contrat : ValidationError (par champ quand c'est une cellule), rien n'est
    écrit."""
    contrat.verifier_annee(annee, champ=None)
    for action in actions:
        if action.contrat_id != contrat.pk:
            raise ValidationError(f"L'action {action.numero} n'appartient pas à ce contrat.")
    _contrat_verrouiller(contrat)
    _annees_ouvertes_verifier(contrat=contrat, annees=[annee])
    enregistrees = execution_enregistree(contrat=contrat, annee=annee, actions=actions, financeurs=financeurs)
    saisies = {champ: saisies.get(champ, enregistrees[champ]) for champ in enregistrees}
    lues = {champ: lues.get(champ, enregistrees[champ]) for champ in enregistrees}
    fusion = fusionner(lues, saisies, enregistrees)
    auteurs = {}
    if fusion.conflits or fusion.changes_par_autrui:
        auteurs = _auteurs_execution(
            contrat, annee, [c.champ for c in fusion.conflits] + fusion.changes_par_autrui, user
        )
    if fusion.conflits:
        dernier = max(
            (auteurs[c.champ] for c in fusion.conflits if c.champ in auteurs), key=lambda a: a[1], default=None
        )
        modifie = f"L'exécution {annee} a été modifiée entre-temps" + (
            f" par {dernier[0]} le {dernier[1]:%d/%m/%Y à %H:%M}" if dernier else ""
        )
        raise ConflitExecution(
            message_de_conflit(modifie, len(fusion.conflits)), fusion.conflits, auteurs, fusion.changes_par_autrui
        )
    valeurs = fusion.valeurs
    valeurs.update({c: (v or "").strip() for c, v in valeurs.items() if c.startswith("j")})
    erreurs = {}
    for action in actions:
        for financeur in financeurs:
            erreurs |= _erreurs_de_cellule(valeurs, action, financeur)
    if erreurs:
        raise ValidationError(erreurs)

    existantes = {(e.action_id, e.financeur): e for e in Execution.objects.du_contrat(contrat).filter(annee=annee)}
    modifiees = 0
    motif = f"Saisie de l'exécution {annee}"
    for action in actions:
        for financeur in financeurs:
            engage, realise, justification = (
                valeurs[champ_execution(p, action.pk, financeur)] for p in CHAMPS_EXECUTION
            )
            execution = existantes.get((action.pk, financeur))
            if engage is None:  # cellule vide : non saisie
                if execution is not None:
                    execution._history_user = user
                    execution._change_reason = motif
                    execution.delete()
                    modifiees += 1
                continue
            if execution is None:
                execution = Execution(action=action, annee=annee, financeur=financeur)
            elif (execution.engage, execution.realise, execution.justification) == (engage, realise, justification):
                continue
            execution.engage, execution.realise, execution.justification = engage, realise, justification
            enregistrer(execution, user=user, motif=motif)
            modifiees += 1
    return EnregistrementExecution(modifiees, fusion.changes_par_autrui, auteurs)


@transaction.atomic
def execution_justifier(*, user, execution, justification: str):
    """La justification d'une sous-consommation, présentée au dialogue de gestion (Art. 2.2 du CLS)."""
    _annees_ouvertes_verifier(contrat=execution.action.contrat, annees=[execution.annee])
    justification = (justification or "").strip()
    if len(justification) > 2000:
        raise ValidationError("La justification est limitée à 2 000 caractères.")
    execution.justification = justification
    return enregistrer(execution, user=user, motif="Justification de sous-consommation")


@transaction.atomic
def execution_importer(*, user, contrat, lignes: list[LigneExecution]) -> int:
    """Crée ou met à jour l'exécution de chaque ligne (action × année × financeur), toutes ou aucune.

    Les lignes sont revérifiées contre la base : une valeur modifiée depuis l'aperçu n'est jamais écrasée, une année
    validée entre-temps (suivis lus et verrouillés par etat_execution) fait tout refuser."""
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


CHAMPS_VERSEMENT = ("date", "annee", "montant", "axe", "imputation", "code_activite", "compte")


def versement_plat(versement: Versement) -> dict:
    """Un versement à plat, comme son formulaire (l'axe par son objet)."""
    return {champ: getattr(versement, champ) for champ in CHAMPS_VERSEMENT}


class ConflitVersement(ConflitFusion):
    """Le versement a changé entre-temps sur des champs que l'utilisateur a aussi changés : rien n'est écrit."""


@transaction.atomic
def versement_enregistrer(*, user, contrat, versement: Versement | None, lues: dict, saisies: dict) -> Versement:
    """Crée (versement None) ou modifie un versement de l'État. Ni l'exercice qu'il quitte ni celui où il va ne
    doivent être validés par l'État. En modification, fusion à trois voies avec ce qui est enregistré : ce qu'un autre
    a changé entre-temps est gardé, un champ changé des deux côtés lève ConflitVersement ; rien n'est écrit."""
    _contrat_verrouiller(contrat)
    valeurs = dict(saisies)
    if versement is None:
        versement = Versement(contrat=contrat)
        motif = "Versement saisi"
    else:
        versement = Versement.objects.select_for_update().filter(contrat=contrat, pk=versement.pk).first()
        if versement is None:
            raise ValidationError("Ce versement a été supprimé entre-temps : rien n'a été enregistré.")
        enregistre = versement_plat(versement)
        fusion = fusionner({c: lues.get(c) for c in saisies}, saisies, enregistre)
        if fusion.conflits:
            derniere = versement.history.select_related(AUTEUR).first()
            qui, auteurs = "", {}
            if derniere:
                qui = auteur_de_la_modification(derniere.history_user, derniere.history_date, user)
                par_ligne = {"versement": (derniere.history_user, derniere.history_date)}
                auteurs = auteurs_des_champs(
                    [c.champ for c in fusion.conflits], par_ligne, lambda _: "versement", user
                )
            raise ConflitVersement(
                message_de_conflit(f"Ce versement a été modifié entre-temps{qui}", len(fusion.conflits)),
                fusion.conflits,
                auteurs,
                fusion.changes_par_autrui,
            )
        valeurs = fusion.valeurs
        motif = "Versement modifié"
    annees = {a for a in (versement.annee, valeurs.get("annee")) if a}
    _annees_ouvertes_verifier(contrat=contrat, annees=annees)
    for champ in CHAMPS_VERSEMENT:
        valeur = valeurs.get(champ)
        setattr(
            versement, champ, (valeur or "").strip() if champ in ("imputation", "code_activite", "compte") else valeur
        )
    return enregistrer(versement, user=user, motif=motif)


@transaction.atomic
def versement_supprimer(*, user, contrat, versement: Versement) -> None:
    """Supprime un versement (l'historique le garde), sauf si son exercice est validé par l'État."""
    _contrat_verrouiller(contrat)
    _annees_ouvertes_verifier(contrat=contrat, annees=[versement.annee])
    versement._history_user = user
    versement._change_reason = "Versement supprimé"
    versement.delete()
