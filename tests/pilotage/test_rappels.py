"""Rappels d'échéances à horloge fixe (time-machine) : les bons courriels aux bonnes personnes, 30 jours avant, 7
jours avant et une fois dépassée, chacun une seule fois (deux exécutions le même jour : aucun doublon)."""

import datetime
import io

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command

from contrats.enums import TypeEcheance
from contrats.models import Contrat, Echeance
from indicateurs.models import SuiviAnnuel
from notifications.models import Notification
from tests.conftest import CLS

PARIS = datetime.timezone(datetime.timedelta(hours=1))


@pytest.fixture(autouse=True)
def adresses():
    for user in get_user_model().objects.all():
        user.email = f"{user.username}@exemple.fr"
        user.save(update_fields=["email"])


def envoyer(jour: datetime.date, django_capture_on_commit_callbacks):
    with time_machine.travel(datetime.datetime(jour.year, jour.month, jour.day, 7, tzinfo=PARIS), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            call_command("envoyer_rappels", stdout=io.StringIO())
    envoyes = sorted((m.to[0], m.subject) for m in mail.outbox)
    mail.outbox.clear()
    return envoyes


def test_rappels_trente_jours_sept_jours_et_retard_une_seule_fois(django_capture_on_commit_callbacks):
    cls = Contrat.objects.get(slug=CLS)
    valeurs = Echeance.objects.get(contrat=cls, type=TypeEcheance.VALEURS_ANNUELLES, annee=2025)
    mi_parcours = Echeance.objects.get(contrat=cls, type=TypeEcheance.RAPPORT_MI_PARCOURS)
    assert valeurs.date == mi_parcours.date == datetime.date(2026, 3, 31)

    # 30 jours avant : la collectivité (valeurs 2025), le secrétariat (rapport à mi-parcours).
    premiers = envoyer(datetime.date(2026, 3, 1), django_capture_on_commit_callbacks)
    assert premiers == [
        ("metropole@exemple.fr", f"[Contrats des solidarités] Échéance dans 30 jours : {valeurs.libelle}"),
        ("secretariat@exemple.fr", f"[Contrats des solidarités] Échéance dans 30 jours : {mi_parcours.libelle}"),
    ]
    # Le même jour, puis le lendemain : rien de nouveau.
    assert envoyer(datetime.date(2026, 3, 1), django_capture_on_commit_callbacks) == []
    assert envoyer(datetime.date(2026, 3, 2), django_capture_on_commit_callbacks) == []

    # 7 jours avant : les mêmes personnes, une fois. L'année 2025 soumise entre-temps : plus de rappel des valeurs.
    SuiviAnnuel.objects.update_or_create(contrat=cls, annee=2025, defaults={"statut": "soumis"})
    septieme = envoyer(datetime.date(2026, 3, 24), django_capture_on_commit_callbacks)
    assert septieme == [
        ("secretariat@exemple.fr", f"[Contrats des solidarités] Échéance dans 7 jours : {mi_parcours.libelle}")
    ]
    assert envoyer(datetime.date(2026, 3, 25), django_capture_on_commit_callbacks) == []

    # Dépassée : une fois, le premier jour de retard ; une échéance réalisée n'est plus rappelée.
    retard = envoyer(datetime.date(2026, 4, 1), django_capture_on_commit_callbacks)
    assert retard == [
        (
            "secretariat@exemple.fr",
            f"[Contrats des solidarités] Échéance dépassée depuis 1 jour : {mi_parcours.libelle}",
        )
    ]
    assert envoyer(datetime.date(2026, 4, 2), django_capture_on_commit_callbacks) == []
    # Chaque rappel est aussi dans la boîte de réception de son destinataire.
    assert Notification.objects.filter(destinataire__username="secretariat", type="rappel").count() == 3
    assert Notification.objects.filter(destinataire__username="metropole", type="rappel").count() == 1


def test_echeances_anciennes_non_relancees(django_capture_on_commit_callbacks):
    """Au premier lancement, des échéances dépassées depuis des années (contrats anciens) ne sont pas relancées."""
    assert envoyer(datetime.date(2026, 12, 4), django_capture_on_commit_callbacks) == []


def test_evaluation_nationale_aux_agents_de_l_etat(django_capture_on_commit_callbacks):
    cls = Contrat.objects.get(slug=CLS)
    evaluation = Echeance.objects.get(contrat=cls, type=TypeEcheance.EVALUATION_NATIONALE)
    jour = evaluation.date - datetime.timedelta(days=7)
    envoyes = envoyer(jour, django_capture_on_commit_callbacks)
    assert [a for a, _ in envoyes] == ["ddets@exemple.fr"]
