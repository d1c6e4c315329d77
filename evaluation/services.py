"""Saisie, circuit d'examen et pièces justificatives de l'évaluation à mi-parcours d'une action. Chaque écriture
passe par `commun.historique.enregistrer` (qui, quand, avant → après, motif) ; la version lue protège d'un
écrasement silencieux (deux onglets, deux personnes)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from commun.formats import nom_et_organisation
from commun.historique import auteur_de_la_modification, enregistrer
from documents.enums import NatureDocument
from documents.services import document_deposer, document_supprimer
from evaluation.models import CHAMPS_EVALUATION, EvaluationAction
from notifications import destinataires
from notifications.enums import TypeNotification
from notifications.services import notifier

# Qui doit agir après chaque transition : l'État examine ce qui est soumis, la collectivité reprend le reste.
_A_PREVENIR = {
    "soumettre": destinataires.agents_etat,
    "valider": destinataires.agents_collectivite,
    "renvoyer": destinataires.agents_collectivite,
    "rouvrir": destinataires.agents_collectivite,
}


def _verrouillee(evaluation: EvaluationAction) -> str:
    if evaluation.est_valide:
        qui = f" par {nom_et_organisation(evaluation.statut_par)}" if evaluation.statut_par else ""
        quand = f" le {timezone.localtime(evaluation.statut_le):%d/%m/%Y}" if evaluation.statut_le else ""
        return f"L'évaluation de l'action {evaluation.action.numero} a été validée{qui}{quand} : elle est verrouillée."
    return (
        f"L'évaluation de l'action {evaluation.action.numero} est soumise à l'examen de l'État : "
        "elle n'est plus modifiable."
    )


def _prendre(*, action, version: int, user) -> EvaluationAction:
    """L'évaluation de l'action, verrouillée pour la transaction (créée au premier enregistrement) ; refusée si
    elle n'est plus modifiable ou si elle a changé depuis que l'utilisateur l'a lue."""
    evaluation, _ = EvaluationAction.objects.select_for_update().get_or_create(action=action)
    if evaluation.version != version:
        e = EvaluationAction.objects.avec_auteurs().get(pk=evaluation.pk)
        par = auteur_de_la_modification(e.modifie_par or e.statut_par, e.modifie_le or e.statut_le, user)
        raise ValidationError(
            f"Cette évaluation a été modifiée entre-temps{par} : rien n'a été enregistré. "
            "Rechargez la page pour voir sa version actuelle."
        )
    return evaluation


@transaction.atomic
def evaluation_enregistrer(*, user, action, version: int, champs: dict) -> EvaluationAction:
    evaluation = _prendre(action=action, version=version, user=user)
    if not evaluation.modifiable:
        raise ValidationError(_verrouillee(evaluation))
    nouveaux = {champ: (champs.get(champ) or "").strip() for champ in CHAMPS_EVALUATION}
    if all(getattr(evaluation, champ) == valeur for champ, valeur in nouveaux.items()):
        return evaluation
    for champ, valeur in nouveaux.items():
        setattr(evaluation, champ, valeur)
    evaluation.version += 1
    evaluation.modifie_par, evaluation.modifie_le = user, timezone.now()
    return enregistrer(evaluation, user=user, motif="Évaluation à mi-parcours")


@transaction.atomic
def evaluation_changer_statut(*, user, action, contrat, version: int, transition: str, motif: str = ""):
    """Une transition du circuit (`EvaluationAction.TRANSITIONS`), tout ou rien : une transition refusée n'écrit
    rien, pas même la ligne de l'évaluation (créée dans la transaction, annulée avec elle)."""
    transition = EvaluationAction.transition(transition)
    evaluation = _prendre(action=action, version=version, user=user)  # créée ici : annulée avec un refus
    changements = evaluation.appliquer(transition, user=user, contrat=contrat, motif=motif)
    for champ, valeur in changements.items():
        setattr(evaluation, champ, valeur)
    evaluation.version += 1
    evaluation.statut_par, evaluation.statut_le = user, timezone.now()
    evaluation = enregistrer(evaluation, user=user, motif=changements["motif"] or f"Évaluation {transition.participe}")
    _notifier(evaluation=evaluation, contrat=contrat, transition=transition, user=user)
    return evaluation


def _notifier(*, evaluation, contrat, transition, user) -> None:
    """Comme pour les valeurs annuelles : une notification (et un courriel, après validation) à qui doit agir."""
    numero = evaluation.action.numero
    texte = f"{nom_et_organisation(user)} : évaluation à mi-parcours de l'action {numero} {transition.participe}."
    if evaluation.motif:
        texte += f"\nMotif : {evaluation.motif}"
    notifier(
        destinataires=_A_PREVENIR[transition.nom](contrat),
        cle=f"evaluation:{evaluation.pk}:{transition.nom}:{evaluation.version}",
        type=TypeNotification.EVALUATION,
        titre=f"{contrat.titre} – évaluation de l'action {numero} {transition.participe}",
        texte=texte,
        lien=reverse("evaluation:action", args=[contrat.slug, numero]),
        contrat=contrat,
        sauf=user,
    )


def _modifiable(action) -> EvaluationAction:
    evaluation = EvaluationAction.objects.filter(action=action).first() or EvaluationAction(action=action)
    if not evaluation.modifiable:
        raise ValidationError(_verrouillee(evaluation))
    return evaluation


@transaction.atomic
def piece_deposer(*, user, contrat, action, fichier, titre: str = ""):
    """Une pièce justificative de l'évaluation de l'action, rangée avec les documents du contrat."""
    _modifiable(action)
    return document_deposer(
        user=user, contrat=contrat, fichier=fichier, titre=titre, action=action,
        nature=NatureDocument.PIECE_JUSTIFICATIVE,
    )  # fmt: skip


@transaction.atomic
def piece_retirer(*, user, action, document) -> None:
    _modifiable(action)
    if document.action_id != action.pk:
        raise ValidationError("Cette pièce n'appartient pas à l'évaluation de cette action.")
    document_supprimer(user=user, document=document, depuis_evaluation=True)
