"""Comptes d'une organisation (administrateur de l'organisation, administrateur de la plateforme) ; session :
inactivité, prolongation, saisie envoyée après expiration gardée à travers la reconnexion."""

import re
import time

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client
from django.urls import reverse

from comptes.enums import Role
from comptes.services import MOT_DE_PASSE_DEMO
from comptes.session import CLE_ACTIVITE, CLE_REPRISE
from indicateurs.models import Indicateur, Realisation
from tests.conftest import CLS
from tests.outils import donnees_de, texte_page

User = get_user_model()


def client_de(identifiant):
    client = Client()
    assert client.login(username=identifiant, password=MOT_DE_PASSE_DEMO)
    return client


# --- Comptes d'une organisation --------------------------------------------------------------------------------------


def test_l_administrateur_de_l_organisation_ne_voit_que_les_comptes_de_son_organisation():
    texte = texte_page(client_de("admin-metropole").get(reverse("comptes:liste")))
    for nom in ("Paul Exemple", "Fanny Factice", "Sacha Essai", "Odile Maquette"):
        assert nom in texte
    # Ni une autre organisation, ni l'administrateur de la plateforme (même rattaché à la métropole).
    for nom in ("Claire Démo", "Bruno Témoin", "Léon Spécimen", "Adèle Prototype"):
        assert nom not in texte
    # L'administrateur de la plateforme voit tout le monde.
    texte = texte_page(client_de("admin").get(reverse("comptes:liste")))
    for nom in ("Claire Démo", "Bruno Témoin", "Odile Maquette"):
        assert nom in texte


@pytest.mark.parametrize("cible", ["ddets", "autre-territoire", "lecteur", "admin"])
def test_un_compte_d_une_autre_organisation_repond_404_et_rien_ne_change(cible):
    client = client_de("admin-metropole")
    user = User.objects.get(username=cible)
    for nom in ("comptes:desactiver", "comptes:reactiver", "comptes:reinviter"):
        assert client.post(reverse(nom, args=[user.pk])).status_code == 404
    user.refresh_from_db()
    assert user.is_active


def test_desactiver_puis_reactiver_un_compte_de_son_organisation():
    client = client_de("admin-metropole")
    paul = User.objects.get(username="metropole")
    paul_connecte = client_de("metropole")
    reponse = client.post(reverse("comptes:desactiver", args=[paul.pk]), follow=True)
    assert "Compte de Paul Exemple désactivé" in texte_page(reponse)
    # La session en cours cesse, et plus aucune connexion.
    assert paul_connecte.get(reverse("accueil")).status_code == 302
    assert not Client().login(username="metropole", password=MOT_DE_PASSE_DEMO)
    client.post(reverse("comptes:reactiver", args=[paul.pk]))
    assert Client().login(username="metropole", password=MOT_DE_PASSE_DEMO)


def test_personne_ne_desactive_son_propre_compte():
    client = client_de("admin-metropole")
    moi = User.objects.get(username="admin-metropole")
    reponse = client.post(reverse("comptes:desactiver", args=[moi.pk]), follow=True)
    assert "Vous ne pouvez pas désactiver votre propre compte." in texte_page(reponse)
    moi.refresh_from_db()
    assert moi.is_active


