"""Connexions : blocage après échecs répétés (par compte et par adresse), journal des accès et sa purge, longueur des
mots de passe, changement et réinitialisation du mot de passe, administration réservée, pages légales."""

import datetime
import io
import re

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from comptes.enums import EvenementAcces, Role
from comptes.models import JournalAcces
from comptes.services import MOT_DE_PASSE_DEMO, mois_avant
from tests.conftest import CLS
from tests.outils import texte_page

axes_actif = override_settings(AXES_ENABLED=True)


def se_connecter(client, identifiant, mot_de_passe, **entetes):
    return client.post(reverse("login"), {"username": identifiant, "password": mot_de_passe}, **entetes)


def est_connecte(client) -> bool:
    return "_auth_user_id" in client.session


# --- Blocage ---------------------------------------------------------------------------------------------------------


@axes_actif
def test_vingt_mauvais_mots_de_passe_puis_le_bon_ne_connectent_pas_et_le_disent_en_francais():
    client = Client()
    for _ in range(20):
        reponse = se_connecter(client, "metropole", "mauvais-mot-de-passe")
        assert not est_connecte(client)
    reponse = se_connecter(client, "metropole", MOT_DE_PASSE_DEMO)
    assert not est_connecte(client)
    assert reponse.status_code == 429
    texte = texte_page(reponse)
    assert "Connexion bloquée" in texte and "Trop de tentatives de connexion ont échoué" in texte
    assert f"pendant {settings.AXES_COOLOFF_TIME.seconds // 60} minutes" in texte
    assert reverse("password_reset") in reponse.content.decode()  # le chemin de retour
    assert client.get(reverse("accueil")).status_code == 302  # toujours pas connecté
    assert JournalAcces.objects.filter(identifiant="metropole", evenement=EvenementAcces.ECHEC).count() == 21
    assert JournalAcces.objects.filter(identifiant="metropole", evenement=EvenementAcces.BLOCAGE).exists()


@axes_actif
def test_le_blocage_vaut_pour_le_compte_depuis_une_autre_adresse_et_pour_l_adresse_sur_un_autre_compte():
    for _ in range(settings.AXES_FAILURE_LIMIT):
        se_connecter(Client(), "metropole", "mauvais", HTTP_X_FORWARDED_FOR="203.0.113.7")
    # Le compte, depuis une autre adresse.
    autre_adresse = Client()
    assert (
        se_connecter(autre_adresse, "metropole", MOT_DE_PASSE_DEMO, HTTP_X_FORWARDED_FOR="198.51.100.2").status_code
        == 429
    )
    assert not est_connecte(autre_adresse)
    # L'adresse, sur un autre compte.
    meme_adresse = Client()
    assert (
        se_connecter(meme_adresse, "ddets", MOT_DE_PASSE_DEMO, HTTP_X_FORWARDED_FOR="203.0.113.7").status_code == 429
    )
    assert not est_connecte(meme_adresse)
    # Un autre compte depuis une autre adresse : rien de bloqué.
    libre = Client()
    se_connecter(libre, "ddets", MOT_DE_PASSE_DEMO, HTTP_X_FORWARDED_FOR="198.51.100.9")
    assert est_connecte(libre)


@axes_actif
def test_quelques_echecs_puis_le_bon_mot_de_passe_connectent_et_remettent_le_compteur_a_zero():
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert "Saisissez un nom d" in texte_page(se_connecter(client, "finances", "mauvais"))
    se_connecter(client, "finances", MOT_DE_PASSE_DEMO)
    assert est_connecte(client)
    assert not AccessAttempt.objects.filter(username="finances").exists()


