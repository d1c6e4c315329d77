"""L'historique d'un contrat : celui de ses indicateurs et celui de son budget, les plus récents d'abord."""

from commun.historique import Changement, recents_d_abord
from finances.historique import historique_budget
from indicateurs.historique import historique_indicateurs_du_contrat


def historique_contrat(contrat) -> list[Changement]:
    return recents_d_abord(historique_indicateurs_du_contrat(contrat) + historique_budget(contrat))
