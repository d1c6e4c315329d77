"""Des contrats fictifs pour les tests de cohérence : chacun sous sa propre collectivité, pour que les règles qui
comparent les contrats d'un même territoire (quartiers, personnes) ne lisent que les données du test, jamais celles
des contrats réels chargés pour la session."""

import datetime
import itertools

from coherence.selectors import calculer_constats
from contrats.enums import TypeOrganisation
from tests.contrats.factories import ContratFactory, OrganisationFactory

# Une date fixe : les constats ne dépendent pas du jour où les tests tournent.
AUJOURD_HUI = datetime.date(2025, 6, 1)
_numeros = itertools.count(1)


def territoire(nom: str = "") -> object:
    """Une collectivité fictive, nouvelle à chaque appel."""
    numero = next(_numeros)
    return OrganisationFactory(
        slug=f"communaute-fictive-{numero}",
        nom=nom or f"Communauté fictive de Valbrune {numero}",
        type=TypeOrganisation.METROPOLE,
    )


def contrat_fictif(collectivite=None, **champs):
    """Un contrat 2024-2027 signé par sa collectivité (fictive) et la préfecture."""
    return ContratFactory(collectivite=collectivite or territoire(), **champs)


def constats(contrat, *regles: str, aujourd_hui: datetime.date = AUJOURD_HUI) -> list:
    """Les constats du contrat dont la règle est l'une de `regles` (un code, ou le nom d'un module suivi d'un
    point : « bilans. »)."""
    return [
        c
        for c in calculer_constats(contrat, aujourd_hui=aujourd_hui)
        if any(c.regle == r or (r.endswith(".") and c.regle.startswith(r)) for r in regles)
    ]


def citations(constat) -> list[str]:
    return [preuve.citation for preuve in constat.preuves]
