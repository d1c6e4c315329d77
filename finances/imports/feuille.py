"""Lecture de la feuille à importer, sans évaluer aucune formule : la feuille trouvée par son nom, le titre du
contrat et les en-têtes vérifiés, formules et valeurs d'erreur Excel refusées ; les lignes de données rendues
brutes, avec leur numéro."""

import logging
import re
import zipfile
from bisect import bisect_right
from contextlib import contextmanager
from io import BytesIO

from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string, get_column_letter

from commun.excel import libelle_du_contrat
from commun.formats import nombre
from finances.imports.cellules import REFUSEE, afficher, normaliser, vide
from finances.imports.fichier import Erreur, FichierRefuse
from finances.imports.modele import COLONNES, FEUILLES, LIGNE_ENTETES, LIGNES_MAX, PREMIERE_LIGNE

logger = logging.getLogger(__name__)

EXCEL_LIGNES_MAX = 1_048_576  # borne la lecture même si le fichier annonce davantage
ILLISIBLE = (
    "Le classeur n'a pas pu être lu : fichier endommagé ou non conforme. "
    "Enregistrez-le de nouveau depuis votre tableur au format « Classeur Excel (.xlsx) »."
)


@contextmanager
def classeur_ouvert(donnees: bytes):
    """Le classeur, ouvert sans évaluer aucune formule (openpyxl en lecture seule, sans les valeurs calculées) ; tout
    échec de lecture, à l'ouverture ou dans une feuille, devient un refus du fichier en français. Sert aussi à la
    lecture de l'annexe (creation/)."""
    try:
        classeur = load_workbook(BytesIO(donnees), read_only=True, data_only=False, keep_links=False)
    except Exception as erreur:  # openpyxl lève des exceptions de toutes sortes sur un fichier non conforme
        logger.info("Import Excel : classeur illisible (%r)", erreur)
        raise FichierRefuse(ILLISIBLE) from erreur
    try:
        yield classeur
    except FichierRefuse:
        raise
    except Exception as erreur:  # XML de feuille malformé, styles incohérents…
        logger.info("Import Excel : feuille illisible (%r)", erreur)
        raise FichierRefuse(ILLISIBLE) from erreur
    finally:
        classeur.close()


def classeur_lire(donnees: bytes, *, contrat, type_import: str) -> tuple[list, list[Erreur]]:
    """Les lignes de données de la feuille (numéro de ligne, valeurs brutes) et les erreurs de forme du classeur."""
    with classeur_ouvert(donnees) as classeur:
        nom, colonnes = FEUILLES[type_import], COLONNES[type_import]
        feuille = feuille_trouver(classeur, nom)
        lignes, erreurs = _feuille_lire(feuille, contrat=contrat, nom=nom, colonnes=colonnes)
        erreurs += formules_hors_colonnes(donnees, feuille, nom=nom, nb_colonnes=len(colonnes))
        return lignes, erreurs


def feuille_trouver(classeur, nom: str):
    trouvees = [f for f in classeur.sheetnames if normaliser(f) == normaliser(nom)]
    if not trouvees:
        presentes = ", ".join(f"« {f} »" for f in classeur.sheetnames) or "aucune"
        raise FichierRefuse(
            Erreur(
                f"Feuille « {nom} » introuvable (feuilles du classeur : {presentes}) : partez du modèle à "
                "télécharger, sans renommer ses feuilles.",
                nom,
            )
        )
    return classeur[trouvees[0]]


def valeurs_de_la_ligne(cellules, *, numero: int, nom: str, erreurs: list[Erreur], nb_colonnes: int) -> list:
    """Les valeurs brutes d'une ligne, complétée à `nb_colonnes` : formules et valeurs d'erreur Excel refusées
    (signalées dans `erreurs`, la valeur devient REFUSEE). Sert aussi à la lecture de l'annexe (creation/)."""
    valeurs = []
    for colonne, cellule in enumerate(cellules, start=1):
        valeur = cellule.value
        cellule_ref = f"{get_column_letter(colonne)}{numero}"
        if cellule.data_type == "f" or (isinstance(valeur, str) and valeur.lstrip().startswith("=")):
            erreurs.append(Erreur(f"Formule refusée en {nom}!{cellule_ref} : saisissez une valeur.", nom, cellule_ref))
            valeur = REFUSEE
        elif cellule.data_type == "e":
            erreurs.append(Erreur(f"Valeur d'erreur Excel « {valeur} » : saisissez une valeur.", nom, cellule_ref))
            valeur = REFUSEE
        valeurs.append(valeur)
    return valeurs + [None] * (nb_colonnes - len(valeurs))


