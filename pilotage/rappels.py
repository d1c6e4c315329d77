"""Rappels d'échéances : 30 jours avant, 7 jours avant et une fois dépassée, à ceux qui doivent agir. Chaque rappel
part une seule fois (clé de notification : l'échéance, sa date et le palier), quel que soit le nombre d'exécutions
de `manage.py envoyer_rappels` : une exécution manquée est rattrapée par la suivante, au palier du jour.

Qui doit agir : les valeurs annuelles, les agents de la collectivité (sauf année déjà soumise ou validée) ; les
rapports, le secrétariat du conseil ; l'évaluation nationale, les agents de l'État ; toute autre échéance, les
agents de la collectivité. Une échéance réalisée n'est plus rappelée."""

import datetime

from django.urls import reverse
from django.utils import timezone

from contrats.enums import TypeEcheance
from contrats.models import Echeance
from indicateurs.enums import StatutSuivi
from indicateurs.models import SuiviAnnuel
from notifications import destinataires
from notifications.enums import TypeNotification
from notifications.services import notifier

PALIERS = (30, 7)  # jours avant l'échéance
# Une échéance dépassée depuis plus longtemps (contrat ancien, échéance jamais marquée réalisée) n'est plus rappelée :
# un premier lancement ne relance pas des années d'échéances passées.
RETARD_MAXIMAL = 30

_QUI = {
    TypeEcheance.VALEURS_ANNUELLES: destinataires.agents_collectivite,
    TypeEcheance.RAPPORT_ANNUEL: destinataires.secretariat,
    TypeEcheance.RAPPORT_MI_PARCOURS: destinataires.secretariat,
    TypeEcheance.EVALUATION_NATIONALE: destinataires.agents_etat,
}


def palier(echeance: Echeance, aujourd_hui: datetime.date) -> str | None:
    """« j30 », « j7 », « retard », ou None hors des fenêtres de rappel."""
    jours = (echeance.date - aujourd_hui).days
    if jours < -RETARD_MAXIMAL:
        return None
    if jours < 0:
        return "retard"
    for seuil in sorted(PALIERS):
        if jours <= seuil:
            return f"j{seuil}"
    return None


def _lien(echeance: Echeance) -> str:
    slug = echeance.contrat.slug
    if echeance.type == TypeEcheance.VALEURS_ANNUELLES and echeance.annee:
        return reverse("indicateurs:grille", args=[slug, echeance.annee])
    if echeance.type in (TypeEcheance.RAPPORT_ANNUEL, TypeEcheance.RAPPORT_MI_PARCOURS):
        return reverse("rapports:liste", args=[slug])
    return reverse("pilotage:contrat", args=[slug])


def _quand(echeance: Echeance, aujourd_hui: datetime.date) -> str:
    jours = (echeance.date - aujourd_hui).days
    if jours < 0:
        return f"dépassée depuis {-jours} jour{'s' if -jours > 1 else ''}"
    if jours == 0:
        return "aujourd'hui"
    return f"dans {jours} jour{'s' if jours > 1 else ''}"


def rappels_envoyer(*, aujourd_hui: datetime.date | None = None) -> list:
    """Crée les notifications de rappel du jour (courriels envoyés par une tâche) ; renvoie les nouvelles."""
    aujourd_hui = aujourd_hui or timezone.localdate()
    echeances = (
        Echeance.objects.filter(
            realisee_le__isnull=True,
            date__gte=aujourd_hui - datetime.timedelta(days=RETARD_MAXIMAL),
            date__lte=aujourd_hui + datetime.timedelta(days=max(PALIERS)),
        )
        .select_related("contrat")
        .order_by("date", "pk")
    )
    soumises = set(
        SuiviAnnuel.objects.filter(statut__in=[StatutSuivi.SOUMIS, StatutSuivi.VALIDE]).values_list("contrat", "annee")
    )
    nouvelles = []
    for echeance in echeances:
        niveau = palier(echeance, aujourd_hui)
        if niveau is None:
            continue
        if echeance.type == TypeEcheance.VALEURS_ANNUELLES and (echeance.contrat_id, echeance.annee) in soumises:
            continue  # l'année est déjà soumise : plus rien à faire pour la collectivité
        contrat = echeance.contrat
        qui = _QUI.get(echeance.type, destinataires.agents_collectivite)
        quand = _quand(echeance, aujourd_hui)
        nouvelles += notifier(
            destinataires=qui(contrat),
            cle=f"rappel:echeance:{echeance.pk}:{echeance.date.isoformat()}:{niveau}",
            type=TypeNotification.RAPPEL,
            titre=f"Échéance {quand} : {echeance.libelle}",
            texte=(
                f"{contrat.titre} : « {echeance.libelle} », à rendre au plus tard le {echeance.date:%d/%m/%Y} "
                f"({quand})."
            ),
            lien=_lien(echeance),
            contrat=contrat,
        )
    return nouvelles
