"""Lecture d'une cellule : sa valeur convertie (numéro d'action, année, financeur, nombre à la française, texte,
identifiant d'indicateur), ou une erreur en français rattachée à sa cellule."""

import re
import unicodedata
from datetime import date, time, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError

from commun.formats import lire_nombre, nombre
from finances.enums import Financeur
from finances.imports.fichier import Erreur
from finances.imports.modele import FINANCEURS_ATTENDUS

TEXTE_MAX = 2000  # caractères d'une justification ou d'un commentaire
REFUSEE = object()  # cellule déjà signalée (formule, erreur Excel) : ne pas la contrôler une seconde fois


def vide(valeur) -> bool:
    return valeur is None or (isinstance(valeur, str) and not valeur.strip())


def normaliser(texte: str) -> str:
    decompose = unicodedata.normalize("NFKD", texte)
    sans_accents = "".join(c for c in decompose if not unicodedata.combining(c))
    return " ".join(sans_accents.casefold().split())


def afficher(valeur) -> str:
    if isinstance(valeur, bool):
        return "VRAI" if valeur else "FAUX"
    if isinstance(valeur, date):
        return f"{valeur:%d/%m/%Y}"
    if isinstance(valeur, int | float | Decimal):
        try:
            return nombre(Decimal(repr(valeur)) if isinstance(valeur, float) else Decimal(valeur))
        except ArithmeticError:
            return str(valeur)
    return str(valeur).strip()


def _refuser_caracteres_de_controle(texte: str) -> None:
    """Un caractère de contrôle (caractère nul, échappement _x0000_ d'un fichier produit par un autre outil) n'a pas sa
    place dans une cellule : PostgreSQL refuse le caractère nul, et aucun ne s'affiche."""
    if any(unicodedata.category(c) == "Cc" and c not in "\t\n\r" for c in texte):
        raise ValidationError("La cellule contient un caractère de contrôle invisible (caractère nul…) : retirez-le.")


def _est_date(valeur) -> bool:
    return isinstance(valeur, date | time | timedelta)


# Conversions d'une cellule : la valeur, ou ValidationError avec un message en français.


def en_numero_action(valeur) -> str:
    if vide(valeur):
        raise ValidationError("Numéro d'action manquant.")
    if isinstance(valeur, bool) or _est_date(valeur):
        raise ValidationError(f"« {afficher(valeur)} » n'est pas un numéro d'action (ex. 3 ou 1.2).")
    if isinstance(valeur, float):
        return str(int(valeur)) if valeur.is_integer() else repr(valeur)
    _refuser_caracteres_de_controle(str(valeur))
    return str(valeur).strip()


def en_annee(valeur, *, contrat) -> int:
    exemple = f"saisissez l'année sur quatre chiffres, par exemple {contrat.annee_debut}"
    if vide(valeur):
        raise ValidationError(f"Année manquante : {exemple}.")
    if _est_date(valeur):
        raise ValidationError(f"Une date ({afficher(valeur)}) n'est pas une année : {exemple}.")
    if isinstance(valeur, float) and valeur.is_integer():
        valeur = int(valeur)
    if isinstance(valeur, str) and re.fullmatch(r"[0-9]{4}", valeur.strip(), re.ASCII):
        valeur = int(valeur)
    if isinstance(valeur, bool) or not isinstance(valeur, int) or not 1000 <= valeur <= 9999:
        # Une année s'écrit sans séparateur de milliers : « 2025,5 », pas « 2 025,5 ».
        nombre_lu = isinstance(valeur, int | float) and not isinstance(valeur, bool)
        lu = str(valeur).replace(".", ",") if nombre_lu else afficher(valeur)
        raise ValidationError(f"« {lu} » n'est pas une année : {exemple}.")
    if not contrat.contient_annee(valeur):
        raise ValidationError(f"L'année {valeur} est hors de la période du contrat ({contrat.periode}).")
    return valeur


