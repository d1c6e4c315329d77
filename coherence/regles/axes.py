"""Axes : un axe porte le même numéro et le même nom dans les articles, dans l'en-tête des fiches actions et dans
les tableaux du contrat (la référence : le tableau, qui porte les montants)."""

import re
from collections import defaultdict
from difflib import SequenceMatcher

from coherence.constats import A_VERIFIER, INFORMATION, Constat, Preuve
from coherence.textes import citer, normaliser

REGLES = {
    "axes.numero": "L'axe de l'en-tête d'une fiche est celui où le tableau range l'action",
    "axes.intitule": "Un axe porte le même nom dans les articles, les fiches et les tableaux",
}
_ENTETE = re.compile(r"^\s*axe\s+([0-9]+)\s*[:–—-]?\s*(.*)$", re.IGNORECASE | re.DOTALL)
_NOMME = re.compile(r"\baxe\s+[«\"“]\s*([^»\"”\n]{3,120}?)\s*[»\"”]", re.IGNORECASE)
_MENTION_CITEE = re.compile(r"\baxe\s+([0-9]+)\s*[:–—-]?\s*[«\"“]\s*([^»\"”\n]{3,160}?)\s*[»\"”]", re.IGNORECASE)
_MENTION = re.compile(r"\baxe\s+([0-9]+)\s*[:–—-]\s*[«\"]?\s*([^\n«»\"]+?)\s*[»\"]?\s*(?:[.;\n]|$)", re.IGNORECASE)


def memes_noms(a: str, b: str) -> bool:
    """Deux noms d'axe concordent si l'un, normalisé, commence par l'autre (un article peut l'abréger)."""
    a, b = normaliser(a), normaliser(b)
    return bool(a and b) and (a.startswith(b) or b.startswith(a))


def mentions_d_axes(texte: str) -> list[tuple[int, str, int, int]]:
    """Les « Axe N : nom » d'un texte : (numéro, nom, début, fin)."""
    citees = [(int(m[1]), m[2].strip(), m.start(), m.end()) for m in _MENTION_CITEE.finditer(texte or "")]
    autres = [
        (int(m[1]), m[2].strip(), m.start(), m.end())
        for m in _MENTION.finditer(texte or "")
        if not any(d <= m.start() < f for _, _, d, f in citees)
    ]
    return sorted(citees + autres, key=lambda e: e[2])


def verifier(d) -> list[Constat]:
    constats = []
    axes = {axe.numero: axe for axe in d.axes}
    if not axes:
        return constats
    tableau = {n: Preuve(d.document, "Tableaux du contrat", f"Axe {n} : {axe.intitule}") for n, axe in axes.items()}
    # Noms divergents : (numéro, nom lu) → endroits où il est lu.
    divergents = defaultdict(list)
    noms_lus = {}  # (numéro, nom normalisé) → le nom tel qu'écrit
    for action in d.actions:
        entete = _ENTETE.match(action.entete_fiche or "")
        if not entete or not action.axe:
            continue
        numero, nom = int(entete[1]), entete[2].strip()
        preuve = Preuve(
            d.document, f"Fiche action {action.numero}, en-tête", action.entete_fiche, d.url_action(action)
        )
        if numero != action.axe.numero:
            homonyme = next((n for n, axe in axes.items() if nom and memes_noms(nom, axe.intitule)), None)
            precision = f" ; ce nom est celui de l'axe {homonyme} des tableaux" if homonyme else ""
            constats.append(
                Constat(
                    "axes.numero", A_VERIFIER, f"Fiche action {action.numero}",
                    f"L'en-tête de la fiche range l'action dans l'axe {numero}, le tableau du contrat dans l'axe "
                    f"{action.axe.numero}{precision}.",
                    (preuve, tableau[action.axe.numero]), url=d.url_action(action),
                )
            )  # fmt: skip
        elif nom and not memes_noms(nom, action.axe.intitule):
            divergents[(numero, normaliser(nom))].append(preuve)
            noms_lus.setdefault((numero, normaliser(nom)), nom.strip('«»"“” '))
    for document, lieu, texte in d.textes_du_contrat():
        for numero, nom, debut, fin in mentions_d_axes(texte):
            if numero in axes and not memes_noms(nom, axes[numero].intitule):
                divergents[(numero, normaliser(nom))].append(Preuve(document, lieu, citer(texte, debut, fin)))
                noms_lus.setdefault((numero, normaliser(nom)), nom)
    # « l'axe « Accès à l'emploi » » : un axe nommé sans numéro, rapporté à l'axe dont le nom le contient.
    for document, lieu, texte in d.textes_du_contrat() + d.textes_des_fiches():
        for m in _NOMME.finditer(texte):
            nom = m[1].strip()
            if any(memes_noms(nom, axe.intitule) for axe in axes.values()):
                continue
            contenants = [n for n, axe in axes.items() if normaliser(nom) in normaliser(axe.intitule)]
            numero = contenants[0] if len(contenants) == 1 else 0
            divergents[(numero, normaliser(nom))].append(Preuve(document, lieu, citer(texte, m.start(), m.end())))
            noms_lus.setdefault((numero, normaliser(nom)), nom)
    for (numero, nom), preuves in divergents.items():
        if numero == 0:
            constats.append(
                Constat(
                    "axes.intitule", A_VERIFIER, "Axes",
                    f"Le texte nomme un axe « {noms_lus[(numero, nom)]} » qui ne correspond à aucun axe des tableaux.",
                    (*preuves, *tableau.values()), sujet=nom,
                )
            )  # fmt: skip
            continue
        vu = noms_lus[(numero, nom)]
        # Variante de rédaction (« de l'accès » pour « d'accès ») ou nom abrégé contenu dans celui du tableau.
        proche = SequenceMatcher(None, nom, normaliser(axes[numero].intitule)).ratio() >= 0.9 or (
            nom in normaliser(axes[numero].intitule)
        )
        constats.append(
            Constat(
                "axes.intitule", INFORMATION if proche else A_VERIFIER, f"Axe {numero}",
                f"L'axe {numero} s'appelle « {axes[numero].intitule} » dans les tableaux, « {vu} » ailleurs "
                f"({len(preuves)} endroit{'s' if len(preuves) > 1 else ''})"
                + (" : une variante de rédaction ou un nom abrégé." if proche else "."),
                (tableau[numero], *preuves), sujet=nom,
            )
        )  # fmt: skip
    return constats
