"""Pages d'erreur : en français, sans rien d'interne (message d'exception, nom de classe, raison technique), avec
le bon statut ; base injoignable → 503 ; erreurs serveur journalisées et envoyées aux administrateurs."""

import re
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import OperationalError
from django.test import Client
from django.urls import reverse

from tests.conftest import CLS
from tests.outils import page

INTERNE = [
    "matches the given query",
    "Resolver404",
    "Http404",
    "Traceback",
    "Forbidden",
    "CSRF verification failed",
    "Bad Request",
    "Not Found",
    "Server Error",
    "Method Not Allowed",
    "Exception",
    "Error",
]


def sans_texte_interne(reponse, *autres):
    """Le titre et le contenu de la page d'erreur (sans la barre de navigation), vérifiés sans texte interne."""
    html = page(reponse)
    assert '<html lang="fr">' in html
    texte = (
        re.search(r"<title>.*?</title>", html, re.DOTALL).group()
        + re.search(r"<main.*</main>", html, re.DOTALL).group()
    )
    for interne in [*INTERNE, *autres]:
        assert interne not in texte, interne
    return texte


def test_404_d_un_indicateur_absent_sans_le_message_de_l_exception(connecte):
    reponse = connecte("metropole").get(reverse("indicateurs:detail", args=[CLS, 999999]))
    assert reponse.status_code == 404
    texte = sans_texte_interne(reponse, "No Indicateur", "Cet indicateur n'existe pas dans ce contrat")
    assert "Page introuvable" in texte and "Cette page n'existe pas ou ne vous est pas accessible." in texte


def test_404_d_une_adresse_inconnue(connecte):
    reponse = connecte("metropole").get("/contrats/dijon-cls-2024-2027/nulle-part/")
    assert reponse.status_code == 404
    assert "Page introuvable" in sans_texte_interne(reponse, "tried", "nulle-part")


def test_403_sans_le_message_de_l_exception(connecte):
    reponse = connecte("metropole").get(reverse("finances:budget_annee", args=[CLS, 2025]))
    assert reponse.status_code == 403
    assert "Accès refusé" in sans_texte_interne(reponse)


def test_405_sur_une_adresse_en_lecture_seule_recue_en_post(client):
    reponse = client.post(reverse("sante"))
    assert reponse.status_code == 405
    assert reponse["Allow"] == "GET, HEAD"
    assert "Action impossible à cette adresse" in sans_texte_interne(reponse)


def test_405_sur_une_adresse_d_envoi_recue_en_get(connecte):
    reponse = connecte("metropole").get(reverse("indicateurs:statut", args=[CLS, 2025]))
    assert reponse.status_code == 405
    assert reponse["Allow"] == "POST"
    assert "Action impossible à cette adresse" in sans_texte_interne(reponse)


def test_refus_csrf_en_francais():
    client = Client(enforce_csrf_checks=True)
    client.force_login(get_user_model().objects.get(username="metropole"))
    reponse = client.post(reverse("coherence:constats", args=[CLS]), {"cle": "x", "commentaire": "y"})
    assert reponse.status_code == 403
    texte = sans_texte_interne(reponse, "CSRF", "token", "Referer")
    assert "Formulaire expiré" in texte and "Rien n'a été enregistré." in texte


def test_refus_csrf_a_la_connexion():
    reponse = Client(enforce_csrf_checks=True).post(reverse("login"), {"username": "metropole", "password": "x"})
    assert reponse.status_code == 403
    assert "Formulaire expiré" in sans_texte_interne(reponse, "CSRF")


def test_400_nom_d_hote_refuse(client):
    reponse = client.get(reverse("login"), HTTP_HOST="pirate.example")
    assert reponse.status_code == 400
    texte = sans_texte_interne(reponse, "pirate.example", "ALLOWED_HOSTS", "DisallowedHost")
    assert "Demande invalide" in texte
    assert not mail.outbox  # un nom d'hôte refusé est journalisé, sans courriel


@pytest.fixture
def admins(settings):
    settings.ADMINS = [("Exploitation", "exploitation@example.fr")]
    settings.ROOT_URLCONF = "tests.production.urls"


@pytest.fixture
def client_brut():
    """Un client qui reçoit la page d'erreur au lieu de relever l'exception."""
    client = Client(raise_request_exception=False)
    client.force_login(get_user_model().objects.get(username="metropole"))
    return client


def test_500_en_francais_et_envoyee_aux_administrateurs(admins, client_brut, caplog):
    reponse = client_brut.get("/essai/erreur/")
    assert reponse.status_code == 500
    texte = sans_texte_interne(reponse, "KeyError", "finances.selectors", "Détail interne")
    assert "Erreur du serveur" in texte and "rien n'a été enregistré" in texte
    (courriel,) = mail.outbox
    assert courriel.to == ["exploitation@example.fr"] and "/essai/erreur/" in courriel.subject
    assert "Détail interne" in courriel.body
    assert any(r.name == "django.request" and r.levelname == "ERROR" for r in caplog.records)


def test_503_quand_la_base_ne_repond_pas_dans_une_vue(admins, client_brut, caplog):
    reponse = client_brut.get("/essai/sans-base/")
    assert reponse.status_code == 503
    assert reponse["Retry-After"] == "30"
    texte = sans_texte_interne(reponse, "10.0.0.5", "5432", "timeout expired")
    assert "Service momentanément indisponible" in texte and "Rien n'a été enregistré." in texte
    (courriel,) = mail.outbox
    assert courriel.to == ["exploitation@example.fr"] and "10.0.0.5" in courriel.body
    assert any(r.name == "commun.erreurs" and "Base de données injoignable" in r.getMessage() for r in caplog.records)


def test_503_quand_la_base_ne_repond_pas_avant_la_vue(admins, client_brut):
    """La session (en base) est lue par un middleware, avant toute vue : même page 503."""
    with mock.patch(
        "django.contrib.sessions.backends.db.SessionStore.load", side_effect=OperationalError("timeout expired")
    ):
        reponse = client_brut.get(reverse("pilotage:liste"))
    assert reponse.status_code == 503
    assert "Service momentanément indisponible" in sans_texte_interne(reponse, "timeout expired")
    assert len(mail.outbox) == 1
