"""Publics : les tranches d'âge que nomment les champs d'une fiche (public cible, objectifs, intitulé, indicateur de
la fiche) et les libellés de ses indicateurs doivent se recouvrir. Un indicateur qui compte les « moins de 15 ans »
d'une action dont le public a « 16 – 29 ans » ne mesure pas son public."""

from coherence.constats import A_VERIFIER, Constat, Preuve
from coherence.textes import tranches_d_age

TABLEAU = "tableau des indicateurs"
REGLES = {"publics.ages": "Les tranches d'âge d'une fiche (public, objectifs, indicateurs) se recouvrent"}


def disjointes(a: list, b: list) -> bool:
    """Aucune tranche de `a` ne recouvre une tranche de `b` (les deux non vides)."""
    return bool(a and b) and all(x[1] < y[0] or y[1] < x[0] for x in a for y in b)


def champs_de_la_fiche(action, indicateurs) -> list[tuple[str, str]]:
    champs = [
        ("public cible", action.public_cible),
        ("intitulé", action.intitule),
        ("objectif principal", action.objectif_principal),
        ("objectifs opérationnels", action.objectifs_operationnels),
        ("indicateur de la fiche", action.indicateur_fiche),
    ]
    champs += [(TABLEAU, i.libelle) for i in indicateurs]
    return [(nom, texte) for nom, texte in champs if texte]


def verifier(d) -> list[Constat]:
    """Un constat par fiche : les paires de champs dont les âges ne se recouvrent pas, chaque champ cité une fois."""
    constats = []
    for action in d.actions:
        champs = champs_de_la_fiche(action, d.indicateurs_de(action))
        champs = [(nom, texte, ages) for nom, texte in champs if (ages := tranches_d_age(texte))]
        paires = [
            (a, b) for i, a in enumerate(champs) for b in champs[i + 1 :] if disjointes(a[2], b[2])
        ]  # fmt: skip
        if not paires:
            continue
        url = d.url_action(action)
        cites = []
        for a, b in paires:
            cites += [c for c in (a, b) if c not in cites]
        lieu = f"Fiche action {action.numero}"
        constats.append(
            Constat(
                "publics.ages", A_VERIFIER, lieu,
                "Les âges ne se recouvrent pas : "
                + " ; ".join(f"« {a[2][0][2]} » ({a[0]}) et « {b[2][0][2]} » ({b[0]})" for a, b in paires) + ".",
                tuple(
                    Preuve(d.document, "Tableau des indicateurs" if nom == TABLEAU else f"{lieu}, {nom}", texte, url)
                    for nom, texte, _ in cites
                ),
                url=url,
            )
        )  # fmt: skip
    return constats
