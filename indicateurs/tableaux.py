"""Le « Tableau des actions et suivi de leurs indicateurs » : T0 et cible par année, « nd » compris."""

from dataclasses import dataclass

from indicateurs.models import Indicateur


@dataclass
class LigneIndicateur:
    indicateur: Indicateur
    cibles: list  # une entrée par année du contrat : Cible ou None (aucune cible saisie)


def tableau_indicateurs(contrat, actions=None) -> list[LigneIndicateur]:
    indicateurs = Indicateur.objects.du_contrat(contrat)
    if actions is not None:
        indicateurs = indicateurs.filter(action__in=actions)
    lignes = []
    for indicateur in indicateurs:
        par_annee = {c.annee: c for c in indicateur.cibles.all()}
        lignes.append(LigneIndicateur(indicateur, [par_annee.get(a) for a in contrat.annees]))
    return lignes
