"""Écritures des notifications : créer (une fois par événement et par personne), lire, purger ; les courriels
partent par une tâche de fond (notifications/taches.py), une fois la transaction validée.

Appelées par les services qui changent un état (indicateurs/services.py : statut d'une année, commentaire) et par
les rappels d'échéances (pilotage/rappels.py). Cette application est placée sous les domaines : elle ne connaît
leurs objets que par leurs attributs (contrat, annee…)."""

import datetime
import logging
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from commun.formats import nom_de, nom_et_organisation
from notifications import destinataires
from notifications.enums import TypeNotification
from notifications.models import Notification

journal = logging.getLogger("notifications")


def notifier(
    *,
    destinataires: Iterable,
    cle: str,
    type: str,
    titre: str,
    texte: str = "",
    lien: str = "",
    contrat=None,
    sauf=None,
) -> list[Notification]:
    """Une notification pour chaque destinataire (sauf `sauf`, l'auteur de l'événement) qui ne l'a pas encore
    reçue sous cette clé ; les courriels partent après la validation de la transaction. Renvoie les nouvelles."""
    personnes = {p.pk: p for p in destinataires if sauf is None or p.pk != sauf.pk}
    if not personnes:
        return []
    deja = set(Notification.objects.filter(cle=cle, destinataire__in=personnes).values_list("destinataire", flat=True))
    # Datée ici par timezone.now(), lu à l'appel, et non par le défaut du champ (la fonction retenue à la
    # déclaration) : une horloge fixée (la démonstration rejouée à ses dates) date aussi la notification.
    maintenant = timezone.now()
    nouvelles = [
        Notification(
            destinataire=p,
            cle=cle,
            type=type,
            titre=titre[:255],
            texte=texte,
            lien=lien,
            contrat=contrat,
            cree_le=maintenant,
        )
        for pk, p in personnes.items()
        if pk not in deja
    ]
    for notification in nouvelles:
        notification.full_clean(validate_unique=False, validate_constraints=False)
    # Deux exécutions simultanées : la contrainte d'unicité garde une seule notification par événement et personne.
    Notification.objects.bulk_create(nouvelles, ignore_conflicts=True)
    if nouvelles:
        journal.info("Notification « %s » (%s) pour %s personne(s)", titre, cle, len(nouvelles))
        transaction.on_commit(_envoyer_plus_tard)
    return nouvelles


def _envoyer_plus_tard():
    from notifications.taches import envoyer_courriels

    envoyer_courriels.enqueue()


def _grille(suivi) -> str:
    return reverse("indicateurs:grille", args=[suivi.contrat.slug, suivi.annee])


# Le statut qu'une transition donne à l'année, qui doit agir ensuite, et ce qu'on lui dit.
_STATUTS = {
    "soumettre": (TypeNotification.SOUMISSION, destinataires.agents_etat, "soumise à votre validation"),
    "valider": (TypeNotification.VALIDATION, destinataires.agents_collectivite, "validée par l'État"),
    "renvoyer": (TypeNotification.RENVOI, destinataires.agents_collectivite, "renvoyée pour correction"),
    "rouvrir": (TypeNotification.REOUVERTURE, destinataires.agents_collectivite, "rouverte pour correction"),
}


def notifier_statut(*, suivi, transition: str, user) -> list[Notification]:
    """Une année vient de changer de statut : soumise → les agents de l'État ; validée, renvoyée, rouverte → les
    agents de la collectivité."""
    if transition not in _STATUTS:
        return []
    type_, qui, participe = _STATUTS[transition]
    contrat = suivi.contrat
    texte = f"{nom_et_organisation(user)} a changé le statut de l'année {suivi.annee} : {participe}."
    if suivi.motif:
        texte += f"\nMotif : {suivi.motif}"
    return notifier(
        destinataires=qui(contrat),
        cle=f"suivi:{suivi.pk}:{transition}:{suivi.version}",
        type=type_,
        titre=f"{contrat.titre} – année {suivi.annee} {participe}",
        texte=texte,
        lien=_grille(suivi),
        contrat=contrat,
        sauf=user,
    )


def notifier_commentaire(*, commentaire, user) -> list[Notification]:
    """Un commentaire dans le fil d'une valeur ou d'un récit : les autres participants du fil ; s'il est le
    premier, les agents de l'autre partie (État ou collectivité)."""
    contrat = commentaire.contrat
    fil = (
        type(commentaire)
        .objects.filter(
            contrat=contrat,
            annee=commentaire.annee,
            indicateur=commentaire.indicateur_id,
            action=commentaire.action_id,
        )
        .exclude(auteur=user)
    )
    participants = list(get_user_model().objects.filter(is_active=True, pk__in=fil.values("auteur")))
    if not participants:
        profil = getattr(user, "profil", None)
        etat = profil is not None and profil.organisation.est_etat
        participants = (destinataires.agents_collectivite if etat else destinataires.agents_etat)(contrat)
    sujet = commentaire.indicateur or commentaire.action
    return notifier(
        destinataires=participants,
        cle=f"commentaire:{commentaire.pk}",
        type=TypeNotification.COMMENTAIRE,
        titre=f"{contrat.titre} – commentaire de {nom_de(user)} ({commentaire.annee})",
        texte=f"{nom_et_organisation(user)} sur « {sujet} » :\n{commentaire.texte}",
        lien=_grille(commentaire),
        contrat=contrat,
        sauf=user,
    )


def notification_lire(*, user, notification: Notification) -> Notification:
    if notification.destinataire_id != user.pk:
        raise PermissionError("Cette notification ne vous est pas adressée.")
    if notification.lue_le is None:
        notification.lue_le = timezone.now()
        notification.save(update_fields=["lue_le"])
    return notification


def notifications_tout_lire(*, user) -> int:
    return Notification.objects.filter(destinataire=user, lue_le__isnull=True).update(lue_le=timezone.now())


def notifications_purger(*, maintenant: datetime.datetime | None = None) -> int:
    """Efface les notifications plus anciennes que NOTIFICATIONS_CONSERVATION_JOURS ; renvoie leur nombre."""
    limite = (maintenant or timezone.now()) - datetime.timedelta(days=settings.NOTIFICATIONS_CONSERVATION_JOURS)
    nombre, _ = Notification.objects.filter(cree_le__lt=limite).delete()
    journal.info("Notifications purgées : %s (créées avant le %s)", nombre, f"{limite:%d/%m/%Y}")
    return nombre
