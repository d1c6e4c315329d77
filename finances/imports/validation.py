"""Validation des lignes lues contre la base, à l'aperçu, sans rien écrire ; puis leur revérification à la
confirmation (année verrouillée, version du suivi, valeur modifiée entre-temps).

Une ligne qui changerait une valeur d'une année fermée (etat.fermees : la règle de la grille de saisie) n'est pas une
erreur : l'aperçu la dit « non importée » et en donne la raison, les autres lignes restent importables. Une année
fermée entre l'aperçu et la confirmation fait refuser tout l'import : l'aperçu avait promis ces lignes."""

import hashlib
import re
from decimal import Decimal

from commun.formats import nom_et_organisation
from finances.enums import Financeur, TypeImport
from finances.imports.cellules import (
    LigneLue,
    en_annee,
    en_financeur,
    en_identifiant,
    en_nombre,
    en_numero_action,
    en_texte,
    vide,
)
from finances.imports.etat import (
    EtatExecution,
    EtatIndicateurs,
    avant_execution,
    avant_realisation,
    etat_execution,
    etat_indicateurs,
)
from finances.imports.feuille import classeur_lire
from finances.imports.fichier import Erreur, FichierRefuse, fichier_verifier
from finances.imports.modele import FEUILLE_EXECUTION, FEUILLE_INDICATEURS
from finances.imports.session import (
    INCHANGEE,
    MODIFIEE,
    NON_IMPORTEE,
    NOUVELLE,
    Analyse,
    LigneExecution,
    LigneIndicateur,
)
from finances.models import MONTANT_MAX
from indicateurs.services import verrou_message, verrou_motif

VALEUR_MAX = Decimal("999999999999.99")  # Realisation.valeur : 14 chiffres dont 2 décimales


def _valider_execution(contrat, lignes_brutes: list, etat: EtatExecution, analyse: Analyse) -> None:
    vues: dict[tuple, int] = {}
    for numero, (action, annee, financeur, engage, realise, justification) in lignes_brutes:
        if all(vide(v) for v in (engage, realise, justification)):
            analyse.vides += 1  # ligne du modèle laissée en blanc : rien à écrire
            continue
        ligne = LigneLue(feuille=FEUILLE_EXECUTION, numero=numero, erreurs=analyse.erreurs)
        numero_action = ligne.lire("A", action, en_numero_action)
        if numero_action is not None and numero_action not in etat.actions:
            ligne.erreur("A", f"L'action « {numero_action} » n'existe pas dans ce contrat ({contrat.titre}).")
        annee = ligne.lire("B", annee, en_annee, contrat=contrat)
        financeur = ligne.lire("C", financeur, en_financeur)
        montants = {}
        for colonne, valeur, quoi, manquant in (
            ("D", engage, "engagé", "saisissez 0 si rien n'est engagé"),
            ("E", realise, "réalisé", "saisissez 0 si rien n'est payé"),
        ):
            montant = ligne.lire(colonne, valeur, en_nombre, libelle="montant", decimales=2, maximum=MONTANT_MAX)
            if vide(valeur):  # une cellule vide se lit None ; une cellule refusée est déjà signalée
                ligne.erreur(colonne, f"Montant {quoi} manquant : {manquant}.")
            montants[colonne] = montant
        justification = ligne.lire("F", justification, en_texte, trop_long="Justification trop longue")
        if numero_action is not None and annee is not None and financeur is not None:
            cle = (numero_action, annee, financeur)
            if cle in vues:
                ligne.erreur(
                    "A",
                    f"Ligne en double : l'action {numero_action}, {annee}, {Financeur(financeur).label} figure déjà "
                    f"ligne {vues[cle]}.",
                )
            else:
                vues[cle] = numero
        if not ligne.valide:
            continue
        action = etat.actions[numero_action]
        existante = etat.executions.get((action.pk, annee, financeur))
        resultat = LigneExecution(
            ligne=numero,
            action=numero_action,
            annee=annee,
            financeur=financeur,
            engage=montants["D"],
            realise=montants["E"],
            justification=justification,
            avant=avant_execution(existante),
        )
        if existante is None:
            resultat.statut = NOUVELLE
        elif (existante.engage, existante.realise, existante.justification) == (
            resultat.engage,
            resultat.realise,
            resultat.justification,
        ):
            resultat.statut = INCHANGEE
        else:
            resultat.statut = MODIFIEE
        _annee_fermee(resultat, etat.fermees, analyse)
        analyse.lignes.append(resultat)