def test_inviter_cree_le_compte_dans_son_organisation_et_envoie_le_lien(django_capture_on_commit_callbacks):
    client = client_de("admin-metropole")
    formulaire = texte_page(client.get(reverse("comptes:inviter")))
    assert "Organisation" not in formulaire.split("Inviter une personne", 2)[-1].split("Rôle")[0]
    assert 'value="administrateur"' not in client.get(reverse("comptes:inviter")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):  # le courriel part une fois le compte enregistré
        reponse = client.post(reverse("comptes:inviter"), {
            "prenom": "Inès", "nom": "Fictive", "email": "Ines.Fictive@example.org", "role": Role.AGENT_COLLECTIVITE,
        }, follow=True)  # fmt: skip
    assert "Inès Fictive est invité(e)" in texte_page(reponse)
    user = User.objects.get(username="ines.fictive@example.org")
    assert user.profil.organisation.slug == "dijon-metropole" and user.profil.role == Role.AGENT_COLLECTIVITE
    assert not user.has_usable_password()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["ines.fictive@example.org"]
    courriel = mail.outbox[0].body
    assert "Odile Maquette vous a ouvert un compte" in courriel and "&#x27;" not in courriel
    lien = re.search(r"https?://[^/\s]+(/comptes/mot-de-passe/nouveau/\S+/)", courriel).group(1)
    invite = Client()
    formulaire = invite.get(lien, follow=True)
    mot_de_passe = "mon-mot-de-passe-choisi"
    invite.post(formulaire.redirect_chain[-1][0], {"new_password1": mot_de_passe, "new_password2": mot_de_passe})
    assert Client().login(username="ines.fictive@example.org", password=mot_de_passe)
    # Une adresse déjà prise : refusée, rien de créé.
    nombre = User.objects.count()
    reponse = client.post(reverse("comptes:inviter"), {
        "prenom": "Autre", "nom": "Personne", "email": "ines.fictive@example.org", "role": Role.LECTEUR,
    })  # fmt: skip
    assert "Un compte existe déjà avec cette adresse électronique." in texte_page(reponse)
    assert User.objects.count() == nombre


def test_l_adresse_electronique_est_exigee_a_l_invitation():
    # Elle est l'identifiant et sert au mot de passe oublié : un compte sans adresse ne pourrait jamais le retrouver.
    client = client_de("admin-metropole")
    nombre = User.objects.count()
    reponse = client.post(reverse("comptes:inviter"), {
        "prenom": "Sans", "nom": "Adresse", "email": "", "role": Role.LECTEUR,
    })  # fmt: skip
    assert reponse.status_code == 200 and "Ce champ est obligatoire." in texte_page(reponse)
    assert User.objects.count() == nombre


def test_un_administrateur_d_organisation_ne_peut_pas_nommer_un_administrateur_de_la_plateforme():
    client = client_de("admin-metropole")
    reponse = client.post(reverse("comptes:inviter"), {
        "prenom": "Max", "nom": "Pouvoir", "email": "max@example.org", "role": Role.ADMINISTRATEUR,
    })  # fmt: skip
    assert reponse.status_code == 200 and not User.objects.filter(email="max@example.org").exists()


def test_lien_comptes_dans_la_barre_pour_les_seuls_gestionnaires():
    for identifiant, attendu in (("admin-metropole", True), ("admin", True), ("metropole", False), ("ddets", False)):
        html = client_de(identifiant).get(reverse("accueil")).content.decode()
        assert (f'href="{reverse("comptes:liste")}"' in html) is attendu, identifiant


# --- Session ---------------------------------------------------------------------------------------------------------


def test_session_fermee_avec_le_navigateur_et_apres_l_inactivite():
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE and settings.SESSION_COOKIE_AGE == 30 * 60
    client = Client()
    reponse = client.post(reverse("login"), {"username": "metropole", "password": MOT_DE_PASSE_DEMO})
    cookie = reponse.cookies[settings.SESSION_COOKIE_NAME]
    assert not cookie["max-age"] and not cookie["expires"]  # cookie de session : fermé avec le navigateur
    session = Session.objects.get(session_key=cookie.value)
    restant = (session.expire_date - session.expire_date.now(session.expire_date.tzinfo)).total_seconds()
    assert 29 * 60 < restant <= 30 * 60
    # 30 minutes sans activité : la session a expiré, la page demande de se reconnecter.
    Session.objects.filter(pk=session.pk).update(expire_date=session.expire_date.replace(year=2000))
    assert client.get(reverse("accueil")).url.startswith(reverse("login"))


