"""L'historique lisible d'un contrat : qui a changé quoi, quand, avant → après, et pourquoi.

Une requête par modèle suivi, quelle que soit la longueur de l'historique ; les écarts sont calculés en Python
en comparant chaque version à la précédente du même objet."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from contrats.formats import nombre
from finances.enums import Financeur
from finances.models import LigneBudgetaire
from indicateurs.enums import StatutSuivi
from indicateurs.models import Cible, Indicateur, Realisation, RecitAction, SuiviAnnuel

TYPES = {"+": "création", "~": "modification", "-": "suppression"}


@dataclass
class Changement:
    date: datetime.datetime
    utilisateur: str
    objet: str
    champ: str
    avant: str
    apres: str
    motif: str
    type: str


def _texte(valeur) -> str:
    if valeur is None or valeur == "":
        return "—"
    if isinstance(valeur, bool):
        return "oui" if valeur else "non"
    if isinstance(valeur, Decimal | int):
        return nombre(valeur)
    return str(valeur)


def _changements(historiques, champs: dict, objet, formater=None) -> list[Changement]:
    formater = formater or {}
    precedents = {}
    resultat = []
    for version in sorted(historiques, key=lambda h: (h.id, h.history_date, h.history_id)):
        precedent = precedents.get(version.id)
        for champ, libelle in champs.items():
            avant = getattr(precedent, champ) if precedent else None
            apres = getattr(version, champ)
            if precedent is None and apres in (None, "", False):
                continue
            if avant == apres and precedent is not None:
                continue
            mise_en_forme = formater.get(champ, _texte)
            resultat.append(
                Changement(
                    date=version.history_date,
                    utilisateur=str(version.history_user) if version.history_user else "système",
                    objet=objet(version),
                    champ=libelle,
                    avant=mise_en_forme(avant) if precedent else "—",
                    apres=mise_en_forme(apres),
                    motif=version.history_change_reason or "",
                    type=TYPES.get(version.history_type, version.history_type),
                )
            )
        precedents[version.id] = version
    return resultat


def _statut(valeur):
    return StatutSuivi(valeur).label if valeur else "—"


def _financeur(valeur):
    return Financeur(valeur).label


def _historiques_realisations(filtre):
    return Realisation.history.filter(**filtre).select_related("history_user", "indicateur__action")


def _historiques_cibles(filtre):
    return Cible.history.filter(**filtre).select_related("history_user", "indicateur__action")


def _libelle_indicateur(h):
    return f"Action {h.indicateur.action.numero} – {h.indicateur.libelle}"


def historique_indicateur(indicateur) -> list[Changement]:
    changements = _changements(
        _historiques_realisations({"indicateur_id": indicateur.pk}),
        {"valeur": "valeur atteinte", "commentaire": "commentaire"},
        lambda h: f"Valeur {h.annee}",
    ) + _changements(
        _historiques_cibles({"indicateur_id": indicateur.pk}),
        {"valeur": "cible", "nd": "non définie (nd)"},
        lambda h: f"Cible {h.annee}",
    )
    return sorted(changements, key=lambda c: c.date, reverse=True)


def historique_contrat(contrat) -> list[Changement]:
    changements = []
    changements += _changements(
        SuiviAnnuel.history.filter(contrat_id=contrat.pk).select_related("history_user"),
        {"statut": "statut"},
        lambda h: f"Suivi {h.annee}",
        {"statut": _statut},
    )
    changements += _changements(
        _historiques_realisations({"indicateur__action__contrat_id": contrat.pk}),
        {"valeur": "valeur atteinte", "commentaire": "commentaire"},
        lambda h: f"{_libelle_indicateur(h)} – {h.annee}",
    )
    changements += _changements(
        _historiques_cibles({"indicateur__action__contrat_id": contrat.pk}),
        {"valeur": "cible", "nd": "non définie (nd)"},
        lambda h: f"{_libelle_indicateur(h)} – cible {h.annee}",
    )
    changements += _changements(
        Indicateur.history.filter(action__contrat_id=contrat.pk).select_related("history_user", "action"),
        {"libelle": "libellé", "t0": "situation T0"},
        lambda h: f"Action {h.action.numero} – indicateur",
    )
    changements += _changements(
        RecitAction.history.filter(action__contrat_id=contrat.pk).select_related("history_user", "action"),
        {"resultats": "résultats obtenus", "difficultes": "difficultés", "perspectives": "perspectives",
         "impact_social": "impact social"},
        lambda h: f"Action {h.action.numero} – récit {h.annee}",
    )  # fmt: skip
    changements += _changements(
        LigneBudgetaire.history.filter(action__contrat_id=contrat.pk).select_related(
            "history_user", "action", "avenant"
        ),
        {"montant": "montant"},
        lambda h: (
            f"Action {h.action.numero} – budget {h.annee} – {_financeur(h.financeur)}"
            + (f" (avenant n°{h.avenant.numero})" if h.avenant_id else "")
        ),
    )
    return sorted(changements, key=lambda c: c.date, reverse=True)
