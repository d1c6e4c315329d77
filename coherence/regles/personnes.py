"""Personnes : un élu s'écrit de la même façon d'une délibération à l'autre de la même collectivité (présents,
absents, pouvoirs, présidence, secrétariat), et n'est pas à la fois présent et absent à une même séance."""

import re
from collections import defaultdict

from coherence.constats import A_VERIFIER, ERREUR, Constat, Preuve
from coherence.dossier import nom_deliberation
from coherence.textes import normaliser, variante

REGLES = {
    "personnes.orthographe": "Une même personne s'écrit de la même façon d'une délibération à l'autre",
    "personnes.presence": "Un membre n'est pas à la fois présent et absent à une même séance",
}
_CIVILITE = re.compile(r"^\s*(monsieur|madame|mademoiselle|m\.|mme|mlle)\s+", re.IGNORECASE)


def cle_de_nom(nom: str) -> str:
    """« Madame Marie-Hélène JUILLARD-RANDRIAN » → « marie helene juillard randrian » (civilité retirée)."""
    return normaliser(_CIVILITE.sub("", nom or ""))


def noms_de_seance(deliberation) -> list[tuple[str, str]]:
    """(nom tel qu'écrit, rôle dans la séance)."""
    noms = [(n, "présent") for n in deliberation.membres_presents or []]
    for absent in deliberation.membres_absents or []:
        noms.append((absent.get("nom", ""), "absent"))
        if absent.get("pouvoir_a"):
            noms.append((absent["pouvoir_a"], "pouvoir reçu"))
    noms += [(deliberation.president, "président"), (deliberation.secretaire, "secrétaire de séance")]
    return [(n.strip(), role) for n, role in noms if n and n.strip()]


def proches(a: str, b: str) -> bool:
    """Deux écritures proches d'un même nom complet (prénom et nom), sans être identiques."""
    return len(a.split()) >= 2 and len(b.split()) >= 2 and variante(a, b)


def verifier(d) -> list[Constat]:
    constats = []
    ecritures = defaultdict(lambda: defaultdict(list))  # clé → écriture → [(délibération, rôle)]
    for deliberation in d.deliberations:
        presents, absents = set(), set()
        for nom, role in noms_de_seance(deliberation):
            ecritures[cle_de_nom(nom)][nom].append((deliberation, role))
            if role != "absent":  # présent, président, secrétaire de séance, pouvoir reçu : à la séance
                presents.add(cle_de_nom(nom))
            elif role == "absent":
                absents.add(cle_de_nom(nom))
        if deliberation.contrat_id == d.contrat.pk:
            for cle in sorted(presents & absents):
                nom = next(iter(ecritures[cle]))
                constats.append(
                    Constat(
                        "personnes.presence", ERREUR, nom_deliberation(deliberation),
                        f"« {nom} » figure à la fois parmi les absents et parmi ceux qui siègent (présents, "
                        "présidence, secrétariat, pouvoirs reçus).",
                        (Preuve(nom_deliberation(deliberation), "Membres présents et absents", nom),), sujet=cle,
                    )
                )  # fmt: skip
    du_contrat = {
        cle for cle, formes in ecritures.items()
        for vues in formes.values() for deliberation, _ in vues if deliberation.contrat_id == d.contrat.pk
    }  # fmt: skip
    cles = sorted(ecritures)
    for i, a in enumerate(cles):
        for b in cles[i + 1 :]:
            if not proches(a, b) or not ({a, b} & du_contrat):
                continue
            preuves = []
            for cle in (a, b):
                for nom, vues in ecritures[cle].items():
                    deliberation, role = vues[0]
                    preuves.append(Preuve(nom_deliberation(deliberation), role.capitalize(), nom))
            constats.append(
                Constat(
                    "personnes.orthographe", A_VERIFIER, "Délibérations de " + d.deliberations[0].organisation.nom,
                    f"Deux écritures proches, peut-être la même personne : « {preuves[0].citation} » et "
                    f"« {preuves[-1].citation} ».",
                    tuple(preuves), sujet=f"{a}|{b}",
                )
            )  # fmt: skip
    return constats
