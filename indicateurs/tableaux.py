"""Le « Tableau des actions et suivi de leurs indicateurs » : T0 et cible par année, « nd » compris ; les indicateurs
qualitatifs et ceux dont le document ne chiffre pas la cible y figurent aussi."""

from dataclasses import dataclass

from indicateurs.models import Indicateur


@dataclass
class LigneIndicateur:
    indicateur: Indicateur
    cibles: list  # une entrée par année du contrat : Cible ou None (aucune cible saisie)

    @property
    def sans_cible(self) -> bool:
        """Le document ne fixe aucune cible et aucune n'a été fixée depuis : une seule mention pour toutes les années
        (un indicateur qualitatif n'a jamais de cible)."""
        return not self.indicateur.cible_chiffree and all(c is None for c in self.cibles)


def tableau_indicateurs(contrat, actions=None) -> list[LigneIndicateur]:
    indicateurs = Indicateur.objects.du_contrat(contrat)
    if actions is not None:
        indicateurs = indicateurs.filter(action__in=actions)
    lignes = []
    for indicateur in indicateurs:
        par_annee = {c.annee: c for c in indicateur.cibles.all()}
        lignes.append(LigneIndicateur(indicateur, [par_annee.get(a) for a in contrat.annees]))
    return lignes
