"""Le classeur modèle à remplir, pré-rempli des valeurs en base, et sa disposition (feuilles, colonnes, ligne des
en-têtes) que la lecture du fichier attend."""

from openpyxl import Workbook
from openpyxl.worksheet.datavalidation import DataValidation

from commun.excel import FORMAT_EUROS, FORMAT_NOMBRE, ecrire_texte, feuille_preparer
from finances.enums import Financeur, TypeImport
from finances.models import MONTANT_MAX, Execution
from finances.selectors import lignes_en_vigueur
from indicateurs.enums import NatureIndicateur
from indicateurs.models import Indicateur, Realisation, SuiviAnnuel

LIGNES_MAX = 5000  # lignes de données ; limite fixe, indépendante des réglages
LIGNE_ENTETES = 5
PREMIERE_LIGNE = LIGNE_ENTETES + 1
FEUILLE_EXECUTION = "Exécution"
FEUILLE_INDICATEURS = "Indicateurs"
COLONNES_EXECUTION = ["Action (numéro)", "Année", "Financeur", "Engagé (€)", "Réalisé (€)", "Justification"]
COLONNES_INDICATEURS = ["Identifiant", "Action", "Indicateur", "Année", "Valeur", "Commentaire"]
FINANCEURS_ATTENDUS = "État, Collectivité ou Autres partenaires"
FEUILLES = {TypeImport.EXECUTION: FEUILLE_EXECUTION, TypeImport.INDICATEURS: FEUILLE_INDICATEURS}
COLONNES = {TypeImport.EXECUTION: COLONNES_EXECUTION, TypeImport.INDICATEURS: COLONNES_INDICATEURS}


def _ordre_financeur(financeur: str) -> int:
    return list(Financeur.values).index(financeur)


def classeur_modele(contrat) -> Workbook:
    """Le classeur à remplir : une ligne par ligne budgétaire en vigueur (et par exécution déjà saisie), une ligne
    par indicateur et par année, pré-remplies des valeurs en base. Cinq requêtes, quelle que soit la taille."""
    classeur = Workbook()
    _feuille_modele_execution(classeur.active, contrat)
    _feuille_modele_indicateurs(classeur.create_sheet(FEUILLE_INDICATEURS), contrat)
    return classeur


def _feuille_modele_execution(feuille, contrat) -> None:
    feuille.title = FEUILLE_EXECUTION
    ligne = feuille_preparer(
        feuille,
        titre="Import de l'exécution budgétaire",
        contrat=contrat,
        entetes=COLONNES_EXECUTION,
        largeurs=[16, 8, 20, 16, 16, 60],
    )
    ecrire_texte(
        feuille,
        4,
        1,
        "Montants en euros, nombres positifs. Une ligne sans engagé, réalisé ni justification est ignorée ; "
        "ne modifiez ni les en-têtes ni les noms de feuilles, n'utilisez pas de formules.",
    )
    en_vigueur = lignes_en_vigueur(contrat)
    executions = {
        (e.action_id, e.annee, e.financeur): e for e in Execution.objects.du_contrat(contrat).select_related("action")
    }
    actions = {
        cle[0]: (en_vigueur.get(cle) or executions.get(cle)).action for cle in set(en_vigueur) | set(executions)
    }
    cles = sorted(
        set(en_vigueur) | set(executions),
        key=lambda c: (actions[c[0]].ordre, actions[c[0]].numero, c[1], _ordre_financeur(c[2])),
    )
    for action_id, annee, financeur in cles:
        execution = executions.get((action_id, annee, financeur))
        ecrire_texte(feuille, ligne, 1, actions[action_id].numero)
        feuille.cell(row=ligne, column=2, value=annee)
        ecrire_texte(feuille, ligne, 3, Financeur(financeur).label)
        if execution is not None:
            feuille.cell(row=ligne, column=4, value=execution.engage)
            feuille.cell(row=ligne, column=5, value=execution.realise)
            ecrire_texte(feuille, ligne, 6, execution.justification)
        for colonne in (4, 5):
            feuille.cell(row=ligne, column=colonne).number_format = FORMAT_EUROS
        ligne += 1
    fin = PREMIERE_LIGNE + LIGNES_MAX - 1
    financeurs = DataValidation(
        type="list",
        formula1='"' + ",".join(Financeur.labels) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Financeur",
        error=f"Choisissez {FINANCEURS_ATTENDUS}.",
    )
    financeurs.add(f"C{PREMIERE_LIGNE}:C{fin}")
    montants = DataValidation(
        type="decimal",
        operator="between",
        formula1="0",
        formula2=str(MONTANT_MAX),
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Montant",
        error="Saisissez un montant positif en euros.",
    )
    montants.add(f"D{PREMIERE_LIGNE}:E{fin}")
    annees = _validation_annees(contrat)
    annees.add(f"B{PREMIERE_LIGNE}:B{fin}")
    for validation in (financeurs, montants, annees):
        feuille.add_data_validation(validation)


def _validation_annees(contrat) -> DataValidation:
    return DataValidation(
        type="whole",
        operator="between",
        formula1=str(contrat.annee_debut),
        formula2=str(contrat.annee_fin),
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Année",
        error=f"Saisissez une année de la période du contrat ({contrat.periode}).",
    )


def _feuille_modele_indicateurs(feuille, contrat) -> None:
    ligne = feuille_preparer(
        feuille,
        titre="Import des valeurs des indicateurs",
        contrat=contrat,
        entetes=COLONNES_INDICATEURS,
        largeurs=[12, 10, 60, 8, 14, 60],
    )
    suivis = {s.annee: s for s in SuiviAnnuel.objects.filter(contrat=contrat)}
    verrouillees = [f"{a} ({s.get_statut_display().lower()})" for a, s in sorted(suivis.items()) if not s.modifiable]
    consigne = (
        "Seul l'identifiant compte : les colonnes Action et Indicateur sont indicatives. Une ligne sans valeur ni "
        "commentaire est ignorée ; pas de formules. Les indicateurs qualitatifs n'y figurent pas : ils s'apprécient "
        "dans la grille de suivi."
    )
    if verrouillees:
        consigne += f" Années non modifiables : {', '.join(verrouillees)}."
    ecrire_texte(feuille, 4, 1, consigne)
    realisations = {
        (r.indicateur_id, r.annee): r for r in Realisation.objects.filter(indicateur__action__contrat=contrat)
    }
    indicateurs = (
        Indicateur.objects.filter(action__contrat=contrat)
        .exclude(nature=NatureIndicateur.QUALITATIF)  # appréciés dans la grille, sans chiffre à importer
        .select_related("action")
        .order_by("action__ordre", "action__numero", "ordre", "pk")
    )
    for indicateur in indicateurs:
        for annee in contrat.annees:
            realisation = realisations.get((indicateur.pk, annee))
            feuille.cell(row=ligne, column=1, value=indicateur.pk)
            ecrire_texte(feuille, ligne, 2, indicateur.action.numero)
            ecrire_texte(feuille, ligne, 3, indicateur.libelle)
            feuille.cell(row=ligne, column=4, value=annee)
            if realisation is not None:
                if realisation.valeur is not None:
                    feuille.cell(row=ligne, column=5, value=realisation.valeur)
                ecrire_texte(feuille, ligne, 6, realisation.commentaire)
            feuille.cell(row=ligne, column=5).number_format = FORMAT_NOMBRE
            ligne += 1
    annees = _validation_annees(contrat)
    annees.add(f"D{PREMIERE_LIGNE}:D{PREMIERE_LIGNE + LIGNES_MAX - 1}")
    feuille.add_data_validation(annees)
