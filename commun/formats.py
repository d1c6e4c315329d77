"""Nombres et montants à la française : affichage (« 332 500 € ») et saisie (« 1 234,5 »)."""

import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError

ESPACE_FINE = "\u202f"
# Un exercice (ou un pilier) sans versement enregistré : dit tel quel, jamais « 0 € » (un versement est > 0).
AUCUN_VERSEMENT = "aucun versement"
MONTANT_MAX = Decimal("999999999.99")


def nombre(valeur: Decimal | int) -> str:
    """1234.50 → « 1 234,5 » ; 332500 → « 332 500 »."""
    valeur = Decimal(valeur)
    entier, _, decimales = f"{valeur:.2f}".partition(".")
    signe = "-" if entier.startswith("-") else ""
    chiffres = entier.lstrip("-")
    groupes = []
    while chiffres:
        groupes.insert(0, chiffres[-3:])
        chiffres = chiffres[:-3]
    texte = signe + ESPACE_FINE.join(groupes or ["0"])
    decimales = decimales.rstrip("0")
    return f"{texte},{decimales}" if decimales else texte


def euros(montant: Decimal | int) -> str:
    montant = Decimal(montant)
    texte = nombre(montant)
    if "," in texte:  # les centimes s'écrivent toujours sur deux chiffres
        entier, decimales = texte.split(",")
        texte = f"{entier},{decimales:0<2}"
    return f"{texte}\u00a0€"


_ENTRE_CHIFFRES = re.compile(r"(?<=[0-9]) (?=[0-9]{3}(?![0-9]))")  # « 255 000 », « 1 234 567 »
_AVANT_PONCTUATION = re.compile(r" (?=[;!?%])")
_AVANT_DEUX_POINTS_GUILLEMET_EURO = re.compile(r" (?=[:»€])")
_APRES_GUILLEMET = re.compile(r"(?<=«) ")


def insecables(texte: str) -> str:
    """Un texte saisi ou transcrit, aux espaces insécables de la typographie française, pour qu'aucune ligne ne
    coupe un nombre (« 255 000 ») ni ne commence par « : », « ; », « ! », « ? », « % » ou « » » : espace fine
    (U+202F) dans les nombres et avant ; ! ? %, insécable (U+00A0) avant : » € et après «."""
    texte = _ENTRE_CHIFFRES.sub(ESPACE_FINE, texte)
    texte = _AVANT_PONCTUATION.sub(ESPACE_FINE, texte)
    texte = _AVANT_DEUX_POINTS_GUILLEMET_EURO.sub("\u00a0", texte)
    return _APRES_GUILLEMET.sub("\u00a0", texte)


_NOMBRE_FR = re.compile(r"^-?[0-9]+(,[0-9]+)?$")  # chiffres ASCII seulement : « ² » ou « ٣ » ne sont pas des nombres


def lire_nombre(
    texte: str, *, decimales: int = 2, maximum: Decimal = MONTANT_MAX, libelle: str = "montant"
) -> Decimal:
    """Lit « 1 234,5 » ou « 1234.5 » ; refuse le reste avec un message en français."""
    brut = (texte or "").strip()
    compact = re.sub(r"[\s\u00a0\u202f]", "", brut)
    if "," not in compact and re.fullmatch(r"[0-9]{1,3}(?:\.[0-9]{3})+", compact):
        # « 1.250 » : mille deux cent cinquante (point des milliers) ou un virgule vingt-cinq (point décimal) ?
        # Ambigu : refusé, avec les deux écritures françaises possibles.
        milliers = compact.replace(".", " ")
        decimal = f" ou {compact.replace('.', ',')} (virgule avant les décimales)" if compact.count(".") == 1 else ""
        raise ValidationError(
            f"« {brut} » est ambigu : en français, écrivez {milliers} (espace entre les milliers){decimal}.",
            code="ambigu",
        )
    if "," not in compact and compact.count(".") == 1:
        compact = compact.replace(".", ",")
    if not _NOMBRE_FR.match(compact):
        raise ValidationError(
            f"« {brut} » n'est pas un {libelle} valide : saisissez un nombre, par exemple 12 500 ou 12 500,50.",
            code="invalide",
        )
    try:
        valeur = Decimal(compact.replace(",", "."))
    except InvalidOperation as erreur:  # pragma: no cover - l'expression régulière l'exclut déjà
        raise ValidationError(f"« {brut} » n'est pas un nombre.", code="invalide") from erreur
    if valeur < 0:
        raise ValidationError(f"Un {libelle} ne peut pas être négatif.", code="negatif")
    if valeur > maximum:
        raise ValidationError(f"{libelle.capitalize()} trop élevé : {nombre(maximum)} au maximum.", code="trop_eleve")
    if valeur != valeur.quantize(Decimal(1).scaleb(-decimales)):
        raise ValidationError(f"Au plus {decimales} chiffres après la virgule.", code="decimales")
    return valeur


_ENTIER = re.compile(r"-?[0-9]+")  # chiffres ASCII seulement, comme lire_nombre


def chiffres_non_ascii(texte: str) -> bool:
    """Vrai si le texte contient un chiffre qui n'est pas 0-9 (« ² », « ٣ », « ３ ») : int(), Decimal() et strptime
    en acceptent certains, str.isdigit() tous ; l'application n'en accepte aucun."""
    return any(not c.isascii() and c.isdigit() for c in texte)


def lire_entier(texte: str | None) -> int | None:
    """Un entier écrit en chiffres ASCII (paramètre d'adresse, identifiant envoyé par un formulaire) ; None sinon."""
    brut = (texte or "").strip()
    return int(brut) if _ENTIER.fullmatch(brut) else None


def pourcentage(taux: Decimal | None) -> str:
    """0.615 → « 61,5 % » ; aucun taux → « — »."""
    if taux is None or taux == "":
        return "—"
    return f"{nombre(round(Decimal(taux) * 100, 1))}\u00a0%"


def periode(debut: int, fin: int) -> str:
    """Le libellé d'une période d'années : « 2024 » ou « 2024-2027 »."""
    return str(debut) if debut == fin else f"{debut}-{fin}"


def nom_de(utilisateur) -> str:
    """Le nom d'une personne (prénom et nom), son identifiant de connexion seulement s'il n'y a rien d'autre."""
    if utilisateur is None:
        return "système"
    return utilisateur.get_full_name().strip() or utilisateur.get_username()


def nom_et_organisation(utilisateur) -> str:
    """« Claire Démo, DDETS de la Côte-d'Or » : la personne et l'organisation de son profil (sans profil, son nom
    seul ; aucun utilisateur, « système »). Lit `utilisateur.profil.organisation` : les listes qui l'appellent chargent
    les auteurs avec `select_related("…__profil__organisation")`, pour ne pas lancer une requête par ligne."""
    if utilisateur is None:
        return nom_de(None)
    # Sans profil, `utilisateur.profil` lève RelatedObjectDoesNotExist, qui est aussi une AttributeError.
    profil = getattr(utilisateur, "profil", None)
    return f"{nom_de(utilisateur)}, {profil.organisation}" if profil is not None else nom_de(utilisateur)
