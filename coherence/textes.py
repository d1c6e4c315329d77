"""Lire un texte signé : le normaliser, le découper en phrases, en citer un passage, y trouver des nombres écrits
en lettres, des ordinaux, des dates et des tranches d'âge. Rien ici ne connaît un document particulier."""

import datetime
import re
import unicodedata
from difflib import SequenceMatcher

MOTS_NOMBRES = {
    "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8, "neuf": 9,
    "dix": 10, "onze": 11, "douze": 12, "treize": 13, "quatorze": 14, "quinze": 15, "seize": 16, "vingt": 20,
}  # fmt: skip
ORDINAUX = {
    "premier": 1, "premiere": 1, "deuxieme": 2, "second": 2, "seconde": 2, "troisieme": 3, "quatrieme": 4,
    "cinquieme": 5, "sixieme": 6, "septieme": 7, "huitieme": 8, "neuvieme": 9, "dixieme": 10,
}  # fmt: skip
MOIS = {
    "janvier": 1, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7, "aout": 8,
    "septembre": 9, "octobre": 10, "novembre": 11, "decembre": 12,
}  # fmt: skip
LONGUEUR_CITATION = 320


def sans_accents(texte: str) -> str:
    return unicodedata.normalize("NFKD", texte).encode("ascii", "ignore").decode()


def sans_accents_meme_longueur(texte: str) -> str:
    """Minuscules sans accents, caractère pour caractère : les positions d'un motif trouvé restent celles du texte."""
    return "".join((sans_accents(c) or c)[:1] for c in (texte or "").lower())


def normaliser(texte: str) -> str:
    """Minuscules, sans accents ni ponctuation, blancs réduits : « L’Accès – 16/29 ans » → « l acces 16 29 ans »."""
    texte = (texte or "").replace("’", "'")
    return re.sub(r"[^a-z0-9]+", " ", sans_accents(texte).lower()).strip()


def phrases(texte: str) -> list[str]:
    """Les phrases d'un texte (coupées aux points, points-virgules, deux-points en fin de ligne et lignes vides)."""
    texte = re.sub(r"[ \t]+", " ", texte or "")
    morceaux = re.split(r"(?<=[.;!?])\s+(?=[A-ZÀ-Ý«\-–•])|\n\s*\n|\n(?=\s*[-–•◦])", texte)
    return [m.strip() for m in morceaux if m and m.strip()]


def citer(texte: str, debut: int = 0, fin: int | None = None) -> str:
    """Le passage autour de [debut, fin) (positions dans le texte tel qu'écrit), borné à une longueur lisible, blancs
    réduits, avec « … » là où il est coupé."""
    texte = texte or ""

    def net(morceau: str) -> str:
        return re.sub(r"\s+", " ", morceau).strip()

    if len(net(texte)) <= LONGUEUR_CITATION:
        return net(texte)
    fin = debut if fin is None else fin
    marge = max((LONGUEUR_CITATION - (fin - debut)) // 2, 40)
    a, b = max(debut - marge, 0), min(fin + marge, len(texte))
    return ("…" if a > 0 else "") + net(texte[a:b]) + ("…" if b < len(texte) else "")


def variante(a: str, b: str, seuil: float = 0.8) -> bool:
    """Deux écritures normalisées d'un même nom, à quelques lettres près (« baudement » / « baudemont »), pas deux
    noms distincts qui se ressemblent (« belvedere est » / « belvedere ouest ») : autant de mots, et chaque mot qui
    diffère n'en diffère que de quelques lettres."""
    if a == b:
        return False
    mots_a, mots_b = a.split(), b.split()
    if len(mots_a) != len(mots_b):
        return a.replace(" ", "") == b.replace(" ", "")
    differents = [(x, y) for x, y in zip(mots_a, mots_b, strict=True) if x != y]
    return all(len(x) >= 4 and SequenceMatcher(None, x, y).ratio() >= seuil for x, y in differents)


def nombre_ecrit(mot: str) -> int | None:
    """« 8 » → 8, « huit » → 8, sinon None."""
    mot = normaliser(mot)
    if mot.isascii() and mot.isdigit():
        return int(mot)
    return MOTS_NOMBRES.get(mot)


NOMBRE = r"([0-9]+|" + "|".join(sorted(MOTS_NOMBRES, key=len, reverse=True)) + r")"


def dates(texte: str) -> list[tuple[datetime.date, str]]:
    """Les dates écrites dans un texte (« 1er janvier 2024 », « 01/01/2024 », « janvier 2024 » = le 1er du mois),
    avec le passage qui les écrit."""
    resultat = []
    normal = sans_accents(texte or "").lower()
    for m in re.finditer(r"\b([0-9]{1,2})(?:er)?\s+(" + "|".join(MOIS) + r")\s+([0-9]{4})\b", normal):
        try:
            resultat.append((datetime.date(int(m[3]), MOIS[m[2]], int(m[1])), m[0]))
        except ValueError:
            continue
    for m in re.finditer(r"\b([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})\b", normal):
        try:
            resultat.append((datetime.date(int(m[3]), int(m[2]), int(m[1])), m[0]))
        except ValueError:
            continue
    for m in re.finditer(r"(?<![0-9]\s)(?<![0-9]er\s)\b(" + "|".join(MOIS) + r")\s+([0-9]{4})\b", normal):
        resultat.append((datetime.date(int(m[2]), MOIS[m[1]], 1), m[0]))
    return resultat


def tranches_d_age(texte: str) -> list[tuple[int, int, str]]:
    """Les âges que nomme un texte, en intervalles [min, max] (bornes incluses, 200 = sans limite), avec le passage
    tel qu'écrit : « 16 – 29 ans », « de 16 à 25 ans », « moins de 15 ans » (0-14), « plus de 15 ans » (16-200),
    « 60 ans et plus » (60-200)."""
    texte = texte or ""
    normal = sans_accents_meme_longueur(texte)
    resultat = []
    occupe = []
    for m in re.finditer(
        r"\b(?:de |entre )?([0-9]{1,3})(?:\s*[-–—/]\s*|\s+(?:a|et)\s+|\s+)([0-9]{1,3})\s*ans\b", normal
    ):
        a, b = int(m[1]), int(m[2])
        if a < b <= 120:
            resultat.append((a, b, texte[m.start() : m.end()]))
            occupe.append(m.span())
    for m in re.finditer(r"\b(?:de |entre )?([0-9]{1,3})\s*ans\s*(?:[-–—/]|a|et)\s*([0-9]{1,3})\s*ans\b", normal):
        a, b = int(m[1]), int(m[2])
        if a < b <= 120:
            resultat.append((a, b, texte[m.start() : m.end()]))
            occupe.append(m.span())
    for m in re.finditer(r"\b(moins|plus) de ([0-9]{1,3})\s*ans\b", normal):
        if any(d <= m.start() < f for d, f in occupe):
            continue
        age = int(m[2])
        passage = texte[m.start() : m.end()]
        resultat.append((0, age - 1, passage) if m[1] == "moins" else (age + 1, 200, passage))
    for m in re.finditer(r"\b([0-9]{1,3})\s*ans et plus\b", normal):
        resultat.append((int(m[1]), 200, texte[m.start() : m.end()]))
    return resultat
