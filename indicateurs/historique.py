"""Historique des indicateurs : valeurs, commentaires, cibles, libellés, récits et statut de chaque année."""

from commun.historique import Changement, changements, recents_d_abord
from indicateurs.enums import Appreciation, StatutSuivi
from indicateurs.models import Cible, Indicateur, Realisation, RecitAction, SuiviAnnuel

CHAMPS_REALISATION = {"valeur": "valeur atteinte", "appreciation": "appréciation", "commentaire": "commentaire"}
CHAMPS_CIBLE = {"valeur": "cible", "nd": "non définie (nd)"}
CHAMPS_INDICATEUR = {
    "libelle": "libellé",
    "nature": "nature",
    "cible_chiffree": "cible chiffrée",
    "t0": "situation T0",
    "indicateur_national": "indicateur national",
}


def _statut(valeur):
    return StatutSuivi(valeur).label if valeur else "—"


def _appreciation(valeur):
    return Appreciation(valeur).label if valeur else "—"


def _historiques_realisations(**filtre):
    return Realisation.history.filter(**filtre).select_related("history_user", "indicateur__action")


def _historiques_cibles(**filtre):
    return Cible.history.filter(**filtre).select_related("history_user", "indicateur__action")


def _libelle_indicateur(h):
    return f"Action {h.indicateur.action.numero} – {h.indicateur.libelle}"


def historique_indicateur(indicateur) -> list[Changement]:
    return recents_d_abord(
        changements(
            _historiques_realisations(indicateur_id=indicateur.pk),
            CHAMPS_REALISATION,
            lambda h: f"Valeur {h.annee}",
            {"appreciation": _appreciation},
        )
        + changements(_historiques_cibles(indicateur_id=indicateur.pk), CHAMPS_CIBLE, lambda h: f"Cible {h.annee}")
        + changements(
            Indicateur.history.filter(id=indicateur.pk).select_related("indicateur_national"),
            {"indicateur_national": CHAMPS_INDICATEUR["indicateur_national"]},
            lambda h: "Rattachement national",
        )
    )


def historique_indicateurs_du_contrat(contrat) -> list[Changement]:
    """Statut des années, valeurs, cibles, indicateurs et récits d'un contrat : cinq requêtes."""
    return recents_d_abord(
        changements(
            SuiviAnnuel.history.filter(contrat_id=contrat.pk).select_related("history_user"),
            {"statut": "statut"},
            lambda h: f"Suivi {h.annee}",
            {"statut": _statut},
        )
        + changements(
            _historiques_realisations(indicateur__action__contrat_id=contrat.pk),
            CHAMPS_REALISATION,
            lambda h: f"{_libelle_indicateur(h)} – {h.annee}",
            {"appreciation": _appreciation},
        )
        + changements(
            _historiques_cibles(indicateur__action__contrat_id=contrat.pk),
            CHAMPS_CIBLE,
            lambda h: f"{_libelle_indicateur(h)} – cible {h.annee}",
        )
        + changements(
            Indicateur.history.filter(action__contrat_id=contrat.pk).select_related(
                "history_user", "action", "indicateur_national"
            ),
            CHAMPS_INDICATEUR,
            lambda h: f"Action {h.action.numero} – indicateur",
        )
        + changements(
            RecitAction.history.filter(action__contrat_id=contrat.pk).select_related("history_user", "action"),
            {
                "resultats": "résultats obtenus",
                "difficultes": "difficultés",
                "perspectives": "perspectives",
                "impact_social": "impact social",
            },
            lambda h: f"Action {h.action.numero} – récit {h.annee}",
        )  # fmt: skip
    )
