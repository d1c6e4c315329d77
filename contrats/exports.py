"""Export Excel de l'historique des modifications, pour le dialogue de gestion."""

from openpyxl import Workbook

from contrats.excel import FORMAT_DATE_HEURE, date_naive, ecrire_texte, feuille_preparer
from contrats.historique import historique_contrat


def classeur_historique(contrat) -> Workbook:
    classeur = Workbook()
    feuille = classeur.active
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
        for colonne, valeur in enumerate(
            [changement.utilisateur, changement.objet, changement.champ, changement.avant, changement.apres,
             changement.motif, changement.type],
            start=2,
        ):  # fmt: skip
            ecrire_texte(feuille, ligne, colonne, valeur)
        ligne += 1
    feuille.auto_filter.ref = f"A5:H{max(ligne - 1, 5)}"
    return classeur
