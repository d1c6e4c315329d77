"""Parties : une organisation qu'un article engage (« s'engage », « versera »…) est partie au contrat. Les
organisations reconnues sont celles que connaît l'application (nom ou sigle) et les collectivités désignées par
leur nom commun (« le Département », « la Région »)."""

import re

from coherence.constats import A_VERIFIER, Constat, Preuve
from coherence.textes import citer, normaliser, phrases
from contrats.enums import TypeOrganisation

REGLES = {"parties.article": "Une organisation engagée par un article du contrat en est signataire"}
ENGAGEMENT = re.compile(r"\b(s engagen?t?|s oblige|versera|verseront|s acquitte|apportera|apporteront|financera)\b")
NOMS_COMMUNS = {
    TypeOrganisation.DEPARTEMENT: re.compile(
        r"\b(le departement|du departement|au departement|conseil departemental)\b"
    ),
    TypeOrganisation.REGION: re.compile(r"\b(la region|de la region|conseil regional)\b"),
}


def sujets_engages(phrase: str, organisations) -> tuple[list, list]:
    """Les organisations qu'une phrase engage : nommées juste avant un verbe d'engagement (sujet du verbe), par leur
    nom (connu de l'application), leur sigle, ou un nom commun de collectivité : (organisations, types des noms
    communs)."""
    normal = normaliser(phrase)
    verbes = [m.start() for m in ENGAGEMENT.finditer(normal)]
    if not verbes:
        return [], []

    # Les mentions (fin, organisation ou type) ; le sujet d'un verbe est la mention la plus proche avant lui, à 40
    # caractères au plus (« En lien avec X, la Communauté s'engage » : la Communauté, pas X).
    mentions = []
    for org in organisations:
        motifs = [normaliser(org.nom)] if len(normaliser(org.nom)) > 6 else []
        motifs += [normaliser(org.sigle)] if len(org.sigle) >= 3 else []
        for motif in motifs:
            mentions += [(m.end(), org) for m in re.finditer(rf"\b{re.escape(motif)}\b", normal)]
    for type_, motif in NOMS_COMMUNS.items():
        mentions += [(m.end(), type_) for m in motif.finditer(normal)]
    trouves, communs = [], []
    for verbe in verbes:
        avant = [(fin, sujet) for fin, sujet in mentions if 0 <= verbe - fin <= 40]
        if not avant:
            continue
        sujet = max(avant, key=lambda e: e[0])[1]
        cible = communs if isinstance(sujet, str) else trouves
        if sujet not in cible:
            cible.append(sujet)
    return trouves, communs


def verifier(d) -> list[Constat]:
    constats = []
    parties = {s.organisation_id for s in d.signataires}
    types = {s.organisation.type for s in d.signataires}
    signataires = "; ".join(f"{s.organisation.nom}" + (f" ({s.representant})" if s.representant else "")
                            for s in d.signataires) or "aucun"  # fmt: skip
    vus = set()
    for article in d.articles:
        for phrase in phrases(article.texte):
            organisations, communs = sujets_engages(phrase, d.organisations)
            absents = [o.nom for o in organisations if o.pk not in parties]
            nommes = {o.type for o in organisations}
            absents += [TypeOrganisation(t).label for t in communs if t not in types and t not in nommes]
            for nom in absents:
                if (article.numero, nom) in vus:
                    continue
                vus.add((article.numero, nom))
                constats.append(
                    Constat(
                        "parties.article", A_VERIFIER, str(article),
                        f"L'article engage « {nom} », qui n'est pas signataire du contrat.",
                        (Preuve(d.document, str(article), citer(phrase)),
                         Preuve(d.document, "Signataires", signataires)),
                        sujet=nom,
                    )
                )  # fmt: skip
    return constats