@axes_actif
def test_reinitialiser_son_mot_de_passe_debloque_le_compte():
    user = get_user_model().objects.get(username="secretariat")
    user.email = "sacha.essai@example.org"
    user.save()
    for _ in range(settings.AXES_FAILURE_LIMIT + 2):
        se_connecter(Client(), "secretariat", "mauvais")
    client = Client()
    reponse = client.post(reverse("password_reset"), {"email": "sacha.essai@example.org"}, follow=True)
    assert "Vérifiez votre messagerie" in texte_page(reponse)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["sacha.essai@example.org"]
    lien = re.search(r"https?://[^/\s]+(/comptes/mot-de-passe/nouveau/\S+/)", mail.outbox[0].body).group(1)
    formulaire = client.get(lien, follow=True)
    assert "Choisir un mot de passe" in texte_page(formulaire)
    nouveau = "un-mot-de-passe-tout-neuf"
    reponse = client.post(formulaire.redirect_chain[-1][0], {"new_password1": nouveau, "new_password2": nouveau},
                          follow=True)  # fmt: skip
    assert "votre compte débloqué" in texte_page(reponse)
    connexion = Client()
    se_connecter(connexion, "secretariat", nouveau)
    assert est_connecte(connexion)


# --- Mots de passe ---------------------------------------------------------------------------------------------------


def test_douze_caracteres_au_moins():
    user = get_user_model().objects.get(username="metropole")
    with pytest.raises(ValidationError, match="au minimum 12 caractères"):
        validate_password("court-11car", user)
    validate_password("douze-caract", user)  # 12 caractères : accepté
    validate_password(MOT_DE_PASSE_DEMO, user)  # le mot de passe de démonstration : 16 caractères


def test_changer_son_mot_de_passe(connecte):
    client = connecte("ddets")
    assert "Changer de mot de passe" in texte_page(client.get(reverse("password_change")))
    trop_court = client.post(reverse("password_change"), {
        "old_password": MOT_DE_PASSE_DEMO, "new_password1": "court-11car", "new_password2": "court-11car",
    })  # fmt: skip
    assert "au minimum 12 caractères" in texte_page(trop_court)
    nouveau = "nouveau-mot-de-passe-ddets"
    reponse = client.post(reverse("password_change"), {
        "old_password": MOT_DE_PASSE_DEMO, "new_password1": nouveau, "new_password2": nouveau,
    }, follow=True)  # fmt: skip
    assert "Mot de passe changé" in texte_page(reponse)
    assert get_user_model().objects.get(username="ddets").check_password(nouveau)


def test_liens_mot_de_passe_dans_la_barre_et_sur_la_page_de_connexion(connecte):
    assert reverse("password_reset") in Client().get(reverse("login")).content.decode()
    assert reverse("password_change") in connecte("lecteur").get(reverse("accueil")).content.decode()


# --- Journal des accès -----------------------------------------------------------------------------------------------


def test_connexion_echec_refus_et_deconnexion_sont_journalises_avec_l_adresse():
    client = Client()
    se_connecter(client, "inconnu", "mauvais", HTTP_X_FORWARDED_FOR="192.0.2.1, 203.0.113.20")
    se_connecter(client, "lecteur", MOT_DE_PASSE_DEMO, HTTP_X_FORWARDED_FOR="203.0.113.20")
    assert client.post(reverse("indicateurs:grille", args=[CLS, 2024]), {"version": 1}).status_code == 403
    client.post(reverse("logout"))
    lecteur = get_user_model().objects.get(username="lecteur")
    journal = list(JournalAcces.objects.order_by("pk").values_list("evenement", "identifiant", "user", "adresse"))
    assert journal == [
        # La dernière adresse de X-Forwarded-For : celle que le mandataire inverse a vue (la première est forgeable).
        (EvenementAcces.ECHEC, "inconnu", None, "203.0.113.20"),
        (EvenementAcces.CONNEXION, "lecteur", lecteur.pk, "203.0.113.20"),
        (EvenementAcces.REFUS, "lecteur", lecteur.pk, "127.0.0.1"),
        (EvenementAcces.DECONNEXION, "lecteur", lecteur.pk, "127.0.0.1"),
    ]
    refus = JournalAcces.objects.get(evenement=EvenementAcces.REFUS)
    assert refus.chemin == reverse("indicateurs:grille", args=[CLS, 2024]) and refus.date is not None


def vieillir(objet, date):
    type(objet).objects.filter(pk=objet.pk).update(date=date)


