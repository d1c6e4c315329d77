"""Classeurs Excel (openpyxl) que l'on peut garder et retravailler : en-têtes figés, largeurs, mise en page A4
paysage, titres répétés à l'impression, formats français ; et jamais une formule venue d'une saisie.

Tout classeur sort par `reponse_xlsx` ou `classeur_enregistrer`, qui passent par `classeur_finaliser` : largeurs et
hauteurs ajustées au contenu, euros ronds sans centimes, mentions d'absence (« nd », « non saisi »…) alignées comme
les nombres. Les fabriques de classeurs n'écrivent que le contenu et le cadre (`feuille_preparer`)."""

import datetime
import functools
import math
import re
from decimal import Decimal, InvalidOperation
from io import BytesIO
from pathlib import Path

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell.cell import MergedCell
from openpyxl.formula import Tokenizer
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, range_boundaries

FORMAT_EUROS = '#,##0.00\\ "€";-#,##0.00\\ "€"'
FORMAT_EUROS_ENTIERS = '#,##0\\ "€";-#,##0\\ "€"'
FORMAT_NOMBRE = "#,##0.##"
FORMAT_TAUX = "0.0 %"
FORMAT_DATE_HEURE = "DD/MM/YYYY HH:MM"
FORMAT_DATE = "DD/MM/YYYY"
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


def libelle_du_contrat(contrat) -> str:
    """Le contrat tel que l'en-tête de chaque feuille l'écrit (A2) : son titre, suivi de la mention « FICTIF » pour
    un contrat de démonstration (chaque feuille le dit, avant tout chiffre). L'import relit cette cellule pour
    refuser le modèle d'un autre contrat : une seule définition pour l'écriture et la lecture."""
    if getattr(contrat, "fictif", False):
        return f"{contrat} — {MENTION_FICTIF}"
    return str(contrat)  # un contrat (son titre) ou le libellé d'un classeur qui en réunit plusieurs


def feuille_preparer(
    feuille, *, titre: str, contrat, entetes: list[str], largeurs: list[int], ligne_entetes: int = 5
) -> int:
    """Titre, contrat et date d'extraction en tête, ligne d'en-têtes figée. Renvoie la première ligne de données."""
    feuille["A1"] = titre
    feuille["A1"].font = Font(bold=True, size=14)
    a2 = ecrire_texte(feuille, 2, 1, libelle_du_contrat(contrat))
    feuille["A3"] = "Extraction du"
    feuille["B3"] = timezone.localtime().replace(tzinfo=None)
    feuille["B3"].number_format = FORMAT_DATE_HEURE
    if getattr(contrat, "fictif", False):
        a2.font = Font(bold=True, color="9C0006")
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
    classeur_finaliser(classeur).save(flux)
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


def classeur_enregistrer(classeur: Workbook, chemin: Path | str) -> None:
    """Écrit le classeur dans un fichier (commandes), mis en forme comme au téléchargement."""
    classeur_finaliser(classeur).save(chemin)


# --- Mise en forme finale ------------------------------------------------------------------------------------------
# openpyxl ne sait pas ajuster une colonne ni une ligne, et LibreOffice n'agrandit pas à l'ouverture une ligne dont un
# texte passe à la ligne : on estime la place de chaque texte d'après ses caractères, en unités de largeur de
# colonne, mesurées sur DejaVu Sans (la police de repli la plus large, que prend LibreOffice sans Calibri ni Carlito ;
# ce qui y tient tient aussi en Calibri).