def _annee_fermee(resultat, fermees: dict, analyse: Analyse) -> None:
    """Une ligne d'une année fermée : notée « non importée », avec la raison, si elle changeait quelque chose."""
    suivi = fermees.get(resultat.annee)
    if suivi is None:
        return
    analyse.fermees[resultat.annee] = verrou_motif(suivi)
    if resultat.statut != INCHANGEE:
        resultat.statut, resultat.motif = NON_IMPORTEE, analyse.fermees[resultat.annee]


def _valider_indicateurs(contrat, lignes_brutes: list, etat: EtatIndicateurs, analyse: Analyse) -> None:
    vues: dict[tuple, int] = {}
    for numero, (identifiant, _action, _libelle, annee, valeur, commentaire) in lignes_brutes:
        if vide(valeur) and vide(commentaire):
            analyse.vides += 1  # l'import n'efface rien : une ligne sans valeur ni commentaire est ignorée
            continue
        ligne = LigneLue(feuille=FEUILLE_INDICATEURS, numero=numero, erreurs=analyse.erreurs)
        pk = ligne.lire("A", identifiant, en_identifiant)
        indicateur = etat.indicateurs.get(pk) if pk is not None else None
        if pk is not None and indicateur is None:
            ligne.erreur(
                "A", f"L'indicateur n°{pk} n'existe pas dans ce contrat : partez du modèle téléchargé pour ce contrat."
            )
        elif indicateur is not None and indicateur.est_qualitatif:
            # Un qualitatif s'apprécie (atteint, partiellement, non atteint) dans la grille : ni chiffre à importer,
            # ni commentaire qui écraserait son appréciation.
            ligne.erreur(
                "A",
                f"L'indicateur n°{pk} est qualitatif : son appréciation et son commentaire se saisissent dans la "
                "grille de suivi, pas par import.",
            )
        annee = ligne.lire("D", annee, en_annee, contrat=contrat)
        valeur = ligne.lire(
            "E",
            valeur,
            en_nombre,
            libelle="nombre",
            decimales=indicateur.decimales if indicateur else 2,
            maximum=VALEUR_MAX,
        )
        commentaire = ligne.lire("F", commentaire, en_texte, trop_long="Commentaire trop long")
        if pk is not None and annee is not None:
            if (pk, annee) in vues:
                ligne.erreur(
                    "A", f"Ligne en double : l'indicateur n°{pk} pour {annee} figure déjà ligne {vues[(pk, annee)]}."
                )
            else:
                vues[(pk, annee)] = numero
        if not ligne.valide:
            continue
        existante = etat.realisations.get((pk, annee))
        resultat = LigneIndicateur(
            ligne=numero,
            indicateur=pk,
            annee=annee,
            valeur=valeur,
            commentaire=commentaire,
            action=indicateur.action.numero,
            libelle=indicateur.libelle,
            avant=avant_realisation(existante),
        )
        if existante is None:
            resultat.statut = NOUVELLE
        elif (existante.valeur, existante.commentaire) == (valeur, commentaire):
            resultat.statut = INCHANGEE
        else:
            resultat.statut = MODIFIEE
        _annee_fermee(resultat, etat.fermees, analyse)
        if resultat.statut not in (INCHANGEE, NON_IMPORTEE):
            suivi = etat.suivis.get(annee)
            analyse.versions[str(annee)] = suivi.version if suivi else 1
        analyse.lignes.append(resultat)


def classeur_analyser(*, contrat, type_import: str, donnees: bytes, nom: str = "") -> Analyse:
    """Contrôle, lit et valide un classeur sans rien écrire. Nombre de requêtes fixe."""
    analyse = Analyse(type_import=type_import, empreinte=hashlib.sha256(donnees).hexdigest(), nom=nom)
    try:
        fichier_verifier(donnees)
        lignes_brutes, erreurs = classeur_lire(donnees, contrat=contrat, type_import=type_import)
    except FichierRefuse as refus:
        analyse.erreurs = refus.erreurs
        return analyse
    analyse.erreurs = erreurs
    if type_import == TypeImport.EXECUTION:
        _valider_execution(contrat, lignes_brutes, etat_execution(contrat), analyse)
    else:
        _valider_indicateurs(contrat, lignes_brutes, etat_indicateurs(contrat), analyse)
    if analyse.erreurs:
        analyse.versions = {}
        analyse.erreurs.sort(key=_ordre_erreur)
    return analyse


