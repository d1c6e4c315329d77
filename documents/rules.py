"""Documents d'un contrat : toute partie les lit et les télécharge ; les rôles qui écrivent sur le contrat
(agents de l'État et de la collectivité, financier et secrétariat de la collectivité, administrateur) en
déposent et en suppriment, tant que le contrat n'est pas clos. Lu par `rules.apps.AutodiscoverRulesConfig`."""

import rules

from comptes.enums import Role
from comptes.rules import (
    a_role,
    agent_collectivite,
    agent_etat,
    est_administrateur,
    est_de_la_collectivite,
    est_partie,
    modifiable,
)

deposants = (
    est_administrateur
    | agent_collectivite
    | agent_etat
    | (a_role(Role.FINANCIER, Role.SECRETARIAT) & est_de_la_collectivite)
)
rules.add_perm("documents.voir", est_partie)
rules.add_perm("documents.deposer", deposants & est_partie & modifiable)