def en_financeur(valeur) -> str:
    if vide(valeur):
        raise ValidationError(f"Financeur manquant : saisissez {FINANCEURS_ATTENDUS}.")
    if not isinstance(valeur, str):
        raise ValidationError(f"« {afficher(valeur)} » n'est pas un financeur : saisissez {FINANCEURS_ATTENDUS}.")
    lu = normaliser(valeur)
    for code, libelle in Financeur.choices:
        if lu in (normaliser(code), normaliser(libelle)):
            return code
    raise ValidationError(f"Financeur « {valeur.strip()} » inconnu : saisissez {FINANCEURS_ATTENDUS}.")


def en_nombre(valeur, *, libelle: str, decimales: int, maximum: Decimal) -> Decimal | None:
    """Une cellule numérique, ou un texte à la française (« 12 500,50 »), lu par commun.formats.lire_nombre."""
    if vide(valeur):
        return None
    if isinstance(valeur, bool):
        raise ValidationError(f"« {afficher(valeur)} » (vrai/faux) n'est pas un {libelle} : saisissez un nombre.")
    if _est_date(valeur):
        raise ValidationError(f"Une date ({afficher(valeur)}) n'est pas un {libelle} : saisissez un nombre.")
    if isinstance(valeur, int | float | Decimal):
        decimal = Decimal(repr(valeur)) if isinstance(valeur, float) else Decimal(valeur)
        if not decimal.is_finite():
            raise ValidationError(f"« {valeur} » n'est pas un {libelle} valide : saisissez un nombre.")
        texte = format(decimal, "f").replace(".", ",")  # un nombre du tableur n'est jamais ambigu
    else:
        texte = str(valeur).strip().removesuffix("€").strip()
    try:
        return lire_nombre(texte, decimales=decimales, maximum=maximum, libelle=libelle)
    except ValidationError as erreur:
        if erreur.code == "decimales" and decimales == 0:
            raise ValidationError(
                f"Cet indicateur est un comptage : saisissez un nombre entier (« {afficher(valeur)} » refusé)."
            ) from erreur
        raise


def en_texte(valeur, *, trop_long: str) -> str:
    if vide(valeur):
        return ""
    texte = (valeur if isinstance(valeur, str) else afficher(valeur)).strip()
    _refuser_caracteres_de_controle(texte)
    if len(texte) > TEXTE_MAX:
        raise ValidationError(f"{trop_long} : {nombre(len(texte))} caractères, {nombre(TEXTE_MAX)} au maximum.")
    return texte


def en_identifiant(valeur) -> int:
    consigne = "recopiez la colonne Identifiant du modèle"
    if vide(valeur):
        raise ValidationError(f"Identifiant d'indicateur manquant : {consigne}.")
    if isinstance(valeur, float) and valeur.is_integer():
        valeur = int(valeur)
    if isinstance(valeur, str) and re.fullmatch(r"[0-9]{1,18}", valeur.strip(), re.ASCII):
        valeur = int(valeur)
    if isinstance(valeur, bool) or not isinstance(valeur, int) or valeur <= 0:
        raise ValidationError(f"« {afficher(valeur)} » n'est pas un identifiant d'indicateur : {consigne}.")
    return valeur


class LigneLue:
    """Collecte toutes les erreurs d'une ligne, cellule par cellule."""

    def __init__(self, *, feuille: str, numero: int, erreurs: list[Erreur]):
        self.feuille, self.numero, self.erreurs, self.valide = feuille, numero, erreurs, True

    def erreur(self, colonne: str, message: str) -> None:
        self.erreurs.append(Erreur(message, self.feuille, f"{colonne}{self.numero}"))
        self.valide = False

    def lire(self, colonne: str, valeur, conversion, **options):
        if valeur is REFUSEE:
            self.valide = False
            return None
        try:
            return conversion(valeur, **options)
        except ValidationError as erreur:
            self.erreur(colonne, erreur.messages[0])
            return None
