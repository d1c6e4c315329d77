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
# Une annonce : la dernière phrase d'une ligne finie par « : » qui compte des choses au pluriel (« … composé de
# 8 actions : », « deux conditions paraissent nécessaires pour … : », « les trois grandes priorités suivantes : »).
_ANNONCE = re.compile(
    NOMBRE + r"\s+((?:(?:grande?s|principa(?:les|ux)|nouve(?:aux|lles)|autres)\s+)?[a-z'’-]{3,}[sx])\b"
)
_PUCE = re.compile(r"^\s*(?:[-–•◦▪*]|[0-9]+[.)]|[a-z]\))\s+\S")
_COLLECTIONS = [
    ("quartiers prioritaires", r"quartiers? prioritaires?"),
    ("quartiers de veille", r"quartiers? (?:en |de )?veille"),
    ("axes", r"axes?"),
    ("actions", r"(?:fiches?[ -])?actions?"),
    ("signataires", r"signataires?"),
]


# Une phrase sur le cadre national (stratégie, pacte, plan) compte ses propres axes, pas ceux du contrat.
_CADRE_NATIONAL = re.compile(r"\bnationa|\bpacte\b|\bstrategie\b|\bplan\b")


def listes_annoncees(texte: str) -> list[tuple[int, str, list[str], str]]:
    """(nombre annoncé, nom, puces énumérées, annonce) pour chaque ligne « … N choses : » suivie d'une
    énumération à puces dont le compte diffère de l'annonce. Intertitres et paragraphes d'explication peuvent
    s'intercaler entre les puces ; la liste s'arrête à une nouvelle annonce (ligne finie par « : ») ou quand aucune
    puce ne suit dans les deux lignes."""
    lignes = [ligne.strip() for ligne in (texte or "").splitlines() if ligne.strip()]
    resultat = []
    for i, ligne in enumerate(lignes):
        if not ligne.endswith(":"):
            continue
        normal = sans_accents_meme_longueur(ligne)
        phrase = re.split(r"(?<=[.!?])\s+", normal)[-1]
        decalage = len(normal) - len(phrase)
        annonces = [m for m in _ANNONCE.finditer(phrase) if 2 <= (nombre_ecrit(m[1]) or 0) <= 50]
        if not annonces:
            continue
        m = annonces[-1]
        puces = []
        suite = lignes[i + 1 :]
        for j, suivante in enumerate(suite):
            if _PUCE.match(suivante):
                puces.append(suivante)
            elif suivante.endswith(":") or not any(_PUCE.match(x) for x in suite[j + 1 : j + 3]):
                break
        annonce = nombre_ecrit(m[1])
        # Une puce peut nommer deux éléments (« Les Grésilles et Fontaine d'Ouche à Dijon ») : le compte annoncé
        # tient s'il est entre le nombre de puces et ce nombre plus les puces qui en joignent deux.
        doubles = sum(1 for puce in puces if re.search(r"\bet\b|,", puce[2:]))
        if puces and not len(puces) <= annonce <= len(puces) + doubles:
            passage = citer(ligne, decalage + m.start(), len(ligne))
            resultat.append((annonce, ligne[decalage + m.start(2) : decalage + m.end(2)], puces, passage))
    return resultat


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
    for document, lieu, texte in d.textes_du_contrat() + d.textes_des_fiches():
        for annonce, nom, puces, ligne in listes_annoncees(texte):
            constats.append(
                Constat(
                    "listes.compte", ERREUR, f"{document} – {lieu}",
                    f"Le texte annonce {annonce} {nom} et en énumère {len(puces)}.",
                    (Preuve(document, lieu, ligne),
                     Preuve(document, f"{lieu}, éléments énumérés", " ".join(citer(p) for p in puces))),
                    sujet=ligne[:120],
                )
            )  # fmt: skip
    # Les nombres des collections du contrat : dans ses propres textes seulement (une fiche parle de ses actions).
    for document, lieu, texte in d.textes_du_contrat():
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
