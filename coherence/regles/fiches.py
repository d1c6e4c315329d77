"""Fiches actions : la fiche et les tableaux du contrat nomment l'action et son indicateur de la même façon."""

from coherence.constats import A_VERIFIER, INFORMATION, Constat, Preuve
from coherence.textes import normaliser, tranches_d_age

REGLES = {
    "fiches.intitule": "La fiche et le tableau du contrat donnent le même intitulé à l'action",
    "fiches.indicateur": "L'indicateur du tableau est celui que nomme la fiche",
}


def verifier(d) -> list[Constat]:
    constats = []
    for action in d.actions:
        lieu = f"Fiche action {action.numero}"
        url = d.url_action(action)
        if action.intitule_fiche and normaliser(action.intitule_fiche) != normaliser(action.intitule):
            constats.append(
                Constat(
                    "fiches.intitule", A_VERIFIER, lieu,
                    f"La fiche est intitulée « {action.intitule_fiche} » et le tableau « {action.intitule} ».",
                    (Preuve(d.document, f"{lieu}, titre", action.intitule_fiche, url),
                     Preuve(d.document, "Tableau du contrat", action.intitule, url)),
                    url=url,
                )
            )  # fmt: skip
        texte_fiche = normaliser(action.indicateur_fiche)
        if not texte_fiche:
            continue
        for indicateur in d.indicateurs_de(action):
            if indicateur.est_qualitatif or normaliser(indicateur.libelle) in texte_fiche:
                continue
            if tranches_d_age(indicateur.libelle) and tranches_d_age(action.indicateur_fiche):
                continue  # deux publics nommés : la règle des tranches d'âge (publics.py) dit s'ils divergent
            constats.append(
                Constat(
                    "fiches.indicateur", INFORMATION, lieu,
                    f"L'indicateur « {indicateur.libelle} » du tableau ne figure pas tel quel sur la fiche.",
                    (Preuve(d.document, f"{lieu}, indicateur", action.indicateur_fiche, url),
                     Preuve(d.document, "Tableau des indicateurs", indicateur.libelle, url)),
                    sujet=indicateur.libelle, url=url,
                )
            )  # fmt: skip
    return constats