def _feuille_lire(feuille, *, contrat, nom: str, colonnes: list[str]) -> tuple[list, list[Erreur]]:
    erreurs: list[Erreur] = []
    lignes = []
    entetes_lues = False
    for numero, cellules in enumerate(
        feuille.iter_rows(min_row=1, max_row=EXCEL_LIGNES_MAX, max_col=len(colonnes)), start=1
    ):
        valeurs = valeurs_de_la_ligne(cellules, numero=numero, nom=nom, erreurs=erreurs, nb_colonnes=len(colonnes))
        if numero == 2:
            _titre_verifier(valeurs[0], contrat=contrat, feuille=nom)
        elif numero == LIGNE_ENTETES:
            erreurs_entetes = _entetes_verifier(valeurs, colonnes=colonnes, feuille=nom)
            entetes_lues = True
            if erreurs_entetes:
                return [], erreurs + erreurs_entetes  # colonnes décalées : chaque donnée serait une fausse erreur
        elif numero > LIGNE_ENTETES and not all(vide(v) for v in valeurs):
            if len(lignes) >= LIGNES_MAX:
                erreurs.append(
                    Erreur(
                        f"Trop de lignes : {nombre(LIGNES_MAX)} lignes de données au maximum (lignes "
                        f"{PREMIERE_LIGNE} à {PREMIERE_LIGNE + LIGNES_MAX - 1}) ; découpez le fichier.",
                        nom,
                        f"A{numero}",
                    )
                )
                break
            lignes.append((numero, valeurs))
    if not entetes_lues:
        erreurs.append(
            Erreur(
                f"En-têtes absents en ligne {LIGNE_ENTETES} de la feuille « {nom} » : partez du modèle à télécharger.",
                nom,
                f"A{LIGNE_ENTETES}",
            )
        )
    elif not lignes and not erreurs:
        erreurs.append(
            Erreur(
                f"Aucune ligne à importer : la feuille « {nom} » ne contient aucune donnée sous les en-têtes "
                f"(ligne {PREMIERE_LIGNE} et suivantes).",
                nom,
            )
        )
    return lignes, erreurs


_DONNEES_XML = re.compile(rb"<(?:\w+:)?sheetData\b.*?</(?:\w+:)?sheetData>", re.DOTALL)
_CELLULE_XML = re.compile(rb'<(?:\w+:)?c\b[^>]*?\sr="([A-Z]{1,3})([0-9]{1,7})"')
_FORMULE_XML = re.compile(rb"<(?:\w+:)?f\b")


def formules_hors_colonnes(donnees: bytes, feuille, *, nom: str, nb_colonnes: int) -> list[Erreur]:
    """Les formules au-delà des colonnes importées, repérées dans le XML de la feuille (balises <f> des cellules,
    en temps linéaire) : openpyxl ne les verrait qu'en complétant chaque ligne jusqu'à sa dernière cellule, soit
    des secondes de calcul pour quelques Ko d'un fichier hostile. Les colonnes importées sont contrôlées cellule
    par cellule par _feuille_lire."""
    chemin = getattr(feuille, "_worksheet_path", None)  # openpyxl en lecture seule : la partie XML de la feuille
    if chemin is None:
        return []
    with zipfile.ZipFile(BytesIO(donnees)) as archive:
        xml = archive.read(chemin)
    donnees_feuille = _DONNEES_XML.search(xml)  # pas les extensions (<extLst>), où <xm:f> n'est pas une formule
    if donnees_feuille is None:
        return []
    cellules = list(_CELLULE_XML.finditer(xml, donnees_feuille.start(), donnees_feuille.end()))
    debuts = [cellule.start() for cellule in cellules]
    erreurs, vues = [], set()
    for formule in _FORMULE_XML.finditer(xml, donnees_feuille.start(), donnees_feuille.end()):
        rang = bisect_right(debuts, formule.start()) - 1
        if rang < 0:
            continue
        colonne, ligne = (g.decode() for g in cellules[rang].groups())
        if column_index_from_string(colonne) > nb_colonnes and (colonne, ligne) not in vues:
            vues.add((colonne, ligne))
            cellule_ref = f"{colonne}{ligne}"
            erreurs.append(Erreur(f"Formule refusée en {nom}!{cellule_ref} : saisissez une valeur.", nom, cellule_ref))
    return erreurs


def _titre_verifier(valeur, *, contrat, feuille: str) -> None:
    """Le modèle porte le titre du contrat en A2 : un classeur préparé pour un autre contrat est refusé."""
    attendus = {normaliser(contrat.titre), normaliser(libelle_du_contrat(contrat))}
    if isinstance(valeur, str) and valeur.strip() and normaliser(valeur) not in attendus:
        raise FichierRefuse(
            Erreur(
                f"Ce classeur a été préparé pour « {valeur.strip()} » : il ne peut pas être importé dans "
                f"« {contrat.titre} ». Téléchargez le modèle de ce contrat.",
                feuille,
                "A2",
            )
        )


def _entetes_verifier(valeurs: list, *, colonnes: list[str], feuille: str) -> list[Erreur]:
    if all(vide(v) for v in valeurs):
        return [
            Erreur(
                f"En-têtes absents en ligne {LIGNE_ENTETES} de la feuille « {feuille} » : partez du modèle à "
                "télécharger.",
                feuille,
                f"A{LIGNE_ENTETES}",
            )
        ]
    erreurs = []
    for colonne, (valeur, attendu) in enumerate(zip(valeurs, colonnes, strict=True), start=1):
        if valeur is REFUSEE:
            continue
        lu = afficher(valeur) if not vide(valeur) else ""
        if normaliser(lu) != normaliser(attendu):
            erreurs.append(
                Erreur(
                    f"En-tête inattendu en {feuille}!{get_column_letter(colonne)}{LIGNE_ENTETES} : "
                    f"« {lu} » au lieu de « {attendu} ». Ne renommez ni ne déplacez les colonnes du modèle.",
                    feuille,
                    f"{get_column_letter(colonne)}{LIGNE_ENTETES}",
                )
            )
    return erreurs