def _ordre_erreur(erreur: Erreur) -> tuple:
    """Dans l'ordre du fichier : ligne puis colonne ; les erreurs du fichier entier d'abord."""
    position = re.fullmatch(r"([A-Z]+)([0-9]+)", erreur.cellule)
    if position is None:
        return (0, 0, "")
    return (int(position.group(2)), len(position.group(1)), position.group(1))


def _fermees_depuis_l_apercu(lignes: list, fermees: dict) -> tuple[list[str], set[int]]:
    """Les années des lignes à écrire fermées depuis l'aperçu (la même règle qu'à l'aperçu) : refusées en entier."""
    erreurs, annees = [], set()
    for annee in sorted({ligne.annee for ligne in lignes} & fermees.keys()):
        erreurs.append(
            f"{verrou_message(fermees[annee])} Ses lignes ne peuvent plus être importées : envoyez de nouveau le "
            "fichier, l'aperçu dira lesquelles restent importables."
        )
        annees.add(annee)
    return erreurs, annees


def reverifier_execution(contrat, lignes: list[LigneExecution], etat: EtatExecution) -> list[str]:
    erreurs, annees_refusees = _fermees_depuis_l_apercu(lignes, etat.fermees)
    for ligne in lignes:
        if ligne.annee in annees_refusees:
            continue
        action = etat.actions.get(ligne.action)
        if action is None:
            erreurs.append(f"{ligne.reference} : l'action « {ligne.action} » n'existe plus dans ce contrat.")
            continue
        if not contrat.contient_annee(ligne.annee):
            erreurs.append(
                f"{ligne.reference} : l'année {ligne.annee} est hors de la période du contrat ({contrat.periode})."
            )
            continue
        if ligne.financeur not in Financeur.values or not (
            0 <= ligne.engage <= MONTANT_MAX and 0 <= ligne.realise <= MONTANT_MAX
        ):
            erreurs.append(f"{ligne.reference} : ligne invalide, recommencez l'import.")
            continue
        actuelle = etat.executions.get((action.pk, ligne.annee, ligne.financeur))
        if avant_execution(actuelle) != ligne.avant:
            erreurs.append(
                f"{ligne.reference} : l'exécution ({ligne.description}) a été modifiée depuis l'aperçu. "
                "Recommencez l'import pour partir des valeurs actuelles."
            )
    return erreurs


def reverifier_indicateurs(contrat, lignes: list[LigneIndicateur], versions: dict, etat: EtatIndicateurs) -> list[str]:
    erreurs, annees_refusees = _fermees_depuis_l_apercu(lignes, etat.fermees)
    for annee in sorted({ligne.annee for ligne in lignes} - annees_refusees):
        suivi = etat.suivis.get(annee)
        if versions.get(str(annee)) != (suivi.version if suivi else 1):
            auteur = suivi.modifie_par or suivi.statut_par if suivi else None
            par = f" par {nom_et_organisation(auteur)}" if auteur else ""
            erreurs.append(
                f"Les valeurs de {annee} ont été modifiées depuis l'aperçu{par} : "
                "recommencez l'import pour partir des valeurs actuelles."
            )
            annees_refusees.add(annee)
    for ligne in lignes:
        if ligne.annee in annees_refusees:
            continue
        if ligne.indicateur not in etat.indicateurs:
            erreurs.append(f"{ligne.reference} : l'indicateur n°{ligne.indicateur} n'existe plus dans ce contrat.")
        elif not contrat.contient_annee(ligne.annee):
            erreurs.append(
                f"{ligne.reference} : l'année {ligne.annee} est hors de la période du contrat ({contrat.periode})."
            )
        elif avant_realisation(etat.realisations.get((ligne.indicateur, ligne.annee))) != ligne.avant:
            erreurs.append(
                f"{ligne.reference} : la valeur ({ligne.description}) a été modifiée depuis l'aperçu. "
                "Recommencez l'import pour partir des valeurs actuelles."
            )
    return erreurs
