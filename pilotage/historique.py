"""L'historique d'un contrat : celui de ses indicateurs, de son budget, de ses documents et de l'évaluation à
mi-parcours de ses actions, les plus récents d'abord."""

from commun.historique import Changement, recents_d_abord
from documents.historique import historique_documents
from evaluation.historique import historique_evaluations
from finances.historique import historique_budget
from indicateurs.historique import historique_indicateurs_du_contrat


def historique_contrat(contrat) -> list[Changement]:
    return recents_d_abord(
        historique_indicateurs_du_contrat(contrat)
        + historique_budget(contrat)
        + historique_documents(contrat)
        + historique_evaluations(contrat)
    )
