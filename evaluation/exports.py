"""Le classeur national de l'évaluation à mi-parcours (DIPLP) : une ligne par action de chaque contrat, avec son
évaluation (ou « non saisie ») et ses pièces justificatives ; une feuille de synthèse par contrat."""

from collections import Counter

from openpyxl import Workbook

from commun.excel import FORMAT_DATE_HEURE, date_naive, ecrire_texte, feuille_preparer
from commun.formats import nom_et_organisation
from evaluation.selectors import NON_SAISIE, LigneEvaluation
from indicateurs.enums import StatutSuivi

STATUTS = [NON_SAISIE, *StatutSuivi.labels]


def classeur_evaluations(lignes: list[LigneEvaluation], titre: str) -> Workbook:
    classeur = Workbook()
    feuille = classeur.active
    feuille.title = "Évaluations par action"
    entetes = ["Région", "Département", "Contrat", "Collectivité", "Axe", "Action", "Intitulé", "Statut",
               "Questions évaluatives", "Méthodes utilisées", "Constats", "Recommandation", "Pièces justificatives",
               "Dernier enregistrement par", "le", "Statut changé par", "le",
               "Motif du dernier changement"]  # fmt: skip
    ligne = feuille_preparer(
        feuille, titre=titre, contrat="Évaluation à mi-parcours des actions (DIPLP)", entetes=entetes,
        largeurs=[24, 10, 40, 28, 8, 8, 40, 12, 50, 50, 50, 50, 40, 28, 16, 28, 16, 40],
    )  # fmt: skip
    for item in lignes:
        contrat, action, evaluation = item.contrat, item.action, item.evaluation
        valeurs = [
            contrat.collectivite.get_region_display() or "Région non renseignée", contrat.departement,
            contrat.titre + (" (fictif)" if contrat.fictif else ""), contrat.collectivite.nom,
            action.axe.numero if action.axe else "", action.numero, action.intitule, item.statut,
        ]  # fmt: skip
        for colonne, valeur in enumerate(valeurs, start=1):
            ecrire_texte(feuille, ligne, colonne, valeur)
        if evaluation is not None:
            for colonne, champ in enumerate(("questions", "methodes", "constats", "recommandation"), start=9):
                ecrire_texte(feuille, ligne, colonne, getattr(evaluation, champ))
        ecrire_texte(feuille, ligne, 13, " ; ".join(f"{p.titre} ({p.nom})" for p in item.pieces))
        if evaluation is not None and evaluation.modifie_le:
            ecrire_texte(feuille, ligne, 14, nom_et_organisation(evaluation.modifie_par))
            feuille.cell(
                row=ligne, column=15, value=date_naive(evaluation.modifie_le)
            ).number_format = FORMAT_DATE_HEURE
        if evaluation is not None and evaluation.statut_le:
            ecrire_texte(feuille, ligne, 16, nom_et_organisation(evaluation.statut_par))
            feuille.cell(
                row=ligne, column=17, value=date_naive(evaluation.statut_le)
            ).number_format = FORMAT_DATE_HEURE
            ecrire_texte(feuille, ligne, 18, evaluation.motif)
        ligne += 1
    feuille.auto_filter.ref = f"A5:R{max(ligne - 1, 5)}"

    feuille = classeur.create_sheet("Par contrat")
    ligne = feuille_preparer(
        feuille, titre=titre, contrat="Avancement de l'évaluation à mi-parcours, par contrat",
        entetes=["Région", "Contrat", "Actions", *STATUTS, "Pièces justificatives"],
        largeurs=[24, 40, 10, *[12] * len(STATUTS), 14],
    )  # fmt: skip
    par_contrat: dict = {}
    for item in lignes:
        par_contrat.setdefault(item.contrat.pk, (item.contrat, []))[1].append(item)
    for contrat, lignes_contrat in par_contrat.values():
        statuts = Counter(item.statut for item in lignes_contrat)
        ecrire_texte(feuille, ligne, 1, contrat.collectivite.get_region_display() or "Région non renseignée")
        ecrire_texte(feuille, ligne, 2, contrat.titre + (" (fictif)" if contrat.fictif else ""))
        feuille.cell(row=ligne, column=3, value=len(lignes_contrat))
        for colonne, statut in enumerate(STATUTS, start=4):
            feuille.cell(row=ligne, column=colonne, value=statuts.get(statut, 0))
        feuille.cell(row=ligne, column=4 + len(STATUTS), value=sum(len(item.pieces) for item in lignes_contrat))
        ligne += 1
    return classeur