def test_l_etat_de_la_session_se_lit_sans_la_prolonger_et_se_prolonge_sur_demande():
    client = client_de("metropole")
    session = client.session
    session[CLE_ACTIVITE] = int(time.time()) - 1000
    session.save()
    assert 790 <= client.get(reverse("comptes:session")).json()["restant"] <= 800  # lue sans prolonger
    assert 790 <= client.get(reverse("comptes:session")).json()["restant"] <= 800
    assert client.post(reverse("comptes:session")).json()["restant"] >= settings.SESSION_COOKIE_AGE - 2
    # Toute autre page prolonge aussi la session (au plus une écriture par minute).
    session = client.session
    session[CLE_ACTIVITE] = int(time.time()) - 1000
    session.save()
    html = client.get(reverse("accueil")).content.decode()
    assert 'data-session-restant="' in html and "Prolonger la session" in html and "js/session.js" in html
    assert client.get(reverse("comptes:session")).json()["restant"] >= settings.SESSION_COOKIE_AGE - 2
    assert Client().get(reverse("comptes:session")).json() == {"restant": 0}


def test_une_saisie_envoyee_apres_expiration_est_gardee_et_enregistree_apres_reconnexion():
    """La grille de saisie : tapée, session expirée, envoyée ; reconnexion ; page « reprise » ; renvoi : la valeur
    est enregistrée par la fusion habituelle (version lue, saisies)."""
    client = client_de("metropole")
    url = reverse("indicateurs:grille", args=[CLS, 2026])
    indicateur = Indicateur.objects.filter(action__contrat__slug=CLS, nature="quantitatif").first()
    donnees = donnees_de(client.get(url))
    donnees[f"v{indicateur.pk}"] = "4321"
    Session.objects.all().delete()  # la session a expiré pendant la saisie
    reponse = client.post(url, donnees)
    attendu = reverse("login") + "?next=" + reverse("comptes:reprise")
    assert reponse.status_code == 302 and reponse.url == attendu
    assert not Realisation.objects.filter(indicateur=indicateur, annee=2026).exists()  # rien d'enregistré
    connexion = client.get(reponse.url)
    assert "Votre session avait expiré" in texte_page(connexion)
    reponse = client.post(reponse.url, {"username": "metropole", "password": MOT_DE_PASSE_DEMO,
                                        "next": reverse("comptes:reprise")})  # fmt: skip
    assert reponse.url == reverse("comptes:reprise")
    reprise = client.get(reponse.url)
    texte = texte_page(reprise)
    assert "Votre session avait expiré ; vos saisies n'ont pas été enregistrées" in texte
    assert f'<form method="post" action="{url}">' in reprise.content.decode()
    renvoi = _champs_caches(reprise.content.decode())
    assert renvoi[f"v{indicateur.pk}"] == "4321" and "csrfmiddlewaretoken" in renvoi
    reponse = client.post(url, renvoi, follow=True)
    assert "enregistrée" in texte_page(reponse)
    assert Realisation.objects.get(indicateur=indicateur, annee=2026).valeur == 4321
    assert CLE_REPRISE not in client.session  # oubliée une fois renvoyée
    assert client.get(reverse("comptes:reprise")).url == reverse("accueil")


def _champs_caches(html: str) -> dict:
    formulaire = html.split('<form method="post" action="/contrats/', 1)[1].split("</form>", 1)[0]
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', formulaire))


def test_abandonner_la_saisie_gardee():
    client = Client()
    client.post(reverse("indicateurs:grille", args=[CLS, 2026]), {"version": "1", "v1": "5"})
    assert [tuple(c) for c in client.session[CLE_REPRISE]["champs"]] == [("version", "1"), ("v1", "5")]
    client.post(reverse("login"), {"username": "metropole", "password": MOT_DE_PASSE_DEMO})
    assert CLE_REPRISE in client.session  # gardée à travers la connexion
    client.post(reverse("comptes:reprise"))
    assert CLE_REPRISE not in client.session
