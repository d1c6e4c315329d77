"""Listes annoncées : un texte qui annonce « N actions : » puis les énumère en énumère N ; un nombre écrit dans les
textes du contrat (ses actions, ses axes, ses quartiers, ses signataires) est celui de ses données. Pour les
quartiers, un contrat qui n'en liste pas se compare au plus récent contrat du même territoire qui en liste."""

import re

from coherence.constats import A_VERIFIER, ERREUR, INFORMATION, Constat, Preuve
from coherence.textes import NOMBRE, citer, nombre_ecrit, sans_accents_meme_longueur

REGLES = {
    "listes.compte": "Une liste annoncée avec N éléments en énumère N",
    "listes.collection": "Un nombre écrit dans le texte (actions, axes, quartiers, signataires) est celui des données",
}
# « … 8 actions : », « les quatre grandes thématiques suivantes : » : un nombre, un à quatre mots dont le dernier au
# pluriel, deux-points en fin de ligne.
_ANNONCE = re.compile(NOMBRE + r"\s+((?:[^\s\d:]+\s+){0,3}[^\s\d:]+[sx])\s*(?:suivant(?:e)?s\s*)?:\s*$")
_PUCE = re.compile(r"^\s*(?:[-–•◦▪*]|\d+[.)]|[a-z]\))\s+\S")
_COLLECTIONS = [
    ("quartiers prioritaires", r"quartiers? prioritaires?"),
    ("quartiers de veille", r"quartiers? (?:en |de )?veille"),
    ("axes", r"axes?"),
    ("actions", r"(?:fiches?[ -])?actions?"),
    ("signataires", r"signataires?"),
]


# Une phrase sur le cadre national (stratégie, pacte, plan) compte ses propres axes, pas ceux du contrat.
_CADRE_NATIONAL = re.compile(r"\bnationa|\bpacte\b|\bstrategie\b|\bplan\b")


def listes_annoncees(texte: str) -> list[tuple[int, str, int, str]]:
    """(nombre annoncé, nom, éléments énumérés, annonce) pour chaque ligne « … N choses : » suivie d'une
    énumération à puces (des intertitres courts peuvent s'y intercaler ; un paragraphe la termine)."""
    lignes = [ligne.strip() for ligne in (texte or "").splitlines()]
    resultat = []
    for i, ligne in enumerate(lignes):
        m = _ANNONCE.search(sans_accents_meme_longueur(ligne))
        if not m or (nombre_ecrit(m[1]) or 0) < 2:
            continue
        elements = 0
        for suivante in lignes[i + 1 :]:
            if not suivante:
                continue
            if _PUCE.match(suivante):
                elements += 1
            elif len(suivante) > 120 or suivante.endswith((".", ":")) or elements and not _intertitre(suivante):
                break
        if elements:
            resultat.append((nombre_ecrit(m[1]), m[2].strip(), elements, ligne))
    return resultat


def _intertitre(ligne: str) -> bool:
    return len(ligne) <= 120 and not ligne.endswith(".")


def nombres_annonces(texte: str) -> list[tuple[str, int, int, int]]:
    """(collection, nombre, début, fin) pour chaque « 8 actions », « cinq quartiers prioritaires » du texte, hors des
    phrases sur le cadre national."""
    normal = sans_accents_meme_longueur(texte)
    resultat = []
    for phrase in re.finditer(r"[^.;:!?]+[.;:!?]?", normal):
        if _CADRE_NATIONAL.search(phrase[0]):
            continue
        for nom, motif in _COLLECTIONS:
            for m in re.finditer(rf"\b{NOMBRE}\s+{motif}\b", phrase[0]):
                valeur = nombre_ecrit(m[1])
                debut, fin = phrase.start() + m.start(), phrase.start() + m.end()
                if (valeur or 0) >= 2 and not any(r[2] <= debut < r[3] for r in resultat):
                    resultat.append((nom, valeur, debut, fin))
    return resultat


def _quartiers(contrat, categorie):
    return [q for q in contrat.quartiers.all() if q.categorie == categorie]


def verifier(d) -> list[Constat]:
    constats = []
    avec_quartiers = [c for c in d.voisins if c.quartiers.all()]
    reference = d.contrat if any(c.pk == d.contrat.pk for c in avec_quartiers) else (avec_quartiers or [None])[-1]
    donnees = {
        "axes": (len(d.axes), d.document, "Tableaux du contrat"),
        "actions": (len(d.actions), d.document, "Fiches actions"),
        "signataires": (len(d.signataires), d.document, "Signataires"),
    }
    if reference is not None:
        for nom, categorie in (("quartiers prioritaires", "prioritaire"), ("quartiers de veille", "veille")):
            quartiers = _quartiers(reference, categorie)
            donnees[nom] = (
                len(quartiers),
                reference.titre,
                f"Liste des {nom} : " + ", ".join(q.nom for q in quartiers),
            )
    for document, lieu, texte in d.textes_du_contrat():
        for annonce, nom, elements, ligne in listes_annoncees(texte):
            if annonce != elements:
                constats.append(
                    Constat(
                        "listes.compte", ERREUR, f"{document} – {lieu}",
                        f"Le texte annonce {annonce} {nom} et en énumère {elements}.",
                        (Preuve(document, lieu, ligne),), sujet=ligne[:120],
                    )
                )  # fmt: skip
        for nom, valeur, debut, fin in nombres_annonces(texte):
            compte, source, detail = donnees.get(nom, (0, "", ""))
            if not compte or compte == valeur:
                continue
            autre = source != d.document
            constats.append(
                Constat(
                    "listes.collection", INFORMATION if autre else A_VERIFIER, f"{document} – {lieu}",
                    f"Le texte écrit « {texte[debut:fin]} », les données en comptent {compte}"
                    + (f" ({source})." if autre else "."),
                    (Preuve(document, lieu, citer(texte, debut, fin)), Preuve(source, detail.split(" : ")[0], detail)),
                    sujet=f"{nom}|{valeur}",
                )
            )  # fmt: skip
    return constats
