"""Tâches de fond des notifications (django-tasks) : l'envoi des courriels, hors de la requête qui les crée."""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import timezone
from django_tasks import task

from notifications.enums import StatutCourriel
from notifications.models import Notification

journal = logging.getLogger("notifications")

SIGNATURE = (
    "\n\n—\nContrats des solidarités : message envoyé automatiquement, une seule fois pour cet événement. "
    "Vos notifications : {site}/notifications/"
)


@task()
def envoyer_courriels() -> int:
    """Envoie chaque notification pas encore envoyée, une seule fois : chacune est d'abord réservée (passage
    « à envoyer » → « en cours » par une mise à jour conditionnelle), si bien que deux workers ne l'envoient
    jamais tous deux. Renvoie le nombre de courriels partis."""
    envoyes = 0
    attente = Notification.objects.filter(courriel=StatutCourriel.A_ENVOYER).order_by("pk")
    for pk in list(attente.values_list("pk", flat=True)[:500]):
        reserve = Notification.objects.filter(pk=pk, courriel=StatutCourriel.A_ENVOYER).update(
            courriel=StatutCourriel.EN_COURS
        )
        if not reserve:
            continue
        notification = Notification.objects.select_related("destinataire").get(pk=pk)
        envoyes += _envoyer(notification)
    return envoyes


def _envoyer(notification: Notification) -> int:
    adresse = notification.destinataire.email
    if not adresse:
        statut, envoye = StatutCourriel.SANS_ADRESSE, 0
        journal.warning(
            "Notification %s : %s n'a pas d'adresse électronique", notification.pk, notification.destinataire_id
        )
    else:
        lien = f"\n\n{settings.SITE_URL}{notification.lien}" if notification.lien else ""
        message = EmailMessage(
            subject=f"[Contrats des solidarités] {notification.titre}",
            body=notification.texte + lien + SIGNATURE.format(site=settings.SITE_URL),
            to=[adresse],
        )
        try:
            message.send()
        except OSError:
            journal.exception("Notification %s : échec de l'envoi à l'utilisateur %s", notification.pk,
                              notification.destinataire_id)  # fmt: skip
            statut, envoye = StatutCourriel.ECHEC, 0
        else:
            journal.info("Courriel envoyé : notification %s (%s) à l'utilisateur %s",
                         notification.pk, notification.cle, notification.destinataire_id)  # fmt: skip
            statut, envoye = StatutCourriel.ENVOYE, 1
    Notification.objects.filter(pk=notification.pk).update(courriel=statut, courriel_le=timezone.now())
    return envoye
