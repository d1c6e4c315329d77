"""Évaluation à mi-parcours : toute partie la lit ; la collectivité la saisit (avec ses pièces justificatives) et
la soumet ; l'État la valide, la renvoie ou la rouvre. Mêmes rôles que les valeurs annuelles (comptes/rules.py)."""

import rules

from comptes.rules import agent_collectivite, agent_etat, est_administrateur, est_partie, modifiable

rules.add_perm("evaluation.voir", est_partie)
rules.add_perm("evaluation.saisir", (est_administrateur | agent_collectivite) & est_partie & modifiable)
rules.add_perm("evaluation.soumettre", (est_administrateur | agent_collectivite) & est_partie & modifiable)
rules.add_perm("evaluation.valider", (est_administrateur | agent_etat) & est_partie & modifiable)