MENTIONS = frozenset(
    {"nd", "non disponible", "non saisi", "non précisé", "pas de cible chiffrée", "sans objet", "qualitatif"}
)  # ce qu'une cellule de nombre porte à la place d'un nombre : aligné comme eux, en italique gris
GRIS = "6C757D"
LARGEUR_AJUSTABLE = 16  # un texte court élargit sa colonne jusque-là ; plus long, il passe à la ligne
LARGEUR_MOT_MAX = 30  # un mot d'en-tête élargit sa colonne jusque-là plutôt que d'être coupé
MARGE = 1.5  # marges intérieures d'une cellule, en unités de largeur
HAUTEUR_LIGNE = 15  # points par ligne de texte en corps 11
HAUTEUR_MAX = 409  # la plus grande hauteur de ligne qu'Excel accepte
LARGEUR_PAR_DEFAUT = 8.43  # colonne sans largeur donnée, dans Excel comme dans LibreOffice
_ETROITS = frozenset(" iljtfrI.,;:'’!|()[]/-")
_LARGES = frozenset("mwMW@%—")
_FORMATS_EUROS = (FORMAT_EUROS, FORMAT_EUROS_ENTIERS)


def classeur_finaliser(classeur: Workbook) -> Workbook:
    """Met en forme chaque feuille une fois son contenu écrit, sans rien changer à ce que les cellules contiennent :
    formats des euros (sans centimes quand toute la colonne est ronde) et des nombres, dates, mentions d'absence,
    largeurs et hauteurs ajustées au contenu. Peut être appelée plusieurs fois."""
    for feuille in classeur.worksheets:
        _MiseEnForme(feuille).appliquer()
    return classeur


def _facteur(police) -> float:
    """Le corps (11 par défaut) et le gras élargissent le texte."""
    if police is None:
        return 1.0
    return (police.sz or 11) / 11 * (1.15 if police.b else 1.0)


def largeur_texte(texte: str, police=None) -> float:
    """Largeur estimée d'un texte sur une ligne, en unités de largeur de colonne, marges comprises."""
    return _unites(texte) * _facteur(police) + MARGE


@functools.lru_cache(maxsize=4096)
def _unites(texte: str) -> float:
    unites = 0.0
    for caractere in texte:
        if caractere.isdigit() or caractere == "€":
            unites += 1.05
        elif caractere in _ETROITS:
            unites += 0.56
        elif caractere in _LARGES:
            unites += 1.5
        elif caractere.isupper():
            unites += 1.18
        else:
            unites += 0.95
    return unites


def lignes_texte(texte: str, largeur: float, police=None) -> int:
    """Nombre de lignes d'un texte renvoyé à la ligne dans une colonne de cette largeur (mot à mot)."""
    utile = max(largeur - MARGE, 1.0)
    espace = largeur_texte(" ", police) - MARGE
    total = 0
    for paragraphe in str(texte).split("\n"):
        lignes, courante = 1, 0.0
        for mot in paragraphe.split():
            mesure = largeur_texte(mot, police) - MARGE
            if courante and courante + espace + mesure <= utile:
                courante += espace + mesure
                continue
            if courante:
                lignes += 1
            lignes += max(math.ceil(mesure / utile) - 1, 0)  # un mot plus long que la colonne est coupé
            courante = mesure - utile * max(math.ceil(mesure / utile) - 1, 0)
        total += lignes
    return total


def _decimal(valeur) -> Decimal | None:
    if isinstance(valeur, bool) or not isinstance(valeur, int | float | Decimal):
        return None
    try:
        return Decimal(str(valeur))
    except InvalidOperation:
        return None


def _decimales(nombre: Decimal) -> int:
    exposant = nombre.normalize().as_tuple().exponent
    return max(-exposant, 0) if isinstance(exposant, int) else 0


