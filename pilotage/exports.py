"""Export Excel de l'historique des modifications du contrat, pour le dialogue de gestion."""

from openpyxl import Workbook

from commun.excel import ecrire_historique
from pilotage.historique import historique_contrat


def classeur_historique(contrat) -> Workbook:
    classeur = Workbook()
    ecrire_historique(classeur.active, contrat, historique_contrat(contrat))
    return classeur
