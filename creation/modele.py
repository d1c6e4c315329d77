"""Le classeur de l'annexe signée, à remplir : le *Tableau budgétaire* (une ligne par action, les années en colonnes,
Total / État / collectivité) et le *Tableau des actions et suivi de leurs indicateurs* (T0 et cibles, « nd » compris),
dans la disposition de l'annexe ; une feuille « Axes » rappelle les axes saisis. La lecture (creation/lecture.py)
attend exactement cette disposition."""

from dataclasses import dataclass, field
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.worksheet.datavalidation import DataValidation

from actions.enums import NatureAction
from commun.excel import ENTETE, FORMAT_EUROS, FORMAT_NOMBRE, GRAS, col, ecrire_texte, feuille_preparer
from finances.models import MONTANT_MAX

FEUILLE_BUDGET = "Tableau budgétaire"
FEUILLE_INDICATEURS = "Indicateurs"
FEUILLE_AXES = "Axes"
LIGNE_ANNEES = 5  # tableau budgétaire : les années, au-dessus de Total / État / collectivité
LIGNE_ENTETES_BUDGET = 6
LIGNE_ENTETES_INDICATEURS = 5
COLONNES_BUDGET = ["Axe (numéro)", "Action (numéro)", "Intitulé de l'action"]
PARTS = ["Total", "État", "Collectivité"]
COLONNE_NATURE = "Nature de l'action"
COLONNES_INDICATEURS = ["Action (numéro)", "Indicateur", "Situation T0"]
COLONNES_INDICATEURS_FIN = ["Unité", "Commentaire", "Motif du nd", "nd à fixer au plus tard le"]
ND = "nd"
NATURES = [label for value, label in NatureAction.choices if value]
LIGNES_MODELE = 60  # lignes préparées (validations de données) sous les en-têtes


def colonnes_budget(annees: list[int]) -> list[str]:
    return COLONNES_BUDGET + [part for _ in annees for part in PARTS] + [COLONNE_NATURE]


def colonnes_indicateurs(annees: list[int]) -> list[str]:
    return COLONNES_INDICATEURS + [str(annee) for annee in annees] + COLONNES_INDICATEURS_FIN


def colonne_part(annees: list[int], annee: int, part: str) -> int:
    """Le numéro de colonne (1 = A) d'une part (Total, État, Collectivité) d'une année."""
    return len(COLONNES_BUDGET) + 1 + 3 * annees.index(annee) + PARTS.index(part)


@dataclass
class ActionAnnexe:
    axe: int
    numero: str
    intitule: str
    nature: str = ""
    montants: dict[int, tuple[Decimal, Decimal]] = field(default_factory=dict)  # année → (État, collectivité)


@dataclass
class IndicateurAnnexe:
    action: str
    libelle: str
    t0: Decimal | None  # None : « nd »
    cibles: dict[int, Decimal | None]  # None : « nd »
    unite: str = ""
    commentaire: str = ""
    nd_motif: str = ""
    nd_date_limite: object = None


class _Entete:
    """Ce que feuille_preparer écrit en A2 : le titre du contrat à créer."""

    fictif = False

    def __init__(self, titre: str):
        self.titre = titre

    def __str__(self):
        return self.titre


def classeur_annexe(
    *, titre: str, annees: list[int], axes: list, actions: list[ActionAnnexe] = (), indicateurs=()
) -> Workbook:
    """Le modèle (vide) ou, avec `actions` et `indicateurs`, l'annexe remplie. `axes` : objets portant numero,
    intitule, pilier, code_activite (AxeBrouillon ou Axe)."""
    classeur = Workbook()
    _feuille_budget(classeur.active, titre=titre, annees=annees, axes=axes, actions=actions)
    _feuille_indicateurs(classeur.create_sheet(FEUILLE_INDICATEURS), titre=titre, annees=annees, lignes=indicateurs)
    _feuille_axes(classeur.create_sheet(FEUILLE_AXES), titre=titre, axes=axes)
    return classeur


