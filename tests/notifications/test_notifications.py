"""Notifications : une année soumise prévient l'État, renvoyée ou validée la collectivité, un commentaire les autres
participants du fil ; chaque événement une fois par personne, dans la boîte de l'application et par courriel ; la
boîte ne montre que ses propres notifications ; purge après la durée de conservation."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from contrats.models import Contrat
from indicateurs.models import SuiviAnnuel
from indicateurs.services import commentaire_ajouter, suivi_changer_statut
from notifications.enums import StatutCourriel, TypeNotification
from notifications.models import Notification
from notifications.services import notifications_purger
from tests.conftest import CLS
from tests.outils import page, texte_page


def personne(identifiant):
    user = get_user_model().objects.get(username=identifiant)
    if not user.email:
        user.email = f"{identifiant}@exemple.fr"
        user.save(update_fields=["email"])
    return user


@pytest.fixture
def cls():
    for identifiant in ("admin", "ddets", "metropole", "finances", "secretariat", "lecteur", "autre-territoire"):
        personne(identifiant)
    return Contrat.objects.get(slug=CLS)


def soumise(contrat, annee=2025) -> SuiviAnnuel:
    suivi, _ = SuiviAnnuel.objects.update_or_create(contrat=contrat, annee=annee, defaults={"statut": "soumis"})
    return suivi


def test_soumission_previent_les_agents_de_l_etat(cls, django_capture_on_commit_callbacks):
    suivi, _ = SuiviAnnuel.objects.get_or_create(contrat=cls, annee=2025)
    with django_capture_on_commit_callbacks(execute=True):
        suivi_changer_statut(user=personne("metropole"), suivi=suivi, version=suivi.version, transition="soumettre")
    notifications = Notification.objects.filter(contrat=cls)
    assert {n.destinataire.username for n in notifications} == {"ddets"}
    assert notifications.get().type == TypeNotification.SOUMISSION
    assert [m.to for m in mail.outbox] == [["ddets@exemple.fr"]]
    assert "année 2025 soumise à votre validation" in mail.outbox[0].subject
    assert reverse("indicateurs:grille", args=[CLS, 2025]) in mail.outbox[0].body
    assert notifications.get().courriel == StatutCourriel.ENVOYE


@pytest.mark.parametrize("transition", ["valider", "renvoyer"])
def test_validation_et_renvoi_previennent_la_collectivite(cls, transition, django_capture_on_commit_callbacks):
    suivi = soumise(cls)
    with django_capture_on_commit_callbacks(execute=True):
        suivi_changer_statut(
            user=personne("ddets"), suivi=suivi, version=suivi.version, transition=transition, motif="À revoir"
        )
    assert {n.destinataire.username for n in Notification.objects.filter(contrat=cls)} == {"metropole"}
    assert [m.to for m in mail.outbox] == [["metropole@exemple.fr"]]


def test_commentaire_previent_les_autres_participants_du_fil(cls, django_capture_on_commit_callbacks):
    indicateur = cls.actions.exclude(indicateurs=None).first().indicateurs.first()
    with django_capture_on_commit_callbacks(execute=True):
        # Premier message du fil : l'autre partie est prévenue.
        commentaire_ajouter(user=personne("ddets"), contrat=cls, annee=2025, texte="Source ?", indicateur=indicateur)
    assert [m.to for m in mail.outbox] == [["metropole@exemple.fr"]]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        commentaire_ajouter(user=personne("metropole"), contrat=cls, annee=2025, texte="CAF.", indicateur=indicateur)
    assert [m.to for m in mail.outbox] == [["ddets@exemple.fr"]]
    assert "CAF." in mail.outbox[0].body


def test_une_seule_fois_par_evenement(cls, django_capture_on_commit_callbacks):
    from notifications.services import notifier_statut

    suivi = soumise(cls)
    with django_capture_on_commit_callbacks(execute=True):
        notifier_statut(suivi=suivi, transition="soumettre", user=personne("metropole"))
        notifier_statut(suivi=suivi, transition="soumettre", user=personne("metropole"))
    assert Notification.objects.filter(contrat=cls).count() == 1
    assert len(mail.outbox) == 1


def test_boite_de_reception(cls, connecte, django_capture_on_commit_callbacks):
    suivi = soumise(cls)
    with django_capture_on_commit_callbacks(execute=True):
        suivi_changer_statut(user=personne("ddets"), suivi=suivi, version=suivi.version, transition="valider")
    notification = Notification.objects.get(contrat=cls)
    client = connecte("metropole")
    assert "Notifications 1 non lue(s)" in re.sub(r"<[^>]+>", "", texte_page(client.get(reverse("accueil"))))
    boite = page(client.get(reverse("notifications:boite")))
    assert "année 2025 validée par l'État" in boite
    assert "Non lue" in boite
    reponse = client.post(reverse("notifications:ouvrir", args=[notification.pk]))
    assert reponse.status_code == 302
    assert reponse["Location"] == reverse("indicateurs:grille", args=[CLS, 2025])
    notification.refresh_from_db()
    assert notification.lue
    # Celle d'un autre : 404, rien de lu.
    autre = connecte("ddets")
    notification.lue_le = None
    notification.save()
    assert autre.post(reverse("notifications:ouvrir", args=[notification.pk])).status_code == 404
    assert "Aucune notification" in page(autre.get(reverse("notifications:boite")))
    notification.refresh_from_db()
    assert not notification.lue


def test_tout_lire(cls, connecte, django_capture_on_commit_callbacks):
    suivi = soumise(cls)
    with django_capture_on_commit_callbacks(execute=True):
        suivi_changer_statut(user=personne("ddets"), suivi=suivi, version=suivi.version, transition="valider")
    client = connecte("metropole")
    client.post(reverse("notifications:tout_lire"))
    assert not Notification.objects.filter(destinataire__username="metropole", lue_le__isnull=True).exists()


def test_purge_apres_la_duree_de_conservation(cls, settings):
    settings.NOTIFICATIONS_CONSERVATION_JOURS = 30
    ancienne = Notification.objects.create(
        destinataire=personne("metropole"), cle="a", type=TypeNotification.RAPPEL, titre="Ancienne",
        cree_le=timezone.now() - datetime.timedelta(days=31),
    )  # fmt: skip
    recente = Notification.objects.create(
        destinataire=personne("metropole"), cle="b", type=TypeNotification.RAPPEL, titre="Récente"
    )
    # La durée annoncée sur la page « Données personnelles » est celle que la purge applique.
    page = Client().get(reverse("donnees_personnelles")).content.decode()
    assert "30 jours après leur création, puis supprimées automatiquement" in page
    assert notifications_purger() == 1
    assert not Notification.objects.filter(pk=ancienne.pk).exists()
    assert Notification.objects.filter(pk=recente.pk).exists()
