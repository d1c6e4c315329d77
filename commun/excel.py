"""Classeurs Excel (openpyxl) que l'on peut garder et retravailler : en-têtes figés, largeurs, mise en page A4
paysage, titres répétés à l'impression, formats français ; et jamais une formule venue d'une saisie."""

import datetime
from io import BytesIO

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

FORMAT_EUROS = '#,##0.00\\ "€";-#,##0.00\\ "€"'
FORMAT_NOMBRE = "#,##0.##"
FORMAT_TAUX = "0.0 %"
FORMAT_DATE_HEURE = "DD/MM/YYYY HH:MM"
ENTETE = PatternFill("solid", fgColor="DDE3EA")
GRAS = Font(bold=True)
MENTION_FICTIF = "FICTIF — données de démonstration (territoire, personnes et chiffres inventés)"
DEBUTS_DANGEREUX = ("=", "+", "-", "@", "\t", "\r")


def ecrire_texte(feuille, ligne: int, colonne: int, valeur):
    """Un texte venu d'un utilisateur reste du texte : cellule de type chaîne, préfixe « ' » pour ceux qui
    commencent comme une formule (=, +, -, @, tabulation), pour qu'aucun tableur ne l'exécute, même après édition."""
    cellule = feuille.cell(row=ligne, column=colonne)
    if valeur in (None, ""):
        return cellule
    cellule.value = str(valeur)
    cellule.data_type = "s"
    if cellule.value.startswith(DEBUTS_DANGEREUX):
        cellule.quotePrefix = True
    return cellule


def feuille_preparer(
    feuille, *, titre: str, contrat, entetes: list[str], largeurs: list[int], ligne_entetes: int = 5
) -> int:
    """Titre, contrat et date d'extraction en tête, ligne d'en-têtes figée. Renvoie la première ligne de données."""
    feuille["A1"] = titre
    feuille["A1"].font = Font(bold=True, size=14)
    ecrire_texte(feuille, 2, 1, str(contrat))
    feuille["A3"] = "Extraction du"
    feuille["B3"] = timezone.localtime().replace(tzinfo=None)
    feuille["B3"].number_format = FORMAT_DATE_HEURE
    if getattr(contrat, "fictif", False):
        # Un contrat de démonstration : chaque feuille le dit en tête, avant tout chiffre.
        ecrire_texte(feuille, 2, 1, f"{contrat} — {MENTION_FICTIF}").font = Font(bold=True, color="9C0006")
    for colonne, (entete, largeur) in enumerate(zip(entetes, largeurs, strict=True), start=1):
        cellule = feuille.cell(row=ligne_entetes, column=colonne, value=entete)
        cellule.font = GRAS
        cellule.fill = ENTETE
        cellule.alignment = Alignment(wrap_text=True, vertical="center")
        feuille.column_dimensions[get_column_letter(colonne)].width = largeur
    feuille.freeze_panes = feuille.cell(row=ligne_entetes + 1, column=1)
    feuille.print_title_rows = f"{ligne_entetes}:{ligne_entetes}"
    feuille.page_setup.orientation = "landscape"
    feuille.page_setup.paperSize = feuille.PAPERSIZE_A4
    feuille.page_setup.fitToWidth = 1
    feuille.page_setup.fitToHeight = 0
    feuille.sheet_properties.pageSetUpPr.fitToPage = True
    feuille.oddFooter.center.text = "Page &P / &N"
    return ligne_entetes + 1


def reponse_xlsx(classeur: Workbook, nom_fichier: str) -> HttpResponse:
    flux = BytesIO()
    classeur.save(flux)
    reponse = HttpResponse(
        flux.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    reponse["Content-Disposition"] = f'attachment; filename="{nom_fichier}"'
    return reponse


def date_naive(valeur: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(valeur).replace(tzinfo=None)


def col(index: int) -> str:
    """1 → « A », 27 → « AA »."""
    return get_column_letter(index)


def ecrire_historique(feuille, contrat, changements) -> None:
    """Une feuille « Historique » : date, auteur, objet, champ, avant → après, motif."""
    feuille.title = "Historique"
    ligne = feuille_preparer(
        feuille,
        titre="Historique des modifications",
        contrat=contrat,
        entetes=["Date", "Utilisateur", "Objet", "Champ", "Avant", "Après", "Motif", "Type"],
        largeurs=[18, 16, 60, 20, 24, 24, 50, 14],
    )
    for changement in changements:
        cellule = feuille.cell(row=ligne, column=1, value=date_naive(changement.date))
        cellule.number_format = FORMAT_DATE_HEURE
        valeurs = [changement.utilisateur, changement.objet, changement.champ, changement.avant, changement.apres,
                   changement.motif, changement.type]  # fmt: skip
        for colonne, valeur in enumerate(valeurs, start=2):
            ecrire_texte(feuille, ligne, colonne, valeur)
        ligne += 1
    feuille.auto_filter.ref = f"A5:H{max(ligne - 1, 5)}"