def _feuille_budget(feuille, *, titre, annees, axes, actions) -> None:
    feuille.title = FEUILLE_BUDGET
    entetes = colonnes_budget(annees)
    ligne = feuille_preparer(
        feuille,
        titre="Tableau budgétaire (annexe du contrat)",
        contrat=_Entete(titre),
        entetes=entetes,
        largeurs=[8, 9, 52] + [13] * (3 * len(annees)) + [26],
        ligne_entetes=LIGNE_ENTETES_BUDGET,
    )
    ecrire_texte(
        feuille, 4, 1,
        "Une ligne par action : numéro d'axe (feuille « Axes »), numéro et intitulé de l'action, puis pour chaque "
        "année le total, la part de l'État et celle de la collectivité, en euros (Total = État + collectivité). "
        "Une ligne « TOTAL » (colonne C) est facultative : ses montants sont vérifiés. Pas de formules.",
    )  # fmt: skip
    for annee in annees:
        colonne = colonne_part(annees, annee, "Total")
        cellule = feuille.cell(row=LIGNE_ANNEES, column=colonne, value=annee)
        cellule.font, cellule.fill, cellule.alignment = GRAS, ENTETE, Alignment(horizontal="center")
        feuille.merge_cells(start_row=LIGNE_ANNEES, start_column=colonne, end_row=LIGNE_ANNEES, end_column=colonne + 2)
    feuille.print_title_rows = f"{LIGNE_ANNEES}:{LIGNE_ENTETES_BUDGET}"
    premiere = ligne
    for action in actions:
        feuille.cell(row=ligne, column=1, value=action.axe)
        ecrire_texte(feuille, ligne, 2, action.numero)
        ecrire_texte(feuille, ligne, 3, action.intitule).alignment = Alignment(wrap_text=True, vertical="top")
        for annee in annees:
            etat, collectivite = action.montants.get(annee, (Decimal(0), Decimal(0)))
            for part, valeur in (("Total", etat + collectivite), ("État", etat), ("Collectivité", collectivite)):
                feuille.cell(row=ligne, column=colonne_part(annees, annee, part), value=valeur)
        ecrire_texte(feuille, ligne, len(entetes), NatureAction(action.nature).label if action.nature else "")
        ligne += 1
    fin = max(ligne, premiere + LIGNES_MODELE) - 1
    for colonne in range(len(COLONNES_BUDGET) + 1, len(entetes)):
        for rang in range(premiere, fin + 1):
            feuille.cell(row=rang, column=colonne).number_format = FORMAT_EUROS
    validations = [
        _validation("whole", f"A{premiere}:A{fin}", "Axe", "Saisissez un numéro d'axe de la feuille « Axes ».",
                    formula1="1", formula2=str(max(len(axes), 1))),
        _validation("decimal", f"D{premiere}:{col(len(entetes) - 1)}{fin}", "Montant",
                    "Saisissez un montant positif en euros.", formula1="0", formula2=str(MONTANT_MAX)),
        _validation("list", f"{col(len(entetes))}{premiere}:{col(len(entetes))}{fin}", "Nature",
                    "Choisissez « Action nouvelle » ou « Action existante renforcée ».",
                    formula1='"' + ",".join(NATURES) + '"', operator=None),
    ]  # fmt: skip
    for validation in validations:
        feuille.add_data_validation(validation)


def _validation(type_, plage, titre, erreur, *, formula1, formula2=None, operator="between") -> DataValidation:
    validation = DataValidation(
        type=type_, operator=operator, formula1=formula1, formula2=formula2, allow_blank=True,
        showErrorMessage=True, errorTitle=titre, error=erreur,
    )  # fmt: skip
    validation.add(plage)
    return validation


def _feuille_indicateurs(feuille, *, titre, annees, lignes) -> None:
    entetes = colonnes_indicateurs(annees)
    ligne = feuille_preparer(
        feuille,
        titre="Tableau des actions et suivi de leurs indicateurs (annexe du contrat)",
        contrat=_Entete(titre),
        entetes=entetes,
        largeurs=[9, 60, 11] + [9] * len(annees) + [12, 40, 40, 14],
        ligne_entetes=LIGNE_ENTETES_INDICATEURS,
    )
    ecrire_texte(
        feuille, 4, 1,
        "Une ligne par indicateur : numéro de l'action (celui du tableau budgétaire), libellé, situation T0 et cible "
        "de chaque année, en nombre ou « nd » (non définie à la signature). Une cible « nd » dit pourquoi (colonne "
        "« Motif du nd ») et, si le contrat le fixe, la date à laquelle elle sera définie (jj/mm/aaaa).",
    )  # fmt: skip
    for indicateur in lignes:
        ecrire_texte(feuille, ligne, 1, indicateur.action)
        ecrire_texte(feuille, ligne, 2, indicateur.libelle).alignment = Alignment(wrap_text=True, vertical="top")
        valeurs = [indicateur.t0] + [indicateur.cibles.get(annee) for annee in annees]
        for rang, valeur in enumerate(valeurs, start=3):
            if valeur is None:
                ecrire_texte(feuille, ligne, rang, ND)
            else:
                feuille.cell(row=ligne, column=rang, value=valeur).number_format = FORMAT_NOMBRE
        fin = 3 + len(annees)
        ecrire_texte(feuille, ligne, fin + 1, indicateur.unite)
        ecrire_texte(feuille, ligne, fin + 2, indicateur.commentaire)
        ecrire_texte(feuille, ligne, fin + 3, indicateur.nd_motif)
        if indicateur.nd_date_limite:
            feuille.cell(row=ligne, column=fin + 4, value=indicateur.nd_date_limite).number_format = "DD/MM/YYYY"
        ligne += 1


def _feuille_axes(feuille, *, titre, axes) -> None:
    ligne = feuille_preparer(
        feuille,
        titre="Axes du contrat (rappel : se modifient à l'étape « Axes », pas dans ce classeur)",
        contrat=_Entete(titre),
        entetes=["Numéro", "Intitulé", "Pilier du Pacte", "Code activité (programme 304)"],
        largeurs=[9, 60, 50, 22],
    )
    for axe in axes:
        feuille.cell(row=ligne, column=1, value=axe.numero)
        ecrire_texte(feuille, ligne, 2, axe.intitule)
        ecrire_texte(feuille, ligne, 3, axe.pilier)
        ecrire_texte(feuille, ligne, 4, axe.code_activite)
        ligne += 1
