"""Fusion à trois voies d'une saisie concurrente, champ par champ : ce que l'utilisateur a lu (la page ouverte), ce
qu'il a saisi, et ce qui est enregistré maintenant.

- un champ que seul l'autre a changé prend la valeur enregistrée ;
- un champ que seul l'utilisateur a changé garde sa saisie ;
- un champ que les deux ont changé, différemment, est un conflit : l'utilisateur doit choisir, rien n'est écrit
  avant.

Une saisie ne peut donc jamais écraser un changement que l'utilisateur n'a pas vu. Les valeurs se comparent telles
quelles : les lire d'abord avec le même analyseur (un nombre « 1 250 » et « 1250 » sont le même Decimal)."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Conflit:
    champ: str
    lue: object
    saisie: object
    enregistree: object


@dataclass
class Fusion:
    valeurs: dict  # champ → la valeur à enregistrer
    conflits: list[Conflit] = field(default_factory=list)
    changes_par_autrui: list[str] = field(default_factory=list)  # champs que l'autre a changés, repris tels quels

    @property
    def sans_conflit(self) -> bool:
        return not self.conflits


def fusionner(lues: dict, saisies: dict, enregistrees: dict) -> Fusion:
    """Les trois dictionnaires ont les mêmes clés (un champ absent d'un côté vaut None)."""
    fusion = Fusion(valeurs={})
    for champ, saisie in saisies.items():
        lue, enregistree = lues.get(champ), enregistrees.get(champ)
        if saisie == lue:
            fusion.valeurs[champ] = enregistree
            if enregistree != lue:
                fusion.changes_par_autrui.append(champ)
        elif enregistree in (lue, saisie):
            fusion.valeurs[champ] = saisie
        else:
            fusion.valeurs[champ] = saisie
            fusion.conflits.append(Conflit(champ, lue, saisie, enregistree))
    return fusion
