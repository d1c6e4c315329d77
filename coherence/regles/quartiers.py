"""Quartiers : les contrats d'un même territoire (même collectivité) écrivent un quartier de la même façon, et le
classent dans la même catégorie ; un quartier présent dans un contrat et absent d'un autre est signalé pour
information (les listes changent d'une géographie prioritaire à l'autre)."""

from coherence.constats import A_VERIFIER, INFORMATION, Constat, Preuve
from coherence.textes import normaliser, variante

REGLES = {
    "quartiers.orthographe": "Un quartier s'écrit de la même façon d'un contrat (ou d'une ligne) à l'autre",
    "quartiers.categorie": "Un quartier a la même catégorie (prioritaire, veille) d'un contrat à l'autre",
    "quartiers.liste": "Les contrats d'un même territoire listent les mêmes quartiers",
}


def _cle(quartier) -> str:
    return normaliser(f"{quartier.nom} {quartier.commune}")


def _preuve(contrat, quartier) -> Preuve:
    return Preuve(
        contrat.titre, "Quartiers", f"{quartier.nom} ({quartier.commune}) – {quartier.get_categorie_display()}"
    )


def ecritures_proches(quartiers_a, quartiers_b) -> list[tuple]:
    """Les paires (a, b) d'écritures proches mais différentes d'un même quartier ; un nom écrit tel quel dans l'autre
    liste n'est rapproché d'aucun autre (deux quartiers voisins, « Belvédère Est » et « Belvédère Ouest »)."""
    cles_a, cles_b = {_cle(q) for q in quartiers_a}, {_cle(q) for q in quartiers_b}
    return [
        (a, b)
        for a in quartiers_a
        for b in quartiers_b
        if _cle(a) not in cles_b and _cle(b) not in cles_a and variante(_cle(a), _cle(b))
    ]


def verifier(d) -> list[Constat]:
    constats = []
    moi = next((c for c in d.voisins if c.pk == d.contrat.pk), None)
    if moi is None or not moi.quartiers.all():
        return constats
    miens = list(moi.quartiers.all())
    vues = set()
    for i, a in enumerate(miens):
        for b in miens[i + 1 :]:
            for x, y in ecritures_proches([a], [b]):
                constats.append(
                    Constat(
                        "quartiers.orthographe", A_VERIFIER, "Quartiers",
                        f"Deux écritures proches dans la même liste : « {x.nom} » et « {y.nom} ».",
                        (_preuve(moi, x), _preuve(moi, y)), sujet=f"{_cle(x)}|{_cle(y)}",
                    )
                )  # fmt: skip
    for autre in d.voisins:
        siens = list(autre.quartiers.all())
        if autre.pk == moi.pk or not siens:
            continue
        for a, b in ecritures_proches(miens, siens):
            vues.update({_cle(a), _cle(b)})
            constats.append(
                Constat(
                    "quartiers.orthographe", A_VERIFIER, f"Quartiers (comparés à {autre.titre})",
                    f"« {a.nom} » ici, « {b.nom} » dans {autre.titre}.",
                    (_preuve(moi, a), _preuve(autre, b)), sujet=f"{autre.slug}|{_cle(a)}|{_cle(b)}",
                )
            )  # fmt: skip
        par_cle = {_cle(q): q for q in siens}
        for a in miens:
            b = par_cle.get(_cle(a))
            if b is not None and b.categorie != a.categorie:
                constats.append(
                    Constat(
                        "quartiers.categorie", A_VERIFIER, f"Quartiers (comparés à {autre.titre})",
                        f"« {a.nom} » est {a.get_categorie_display().lower()} ici, "
                        f"{b.get_categorie_display().lower()} dans {autre.titre}.",
                        (_preuve(moi, a), _preuve(autre, b)), sujet=f"{autre.slug}|{_cle(a)}",
                    )
                )  # fmt: skip
        seuls_ici = [q for q in miens if _cle(q) not in par_cle and _cle(q) not in vues]
        if seuls_ici:
            constats.append(
                Constat(
                    "quartiers.liste", INFORMATION, f"Quartiers (comparés à {autre.titre})",
                    f"{len(seuls_ici)} quartier{'s' if len(seuls_ici) > 1 else ''} de ce contrat ne figure"
                    f"{'nt' if len(seuls_ici) > 1 else ''} pas dans {autre.titre} : "
                    + ", ".join(q.nom for q in seuls_ici) + ".",
                    tuple(_preuve(moi, q) for q in seuls_ici), sujet=autre.slug,
                )
            )  # fmt: skip
    return constats
