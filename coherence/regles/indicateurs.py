"""Indicateurs : chaque action en a ; un indicateur chiffré a une cible chaque année et une valeur de départ ; une
cible « nd » est fixée avant la date que le document se donne. Un indicateur qualitatif, ou dont le document ne
chiffre pas la cible, n'attend ni cible ni T0 : rien n'y manque."""

from collections import defaultdict

from coherence.constats import A_VERIFIER, INFORMATION, Constat, Preuve

REGLES = {
    "indicateurs.sans_indicateur": "Chaque action a au moins un indicateur, chiffré ou qualitatif",
    "indicateurs.cible_manquante": "Un indicateur chiffré a une cible, ou « nd », pour chaque année du contrat",
    "indicateurs.nd_echu": "Une cible « nd » est fixée avant la date que donne le document",
    "indicateurs.t0_nd": "Un indicateur chiffré a une valeur de départ (T0)",
}


def verifier(d) -> list[Constat]:
    constats = []
    for action in d.actions:
        if not d.indicateurs_de(action):
            constats.append(
                Constat(
                    "indicateurs.sans_indicateur", INFORMATION, f"Action {action.numero}",
                    "La fiche et le tableau des indicateurs ne nomment aucun indicateur pour cette action.",
                    (Preuve(d.document, f"Fiche action {action.numero}", action.indicateur_fiche or "(aucun)"),),
                    url=d.url_action(action),
                )
            )  # fmt: skip
    for indicateur in d.indicateurs:
        action = indicateur.action
        lieu = f"Action {action.numero}"
        tableau = Preuve(d.document, "Tableau des indicateurs", indicateur.libelle, d.url_action(action))
        cibles = {c.annee: c for c in indicateur.cibles.all()}
        manquantes = [str(a) for a in d.contrat.annees if a not in cibles]
        if manquantes and indicateur.cible_chiffree and not indicateur.est_qualitatif:
            constats.append(
                Constat(
                    "indicateurs.cible_manquante", A_VERIFIER, lieu,
                    f"« {indicateur.libelle} » : aucune cible pour {', '.join(manquantes)}.",
                    (tableau,), sujet=indicateur.libelle, url=d.url_action(action),
                )
            )  # fmt: skip
        echues = defaultdict(list)
        for cible in sorted(cibles.values(), key=lambda c: c.annee):
            if cible.nd and cible.nd_date_limite and cible.nd_date_limite < d.aujourd_hui:
                echues[(cible.nd_date_limite, cible.nd_motif)].append(str(cible.annee))
        for (date_limite, motif), annees in echues.items():
            pluriel = "s" if len(annees) > 1 else ""
            constats.append(
                Constat(
                    "indicateurs.nd_echu", A_VERIFIER, lieu,
                    f"« {indicateur.libelle} » : cible{pluriel} {', '.join(annees)} toujours « nd » alors que le "
                    f"document {'les' if pluriel else 'la'} fixait au plus tard le {date_limite:%d/%m/%Y}.",
                    (tableau, Preuve(d.document, "Tableau des indicateurs, motif du « nd »", motif)),
                    sujet=indicateur.libelle, url=d.url_action(action),
                )
            )  # fmt: skip
        if indicateur.t0_nd and not indicateur.est_qualitatif and indicateur.cible_chiffree:
            constats.append(
                Constat(
                    "indicateurs.t0_nd", INFORMATION, lieu,
                    f"« {indicateur.libelle} » : situation T0 « nd », pas de valeur de départ.",
                    (tableau,), sujet=indicateur.libelle, url=d.url_action(action),
                )
            )  # fmt: skip
    return constats
