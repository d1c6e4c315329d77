"""Fusion à trois voies d'une saisie concurrente, champ par champ : ce que l'utilisateur a lu (la page ouverte), ce
qu'il a saisi, et ce qui est enregistré maintenant.

- un champ que seul l'autre a changé prend la valeur enregistrée ;
- un champ que seul l'utilisateur a changé garde sa saisie ;
- un champ que les deux ont changé, différemment, est un conflit : l'utilisateur doit choisir, rien n'est écrit
  avant.

Une saisie ne peut donc jamais écraser un changement que l'utilisateur n'a pas vu. Les valeurs se comparent telles
quelles : les lire d'abord avec le même analyseur (un nombre « 1 250 » et « 1250 » sont le même Decimal)."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError


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


def message_de_conflit(modifie: str, conflits: int) -> str:
    """Le message d'un enregistrement refusé : `modifie` dit ce qui a changé, par qui et quand (« Cette année a été
    modifiée entre-temps par … le … ») ; `conflits` champs sont à trancher (0 : la page est à revoir)."""
    if conflits:
        pluriel = "s" if conflits > 1 else ""
        return (
            f"{modifie}, sur {conflits} champ{pluriel} que vous avez aussi changé{pluriel} : rien n'a été enregistré. "
            "Pour chacun, choisissez la valeur à garder, puis enregistrez de nouveau."
        )
    return (
        f"{modifie} : vos changements n'ont pas été enregistrés. Vérifiez les valeurs actuelles ci-dessous, puis "
        "enregistrez de nouveau."
    )


class ConflitFusion(ValidationError):
    """Un enregistrement refusé parce que les données ont changé entre-temps : rien n'a été écrit. `conflits` : les
    champs à trancher (Conflit) ; `auteurs` : champ → (nom, date) de la dernière écriture ; `repris` : les champs que
    seul l'autre a changés, que la page renvoyée reprend."""

    def __init__(self, texte: str, conflits=(), auteurs=None, repris=()):
        self.conflits = list(conflits)
        self.auteurs = auteurs or {}
        self.repris = list(repris)
        super().__init__(texte)
