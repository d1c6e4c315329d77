"""Export Excel de l'historique des modifications, pour le dialogue de gestion."""

from openpyxl import Workbook

from contrats.excel import FORMAT_DATE_HEURE, date_naive, ecrire_texte, feuille_preparer
from contrats.historique import historique_contrat


def ecrire_historique(feuille, contrat) -> None:
    feuille.title = "Historique"
    ligne = feuille_preparer(
        feuille,
        titre="Historique des modifications",
        contrat=contrat,
        entetes=["Date", "Utilisateur", "Objet", "Champ", "Avant", "Après", "Motif", "Type"],
        largeurs=[18, 16, 60, 20, 24, 24, 50, 14],
    )
    for changement in historique_contrat(contrat):
        cellule = feuille.cell(row=ligne, column=1, value=date_naive(changement.date))
        cellule.number_format = FORMAT_DATE_HEURE
        valeurs = [changement.utilisateur, changement.objet, changement.champ, changement.avant, changement.apres,
                   changement.motif, changement.type]  # fmt: skip
        for colonne, valeur in enumerate(valeurs, start=2):
            ecrire_texte(feuille, ligne, colonne, valeur)
        ligne += 1
    feuille.auto_filter.ref = f"A5:H{max(ligne - 1, 5)}"


def classeur_historique(contrat) -> Workbook:
    classeur = Workbook()
    ecrire_historique(classeur.active, contrat)
    return classeur
