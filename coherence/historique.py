"""Historique des examens de constats : qui a examiné (ou rouvert) quel constat, quand, avec quel commentaire."""

from coherence.models import ExamenConstat
from coherence.regles import REGLES
from commun.formats import nom_et_organisation
from commun.historique import AUTEUR, Changement, recents_d_abord

EVENEMENTS = {"+": "examiné", "~": "examiné de nouveau", "-": "rouvert"}


def libelle_constat(cle: str) -> str:
    regle, _, reste = cle.partition("|")
    lieu = reste.split("|")[0]
    return f"{REGLES.get(regle, regle)} – {lieu}" if lieu else REGLES.get(regle, regle)


def historique_des_examens(contrat) -> list[Changement]:
    """Une requête, quelle que soit la longueur de l'historique."""
    versions = ExamenConstat.history.filter(contrat_id=contrat.pk).select_related(AUTEUR)
    return recents_d_abord(
        [
            Changement(
                date=v.history_date,
                utilisateur=nom_et_organisation(v.history_user),
                objet=libelle_constat(v.cle),
                champ="examen",
                avant="—",
                apres=EVENEMENTS.get(v.history_type, v.history_type),
                motif=v.history_change_reason or v.commentaire,
                type=EVENEMENTS.get(v.history_type, v.history_type),
            )
            for v in versions
        ]
    )