def test_la_purge_supprime_ce_qui_depasse_la_duree_et_garde_le_reste():
    maintenant = timezone.now()
    duree = settings.CONSERVATION_JOURNAUX_MOIS
    vieux, jeune = (JournalAcces.objects.create(evenement=EvenementAcces.ECHEC, identifiant=n) for n in ("a", "b"))
    vieillir(vieux, mois_avant(maintenant, duree) - datetime.timedelta(days=1))
    vieillir(jeune, mois_avant(maintenant, duree) + datetime.timedelta(days=1))
    tentatives = [
        AccessAttempt.objects.create(username=n, ip_address="192.0.2.1", user_agent="", failures_since_start=1,
                                     get_data="", post_data="", http_accept="", path_info="/connexion/")
        for n in ("x", "y")
    ]  # fmt: skip
    AccessAttempt.objects.filter(pk=tentatives[0].pk).update(attempt_time=maintenant - datetime.timedelta(days=400))
    Session.objects.create(
        session_key="expiree" + "x" * 25, session_data="", expire_date=maintenant - datetime.timedelta(minutes=1)
    )
    Session.objects.create(
        session_key="valable" + "x" * 25, session_data="", expire_date=maintenant + datetime.timedelta(minutes=5)
    )
    call_command("purger_journaux", stdout=io.StringIO())
    assert list(JournalAcces.objects.values_list("identifiant", flat=True)) == ["b"]
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["y"]
    assert set(Session.objects.values_list("session_key", flat=True)) >= {"valable" + "x" * 25}
    assert not Session.objects.filter(session_key="expiree" + "x" * 25).exists()


@override_settings(CONSERVATION_JOURNAUX_MOIS=6)
def test_la_duree_annoncee_est_celle_que_la_purge_applique():
    maintenant = timezone.now()
    entree = JournalAcces.objects.create(evenement=EvenementAcces.CONNEXION, identifiant="c")
    vieillir(entree, maintenant - datetime.timedelta(days=200))  # plus de 6 mois, moins de 12
    assert "6 mois, puis supprimé automatiquement" in texte_page(Client().get(reverse("donnees_personnelles")))
    call_command("purger_journaux", stdout=io.StringIO())
    assert not JournalAcces.objects.filter(pk=entree.pk).exists()


def test_mois_avant():
    assert mois_avant(datetime.datetime(2026, 3, 31, 12), 1) == datetime.datetime(2026, 2, 28, 12)
    assert mois_avant(datetime.datetime(2026, 1, 15), 12) == datetime.datetime(2025, 1, 15)


# --- Administration --------------------------------------------------------------------------------------------------


def test_administration_reservee_aux_administrateurs(connecte, django_user_model):
    assert Client().get("/admin/").url.startswith(reverse("login"))
    assert connecte("admin").get("/admin/").status_code == 200
    for identifiant in ("ddets", "admin-metropole"):
        client = Client()
        client.login(username=identifiant, password=MOT_DE_PASSE_DEMO)
        reponse = client.get("/admin/contrats/contrat/")
        assert reponse.status_code == 403 and "Accès refusé" in texte_page(reponse)
    # Un agent qu'on aurait marqué « staff » sans être administrateur : refusé aussi ; le rôle administrateur : admis.
    user = django_user_model.objects.get(username="finances")
    user.is_staff = True
    user.save()
    client = Client()
    client.login(username="finances", password=MOT_DE_PASSE_DEMO)
    assert client.get("/admin/").status_code == 403
    user.profil.role = Role.ADMINISTRATEUR
    user.profil.save()
    assert client.get("/admin/").status_code == 200


# --- Pages légales ---------------------------------------------------------------------------------------------------


def test_pages_legales_publiques_et_liees_du_pied_de_page():
    client = Client()
    mentions = texte_page(client.get(reverse("mentions_legales")))
    assert "Mentions légales" in mentions and "À compléter par l'organisation qui déploie l'application" in mentions
    donnees = texte_page(client.get(reverse("donnees_personnelles")))
    for attendu in (
        f"{settings.CONSERVATION_JOURNAUX_MOIS} mois, puis supprimé automatiquement",
        f"après {settings.SESSION_COOKIE_AGE // 60} minutes sans activité",
        "Historique des modifications", "Notifications", "Comptes", "CNIL", "articles 15 à 21",
    ):  # fmt: skip
        assert attendu in donnees, attendu
    connexion = client.get(reverse("login")).content.decode()
    for nom in ("accessibilite", "mentions_legales", "donnees_personnelles"):
        assert f'href="{reverse(nom)}"' in connexion