def _largeur_nombre(borne: Decimal, decimales: int, euros: bool, police) -> float:
    chiffres = len(str(int(abs(borne))))
    texte = "0" * chiffres + " " * ((chiffres - 1) // 3) + ("," + "0" * decimales if decimales else "")
    return largeur_texte("-" + texte + (" €" if euros else ""), police)


class _MiseEnForme:
    def __init__(self, feuille):
        self.feuille = feuille
        self.cellules = feuille._cells  # sans en créer de nouvelles en les lisant
        titres = [int(n) for n in re.findall(r"\d+", feuille.print_title_rows or "")]
        self.premiere_entete = min(titres) if titres else 1
        self.derniere_entete = max(titres) if titres else 0
        self.fusions = {}
        self._relire_fusions()
        self._max_colonne = (-1, 0)  # (nombre de cellules, dernière colonne) : voir max_colonne

    @property
    def max_colonne(self) -> int:
        """`feuille.max_column` relit toutes les cellules de la feuille à chaque appel (coût quadratique sur un grand
        classeur : 12 s pour l'export national de 116 contrats) : gardé tant qu'aucune cellule n'est ajoutée."""
        nombre, colonne = self._max_colonne
        if nombre != len(self.cellules):
            self._max_colonne = nombre, colonne = len(self.cellules), self.feuille.max_column
        return colonne

    def _relire_fusions(self) -> None:
        self.fusions = {(f.min_row, f.min_col): f for f in self.feuille.merged_cells.ranges}

    def largeur(self, colonne: int) -> float:
        dimension = self.feuille.column_dimensions.get(get_column_letter(colonne))
        return dimension.width if dimension is not None and dimension.width else LARGEUR_PAR_DEFAUT

    def elargir(self, colonne: int, largeur: float) -> None:
        if largeur > self.largeur(colonne):
            self.feuille.column_dimensions[get_column_letter(colonne)].width = math.ceil(largeur)

    def place(self, cellule) -> float:
        fusion = self.fusions.get((cellule.row, cellule.column))
        if fusion is None:
            return self.largeur(cellule.column)
        return sum(self.largeur(c) for c in range(fusion.min_col, fusion.max_col + 1))

    def vide(self, ligne: int, colonne: int) -> bool:
        cellule = self.cellules.get((ligne, colonne))
        return cellule is None or (cellule.value in (None, "") and not isinstance(cellule, MergedCell))

    def remplies(self):
        for (ligne, colonne), cellule in sorted(self.cellules.items()):
            if isinstance(cellule, MergedCell) or cellule.value in (None, ""):
                continue
            yield ligne, colonne, cellule

    def appliquer(self) -> None:
        self.formats()
        self.mentions()
        self.largeurs()
        self.hauteurs()

    # Formats ----------------------------------------------------------------------------------------------------

    def borne(self, cellule, memo: dict) -> tuple[Decimal, bool] | None:
        """Majorant de la valeur absolue d'une cellule, et si elle est entière : une constante, ou une formule qui
        additionne des cellules (SUM des sous-totaux et totaux), dont on somme les bornes des cellules citées."""
        cle = (cellule.row, cellule.column)
        if cle in memo:
            return memo[cle]
        memo[cle] = None  # une référence circulaire ne boucle pas
        nombre = _decimal(cellule.value)
        if nombre is not None:
            memo[cle] = (abs(nombre), nombre == nombre.to_integral_value())
        elif cellule.data_type == "f" and isinstance(cellule.value, str):
            total, entier = Decimal(0), True
            for jeton in Tokenizer(cellule.value).items:
                if jeton.type != "OPERAND" or jeton.subtype != "RANGE" or "!" in jeton.value:
                    continue
                min_col, min_row, max_col, max_row = range_boundaries(jeton.value.replace("$", ""))
                for ligne in range(min_row or 1, (max_row or self.feuille.max_row) + 1):
                    for colonne in range(min_col or 1, (max_col or self.max_colonne) + 1):
                        citee = self.cellules.get((ligne, colonne))
                        borne = self.borne(citee, memo) if citee is not None else None
                        if borne is not None:
                            total, entier = total + borne[0], entier and borne[1]
            memo[cle] = (total, entier)
        return memo[cle]

    def colonnes_saisies(self) -> set[int]:
        """Colonnes à remplir (sous une validation de données, dans le modèle d'import) : leurs euros gardent les
        centimes, pour qu'un montant saisi s'affiche tel quel."""
        colonnes = set()
        for validation in self.feuille.data_validations.dataValidation:
            for plage in validation.sqref.ranges:
                colonnes.update(range(plage.min_col, plage.max_col + 1))
        return colonnes

    def formats(self) -> None:
        memo, euros = {}, {}
        for _ligne, colonne, cellule in self.remplies():
            if cellule.number_format in _FORMATS_EUROS:
                euros.setdefault(colonne, []).append(cellule)
            elif cellule.number_format in (FORMAT_NOMBRE, "#,##0") or cellule.number_format.startswith("#,##0.0"):
                nombre = _decimal(cellule.value)
                if nombre is not None:  # chaque nombre avec ses décimales, ni « 12, » ni « 12,00 »
                    decimales = min(_decimales(nombre), 6)
                    cellule.number_format = "#,##0" + ("." + "0" * decimales if decimales else "")
                    self.elargir(colonne, _largeur_nombre(nombre, decimales, False, cellule.font))
            elif isinstance(cellule.value, datetime.datetime | datetime.date):
                if cellule.number_format == "General":
                    heure = isinstance(cellule.value, datetime.datetime)
                    cellule.number_format = FORMAT_DATE_HEURE if heure else FORMAT_DATE
                self.placer_date(cellule)
        saisies = self.colonnes_saisies()
        for colonne, cellules in euros.items():
            bornes = [(cellule, self.borne(cellule, memo)) for cellule in cellules]
            ronde = colonne not in saisies and all(borne[1] for _, borne in bornes if borne is not None)
            for cellule, borne in bornes:
                cellule.number_format = FORMAT_EUROS_ENTIERS if ronde else FORMAT_EUROS
                if borne is not None:
                    self.elargir(colonne, _largeur_nombre(borne[0], 0 if ronde else 2, True, cellule.font))

    def placer_date(self, cellule) -> None:
        """Une date a la place de s'afficher en entier (jamais « ### ») : au-dessus du tableau, elle s'étend sur les
        cellules vides à sa droite ; dans le tableau, sa colonne s'élargit."""
        exemple = cellule.number_format.upper().replace("YYYY", "0000")
        besoin = largeur_texte(re.sub(r"[DMYHS]", "0", exemple), cellule.font)
        au_dessus = cellule.row < self.premiere_entete
        if au_dessus:  # comme les libellés d'en-tête de feuille
            cellule.alignment = _alignement(cellule, horizontal="left")
        if self.place(cellule) >= besoin:
            return
        if au_dessus and (cellule.row, cellule.column) not in self.fusions:
            fin, place = cellule.column, self.largeur(cellule.column)
            while place < besoin and self.vide(cellule.row, fin + 1) and fin + 1 <= self.max_colonne:
                fin += 1
                place += self.largeur(fin)
            if place >= besoin:
                self.feuille.merge_cells(
                    start_row=cellule.row, start_column=cellule.column, end_row=cellule.row, end_column=fin
                )
                self._relire_fusions()
                return
        self.elargir(cellule.column, besoin)

    def mentions(self) -> None:
        for ligne, _, cellule in self.remplies():
            if ligne > self.derniere_entete and isinstance(cellule.value, str) and cellule.value.strip() in MENTIONS:
                cellule.alignment = _alignement(cellule, horizontal="right")
                cellule.font = _police_mention(cellule.font)

    # Largeurs et hauteurs ---------------------------------------------------------------------------------------

    def largeurs(self) -> None:
        """Un en-tête ne coupe aucun mot ; un texte court qui ne tient pas élargit sa colonne."""
        for ligne, colonne, cellule in self.remplies():
            if not isinstance(cellule.value, str) or cellule.data_type == "f":
                continue
            if self.premiere_entete <= ligne <= self.derniere_entete:
                if (ligne, colonne) not in self.fusions:
                    mots = re.split(r"\s+|(?<=-)", cellule.value)
                    plus_long = max(largeur_texte(mot, cellule.font) for mot in mots if mot)
                    self.elargir(colonne, min(plus_long, LARGEUR_MOT_MAX))
                continue
            besoin = largeur_texte(cellule.value, cellule.font)
            if (
                besoin > self.place(cellule)
                and not cellule.alignment.wrap_text
                and besoin <= LARGEUR_AJUSTABLE
                and "\n" not in cellule.value
                and not self.deborde(cellule, besoin)
            ):
                self.elargir(colonne, besoin)

    def deborde(self, cellule, besoin: float) -> bool:
        """Le texte peut déborder sur les cellules vides à sa droite, sans sortir de la feuille (au-dessus du
        tableau, le titre, le contrat, une consigne débordent librement)."""
        colonnes = range(cellule.column + 1, self.max_colonne + 1)
        if any(not self.vide(cellule.row, c) for c in colonnes):
            return False
        if cellule.row < self.premiere_entete:
            return True
        return besoin <= self.largeur(cellule.column) + sum(self.largeur(c) for c in colonnes)

    def hauteurs(self) -> None:
        """Un texte qui ne tient pas sur une ligne passe à la ligne, et sa ligne prend la hauteur qu'il lui faut ;
        les autres cellules d'une ligne haute du tableau s'alignent en haut, face à la première ligne du libellé."""
        hauteurs: dict[int, float] = {}
        for ligne, _, cellule in self.remplies():
            taille = cellule.font.sz or 11
            lignes = 1
            if isinstance(cellule.value, str) and cellule.data_type != "f":
                besoin = largeur_texte(cellule.value, cellule.font)
                tient = besoin <= self.place(cellule) and "\n" not in cellule.value
                if not tient and not cellule.alignment.wrap_text and not self.deborde(cellule, besoin):
                    haut = cellule.alignment.vertical or "top"
                    cellule.alignment = _alignement(cellule, wrap_text=True, vertical=haut)
                if cellule.alignment.wrap_text:
                    lignes = lignes_texte(cellule.value, self.place(cellule), cellule.font)
            if lignes > 1 or taille > 11:
                hauteur = lignes * HAUTEUR_LIGNE * taille / 11 + (2 if lignes > 1 else 0)
                hauteurs[ligne] = max(hauteurs.get(ligne, 0), hauteur)
        for ligne, hauteur in hauteurs.items():
            dimension = self.feuille.row_dimensions[ligne]
            dimension.height = min(max(math.ceil(hauteur), dimension.height or 0), HAUTEUR_MAX)
            if ligne > self.derniere_entete and hauteur > HAUTEUR_LIGNE + 2:
                for colonne in range(1, self.max_colonne + 1):
                    cellule = self.cellules.get((ligne, colonne))
                    if cellule is not None and not isinstance(cellule, MergedCell) and cellule.value not in (None, ""):
                        if cellule.alignment.vertical in (None, "bottom"):
                            cellule.alignment = _alignement(cellule, vertical="top")


def _alignement(cellule, **changements) -> Alignment:
    """L'alignement de la cellule, modifié seulement sur ce qui est donné."""
    actuel = cellule.alignment
    valeurs = {
        "horizontal": actuel.horizontal,
        "vertical": actuel.vertical,
        "wrap_text": actuel.wrap_text,
        "indent": actuel.indent,
        "text_rotation": actuel.text_rotation,
        "shrink_to_fit": actuel.shrink_to_fit,
    }
    return _style(Alignment, tuple(sorted((valeurs | changements).items())))


def _police_mention(police) -> Font:
    return _style(Font, (("name", police.name), ("size", police.sz), ("bold", police.b), ("italic", True),
                         ("color", GRIS)))  # fmt: skip


@functools.lru_cache(maxsize=256)
def _style(classe, valeurs: tuple) -> Alignment | Font:
    """Un style par combinaison : openpyxl en crée un à chaque cellule sinon, et c'est lent."""
    return classe(**dict(valeurs))
