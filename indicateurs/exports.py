"""Classeur Excel de la matrice des indicateurs : T0, cible, valeur et taux d'atteinte par année, et l'historique
des valeurs, cibles et récits. Un indicateur qualitatif a son appréciation dans la colonne des valeurs, sans taux ;
un indicateur dont le document ne chiffre pas la cible le dit en toutes lettres."""

from openpyxl import Workbook

from commun.excel import FORMAT_NOMBRE, FORMAT_TAUX, col, ecrire_historique, ecrire_texte, feuille_preparer
from indicateurs.historique import historique_indicateurs_du_contrat
from indicateurs.models import Realisation
from indicateurs.tableaux import tableau_indicateurs


def classeur_indicateurs(contrat) -> Workbook:
    lignes = tableau_indicateurs(contrat)
    realisations = {
        (r.indicateur_id, r.annee): r for r in Realisation.objects.filter(indicateur__action__contrat=contrat)
    }
    annees = contrat.annees
    classeur = Workbook()
    feuille = classeur.active
    feuille.title = "Indicateurs"
    entetes = ["Action", "Indicateur", "Portée", "T0"] + [
        f"{libelle} {annee}" for annee in annees for libelle in ("Cible", "Valeur", "Atteinte")
    ]
    ligne = feuille_preparer(
        feuille,
        titre="Matrice des indicateurs",
        contrat=contrat,
        entetes=entetes,
        largeurs=[10, 60, 10, 10] + [11] * (3 * len(annees)),
    )
    for donnee in lignes:
        indicateur = donnee.indicateur
        ecrire_texte(feuille, ligne, 1, indicateur.action.numero)
        ecrire_texte(feuille, ligne, 2, indicateur.libelle)
        ecrire_texte(feuille, ligne, 3, indicateur.get_portee_display())
        if indicateur.est_qualitatif:
            ecrire_texte(feuille, ligne, 4, "sans objet")
        elif indicateur.t0 is None:
            ecrire_texte(feuille, ligne, 4, "nd" if indicateur.t0_nd else "non précisé")
        else:
            feuille.cell(row=ligne, column=4, value=indicateur.t0).number_format = FORMAT_NOMBRE
        for rang, (annee, cible) in enumerate(zip(annees, donnee.cibles, strict=True)):
            colonne = 5 + 3 * rang
            realisation = realisations.get((indicateur.pk, annee))
            if indicateur.est_qualitatif:
                ecrire_texte(feuille, ligne, colonne, "qualitatif")
                if realisation and realisation.appreciation:
                    ecrire_texte(feuille, ligne, colonne + 1, realisation.get_appreciation_display())
                continue
            if cible is None:
                if indicateur.sans_cible_chiffree:
                    ecrire_texte(feuille, ligne, colonne, "pas de cible chiffrée")
            elif cible.nd:
                ecrire_texte(feuille, ligne, colonne, "nd")
            else:
                feuille.cell(row=ligne, column=colonne, value=cible.valeur).number_format = FORMAT_NOMBRE
            if realisation and realisation.non_disponible:
                ecrire_texte(feuille, ligne, colonne + 1, "non disponible")
            elif realisation and realisation.valeur is not None:
                feuille.cell(row=ligne, column=colonne + 1, value=realisation.valeur).number_format = FORMAT_NOMBRE
            cible_ref, valeur_ref = f"{col(colonne)}{ligne}", f"{col(colonne + 1)}{ligne}"
            taux = feuille.cell(
                row=ligne,
                column=colonne + 2,
                value=f'=IF(AND(ISNUMBER({cible_ref}),ISNUMBER({valeur_ref}),{cible_ref}<>0),{valeur_ref}/{cible_ref},"")',
            )
            taux.number_format = FORMAT_TAUX
        ligne += 1
    ecrire_historique(classeur.create_sheet("Historique"), contrat, historique_indicateurs_du_contrat(contrat))
    return classeur
