"""Ce que la grille d'une année vérifie avant une soumission : complétude (chaque valeur renseignée ou déclarée
« non disponible » avec son motif, le récit de chaque action) et plausibilité (une valeur très loin de sa cible ou de
celle de l'an passé demande un commentaire). Les mêmes règles sont montrées en direct sur la page (static/js/saisie.js
lit les seuils dans les attributs de la grille) et appliquées de nouveau ici, par le serveur.

Les saisies sont des dictionnaires plats, ceux du formulaire : `v<pk>` valeur, `a<pk>` appréciation, `n<pk>` non
disponible, `c<pk>` commentaire, `r<pk action>_<champ>` récit."""

from dataclasses import dataclass
from decimal import Decimal

from commun.formats import nombre

RECIT_OBLIGATOIRE = "resultats"


@dataclass
class Completude:
    """Ce qui est renseigné sur ce qui est attendu : valeurs (ou « non disponible »), commentaires, récits."""

    valeurs: int = 0
    valeurs_attendues: int = 0
    commentaires: int = 0
    recits: int = 0
    recits_attendus: int = 0

    @property
    def complet(self) -> bool:
        return self.valeurs == self.valeurs_attendues and self.recits == self.recits_attendus

    def ajouter(self, autre: "Completude") -> None:
        for champ in ("valeurs", "valeurs_attendues", "commentaires", "recits", "recits_attendus"):
            setattr(self, champ, getattr(self, champ) + getattr(autre, champ))


def renseignee(indicateur, saisies: dict) -> bool:
    pk = indicateur.pk
    if saisies.get(f"n{pk}"):
        return True
    return bool(saisies.get(f"a{pk}")) if indicateur.est_qualitatif else saisies.get(f"v{pk}") is not None


def completude(actions, indicateurs, saisies: dict) -> tuple[Completude, dict]:
    """(complétude de l'année, action → complétude de l'action)."""
    par_action = {action.pk: Completude(recits_attendus=1) for action in actions}
    for action in actions:
        if (saisies.get(f"r{action.pk}_{RECIT_OBLIGATOIRE}") or "").strip():
            par_action[action.pk].recits = 1
    for indicateur in indicateurs:
        c = par_action[indicateur.action_id]
        c.valeurs_attendues += 1
        c.valeurs += renseignee(indicateur, saisies)
        c.commentaires += bool((saisies.get(f"c{indicateur.pk}") or "").strip())
    annee = Completude()
    for c in par_action.values():
        annee.ajouter(c)
    return annee, par_action


def ecart(indicateur, valeur: Decimal | None, references: list[tuple[str, Decimal | None]]) -> str:
    """Le message d'écart si la valeur est plus de `ecart_max` fois au-dessus ou au-dessous d'une référence (cible,
    valeur de l'an passé) ; vide sinon."""
    if valeur is None or indicateur.est_qualitatif:
        return ""
    facteur = indicateur.ecart_max
    for nom, reference in references:
        if reference is None or reference <= 0:
            continue
        if valeur > reference * facteur or valeur * facteur < reference:
            return (
                f"{nombre(valeur)} est très loin de {nom} ({nombre(reference)}, plus de {nombre(facteur)} fois "
                "d'écart) : un commentaire est nécessaire."
            )
    return ""


def references(indicateur, cibles: dict, precedentes: dict) -> list[tuple[str, Decimal | None]]:
    cible = cibles.get(indicateur.pk)
    valeur_cible = cible.valeur if cible is not None and not cible.nd else None
    precedente = precedentes.get(indicateur.pk)
    return [("la cible", valeur_cible), ("la valeur de l'an passé", precedente)]


def manques_avant_soumission(actions, indicateurs, saisies: dict, cibles: dict, precedentes: dict) -> list[str]:
    """Ce qui empêche de soumettre l'année, en français, ligne par ligne ; vide si rien."""
    manques = []
    numero = {a.pk: a.numero for a in actions}
    for indicateur in indicateurs:
        pk = indicateur.pk
        ligne = f"Action {numero.get(indicateur.action_id, '?')} – « {indicateur.libelle} »"
        commentaire = (saisies.get(f"c{pk}") or "").strip()
        if saisies.get(f"n{pk}"):
            if not commentaire:
                manques.append(f"{ligne} : « non disponible » demande un motif en commentaire.")
            continue
        if not renseignee(indicateur, saisies):
            quoi = "appréciation" if indicateur.est_qualitatif else "valeur"
            manques.append(f"{ligne} : {quoi} manquante (ou cochez « non disponible » et dites pourquoi).")
            continue
        message = ecart(indicateur, saisies.get(f"v{pk}"), references(indicateur, cibles, precedentes))
        if message and not commentaire:
            manques.append(f"{ligne} : {message}")
    for action in actions:
        if not (saisies.get(f"r{action.pk}_{RECIT_OBLIGATOIRE}") or "").strip():
            manques.append(f"Action {action.numero} : les résultats obtenus ne sont pas décrits.")
    return manques


def ecarts_sans_commentaire(indicateurs, saisies: dict, cibles: dict, precedentes: dict) -> dict:
    """indicateur pk → message, pour les valeurs très éloignées sans commentaire (avertissement à l'enregistrement)."""
    resultat = {}
    for indicateur in indicateurs:
        pk = indicateur.pk
        if saisies.get(f"n{pk}") or (saisies.get(f"c{pk}") or "").strip():
            continue
        message = ecart(indicateur, saisies.get(f"v{pk}"), references(indicateur, cibles, precedentes))
        if message:
            resultat[pk] = message
    return resultat
