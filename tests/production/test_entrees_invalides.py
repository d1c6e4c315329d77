"""Aucune erreur serveur sur une saisie absurde ou sur des écritures simultanées, chaque cause corrigée là où elle
naît ; une page en français (4xx, ou la page du formulaire avec son message) et rien d'écrit. Ces tests passent sur
SQLite et sur PostgreSQL (DATABASE_URL=postgres://… pytest) : le caractère nul n'échoue que sur PostgreSQL.

- numéro d'avenant pris entre la vérification et l'écriture (deux avenants simultanés) : erreur du formulaire ;
- chiffres non ASCII (« ² », « ٣ », « ３ ») : refusés partout où un nombre est lu ;
- caractère nul : refusé par les formulaires, les lectures directes de la requête et les convertisseurs d'adresse ;
- SQLite en écritures simultanées : pas de « database is locked »."""

import threading

import pytest
from django.conf import settings
from django.db import close_old_connections, connection, connections, transaction
from django.test import Client
from django.urls import reverse

from actions.models import Action
from commun.formats import lire_entier
from comptes.services import MOT_DE_PASSE_DEMO
from contrats.models import Contrat
from finances.models import Avenant, Execution, LigneBudgetaire
from indicateurs.models import Commentaire, Indicateur, Realisation, RecitAction, SuiviAnnuel
from tests.conftest import CLS
from tests.outils import page

CHIFFRES_ETRANGERS = ["²", "٣", "３", "۲۰۲۵", "٢٠٢٥", "२०२५"]
NUL = "\x00"


@pytest.fixture
def cls():
    return Contrat.objects.get(slug=CLS)


def ecritures():
    """Tout ce que les adresses d'écriture des finances et des indicateurs peuvent écrire, historique compris."""
    modeles = (Avenant, LigneBudgetaire, Execution, Realisation, RecitAction, SuiviAnnuel, Commentaire)
    return [(m.objects.count(), m.history.count() if hasattr(m, "history") else 0) for m in modeles] + [
        sorted(Execution.objects.values_list("pk", "justification"))
    ]


def donnees_avenant(client, url, **changes):
    """Le formulaire d'avenant tel que la page l'envoie, avec les changements donnés."""
    reponse = client.get(url)
    form = reponse.context["montants_form"]
    donnees = {nom: champ.prepare_value(form[nom].value()) for nom, champ in form.fields.items()}
    return donnees | {"avenant-numero": "7", "avenant-date": "01/02/2026", "avenant-objet": "Ajustement"} | changes


# --- Deux avenants de même numéro au même instant ------------------------------------------------------------------


def test_avenant_dont_le_numero_est_pris_entre_verification_et_ecriture(cls, connecte, monkeypatch):
    """La requête simultanée enregistre l'avenant n°7 juste après le full_clean() de celle-ci : la contrainte
    d'unicité refuse l'écriture ; le formulaire le dit en français et cette requête n'écrit rien."""
    client = connecte("finances")
    action6 = Action.objects.get(contrat=cls, numero="6")
    url = reverse("finances:avenant_creer", args=[CLS]) + "?annee=2026"
    donnees = donnees_avenant(client, url, **{f"a{action6.pk}_etat": "95 000"})
    avant = ecritures()
    full_clean = Avenant.full_clean

    def puis_l_autre_requete(self, *args, **kwargs):
        full_clean(self, *args, **kwargs)
        Avenant.objects.create(contrat=self.contrat, numero=self.numero, date=self.date, objet="Simultané")

    monkeypatch.setattr(Avenant, "full_clean", puis_l_autre_requete)
    reponse = client.post(url, donnees)
    assert reponse.status_code == 200
    assert "Ce numéro d'avenant existe déjà pour le contrat." in page(reponse)
    assert "L'avenant n'a pas été enregistré" in page(reponse)
    # Rien de cette requête (ni l'avenant, ni sa ligne, ni leur historique) ; la transaction est restée utilisable.
    assert ecritures() == avant
    monkeypatch.undo()
    assert client.post(url, donnees).status_code == 302
    assert cls.avenants.get(numero=7).lignes.get().montant == 95000


def test_avenant_numero_deja_pris_refuse_en_francais(cls, connecte):
    client = connecte("finances")
    action6 = Action.objects.get(contrat=cls, numero="6")
    url = reverse("finances:avenant_creer", args=[CLS]) + "?annee=2026"
    donnees = donnees_avenant(client, url, **{f"a{action6.pk}_etat": "95 000"})
    assert client.post(url, donnees).status_code == 302
    avant = ecritures()
    reponse = client.post(url, donnees | {f"a{action6.pk}_etat": "96 000"})
    assert reponse.status_code == 200 and "Ce numéro d'avenant existe déjà" in page(reponse)
    assert ecritures() == avant


@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="SQLite de test en mémoire partagée : un seul écrivain, le cas est couvert par le test précédent",
)
def test_trente_avenants_simultanes_de_meme_numero(cls):
    """30 requêtes dans 30 fils, chacune sa connexion, le même numéro au même instant (PostgreSQL) : une seule est
    enregistrée, les autres reçoivent le formulaire et son message en français, aucune erreur serveur.

    Les fils écrivent hors de la transaction du test : ce qu'ils ont écrit est effacé à la fin."""
    action6 = Action.objects.get(contrat=cls, numero="6")
    url = reverse("finances:avenant_creer", args=[CLS]) + "?annee=2026"
    numero = 913
    depart = threading.Barrier(30)
    codes, pages = [], []

    def envoyer():
        try:
            client = Client(raise_request_exception=False)
            client.login(username="finances", password=MOT_DE_PASSE_DEMO)
            donnees = donnees_avenant(client, url, **{f"a{action6.pk}_etat": "95 000", "avenant-numero": numero})
            depart.wait(timeout=60)
            reponse = client.post(url, donnees)
            codes.append(reponse.status_code)
            pages.append(page(reponse))
        finally:
            connection.close()

    def effacer():
        try:
            with transaction.atomic():
                ids = list(Avenant.objects.filter(contrat=cls, numero=numero).values_list("pk", flat=True))
                # Les objets d'abord : leur suppression écrit elle-même une ligne d'historique, effacée ensuite.
                LigneBudgetaire.objects.filter(avenant_id__in=ids).delete()
                Avenant.objects.filter(pk__in=ids).delete()
                LigneBudgetaire.history.filter(avenant_id__in=ids).delete()
                Avenant.history.filter(id__in=ids).delete()
        finally:
            connection.close()

    fils = [threading.Thread(target=envoyer) for _ in range(30)]
    try:
        for f in fils:
            f.start()
        for f in fils:
            f.join(timeout=120)
        assert sorted(set(codes)) == [200, 302] and codes.count(302) == 1, codes
        refus = [p for code, p in zip(codes, pages, strict=True) if code == 200]
        assert all("Ce numéro d'avenant existe déjà pour le contrat." in p for p in refus)
    finally:
        nettoyage = threading.Thread(target=effacer)
        nettoyage.start()
        nettoyage.join()
        close_old_connections()


# --- Chiffres non ASCII ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("chiffres", CHIFFRES_ETRANGERS)
def test_lire_entier_chiffres_ascii_seulement(chiffres):
    assert lire_entier(chiffres) is None
    assert lire_entier(" 2025 ") == 2025


@pytest.mark.parametrize("chiffres", CHIFFRES_ETRANGERS)
def test_chiffres_non_ascii_dans_chaque_parametre(cls, connecte, chiffres):
    """Chaque paramètre numérique d'adresse ou de formulaire, en chiffres non ASCII : 404 ou message en français,
    rien d'écrit."""
    finances = connecte("finances")
    avant = ecritures()
    url_avenant = reverse("finances:avenant_creer", args=[CLS])
    assert finances.get(url_avenant, {"annee": chiffres}).status_code == 404
    donnees = donnees_avenant(finances, url_avenant + "?annee=2026")
    for champ in ("avenant-numero", "avenant-date", "avenant-deliberation"):
        valeur = {"avenant-date": f"{chiffres}/02/2026"}.get(champ, chiffres)
        reponse = finances.post(url_avenant + "?annee=2026", donnees | {champ: valeur})
        assert reponse.status_code == 200, champ
        assert "seuls les chiffres de 0 à 9 sont acceptés" in page(reponse), champ
    action = Action.objects.get(contrat=cls, numero="1")
    reponse = finances.post(
        reverse("finances:budget_annee", args=[CLS, 2024]), {f"a{action.pk}_etat": chiffres}, follow=True
    )
    assert reponse.status_code == 200 and "n'est pas un montant valide" in page(reponse)
    reponse = finances.post(
        reverse("finances:execution", args=[CLS]), {"execution": chiffres, "justification": "x"}, follow=True
    )
    assert reponse.status_code == 200 and "Ligne d'exécution non précisée : rien n'a été enregistré." in page(reponse)

    metropole = connecte("metropole")
    indicateur = Indicateur.objects.du_contrat(cls).first()
    reponse = metropole.post(
        reverse("indicateurs:commenter", args=[CLS, 2026]), {"ligne": f"i{chiffres}", "texte": "x"}, follow=True
    )
    assert "Ligne inconnue : le commentaire n'a pas été enregistré." in page(reponse)
    reponse = metropole.post(
        reverse("indicateurs:statut", args=[CLS, 2026]), {"version": chiffres, "transition": "soumettre"}, follow=True
    )
    assert "Demande incomplète : rien n'a changé." in page(reponse)
    reponse = metropole.post(reverse("indicateurs:grille", args=[CLS, 2026]), {"version": chiffres})
    assert reponse.status_code in (200, 302)
    reponse = metropole.post(
        reverse("indicateurs:cible", args=[CLS, indicateur.pk, 2026]),
        {"valeur": chiffres, "source": "avenant", "justification": "Avenant n°1"},
        follow=True,
    )
    assert reponse.status_code == 200
    liste = metropole.get(reverse("pilotage:liste"), {"annee": chiffres})
    assert liste.status_code == 200 and "seuls les chiffres de 0 à 9 sont acceptés" in page(liste)
    assert metropole.get(cls.get_absolute_url(), {"au": f"{chiffres}-01-01"}).status_code == 200
    assert ecritures() == avant


# --- Caractère nul --------------------------------------------------------------------------------------------------


def test_caractere_nul_dans_une_adresse_404_en_francais(connecte):
    client = connecte("lecteur")
    for numero in ("1%00", "%00", "1%0A", "1%1B"):
        reponse = client.get(f"/contrats/{CLS}/actions/{numero}/")
        assert reponse.status_code == 404, numero
        assert "Page introuvable" in page(reponse) or "introuvable" in page(reponse).lower()
    assert client.get(reverse("pilotage:action", args=[CLS, "1"])).status_code == 200


def test_caractere_nul_dans_les_lectures_directes_de_la_requete(cls, connecte):
    """Justification (lue dans request.POST), fil de commentaires, filtres : refus en français, rien d'écrit."""
    action1 = Action.objects.get(contrat=cls, numero="1")
    execution = Execution.objects.create(
        action=action1, annee=2024, financeur="etat", engage=60000, realise=40000, justification="Avant"
    )
    avant = ecritures()
    finances = connecte("finances")
    reponse = finances.post(
        reverse("finances:execution", args=[CLS]),
        {"execution": execution.pk, "justification": f"Montée{NUL} en charge"},
        follow=True,
    )
    assert reponse.status_code == 200
    assert "Justification non enregistrée : Ce texte contient un caractère nul" in page(reponse)

    metropole = connecte("metropole")
    indicateur = Indicateur.objects.du_contrat(cls).first()
    reponse = metropole.post(
        reverse("indicateurs:commenter", args=[CLS, 2026]),
        {"ligne": f"i{indicateur.pk}", f"texte-i{indicateur.pk}": f"Bonjour{NUL}"},
        follow=True,
    )
    assert reponse.status_code == 200 and "caractère nul" in page(reponse)
    reponse = metropole.post(
        reverse("indicateurs:statut", args=[CLS, 2026]),
        {"version": 1, "transition": "soumettre", "motif": NUL},
        follow=True,
    )
    assert reponse.status_code == 200 and "rien n'a changé" in page(reponse).lower()
    reponse = metropole.post(
        reverse("coherence:constats", args=[CLS]), {"cle": NUL, "empreinte": NUL, "commentaire": NUL}
    )
    assert reponse.status_code == 200 and "Demande incomplète" in page(reponse)
    for parametres in ({"q": NUL}, {"type": NUL}, {"annee": NUL}):
        assert metropole.get(reverse("pilotage:liste"), parametres).status_code == 200
    assert metropole.get(cls.get_absolute_url(), {"au": NUL, "version": NUL}).status_code == 200
    assert metropole.get(reverse("coherence:constats", args=[CLS]), {"etat": NUL, "gravite": NUL}).status_code == 200
    assert ecritures() == avant


def test_caractere_nul_dans_la_grille(cls, connecte):
    """Valeurs, commentaires et récits de la grille : refusés par le formulaire, rien d'écrit."""
    metropole = connecte("metropole")
    url = reverse("indicateurs:grille", args=[CLS, 2026])
    formulaire = metropole.get(url).context["form"]
    donnees = {}
    for nom, champ in formulaire.fields.items():
        valeur = formulaire[nom].value()
        donnees[nom] = "" if valeur is None else champ.prepare_value(valeur)
        donnees[f"initial-{nom}"] = donnees[nom]
    avant = ecritures()
    for nom in [n for n in formulaire.fields if n[0] in "vcr" and n != "version"][:6]:
        reponse = metropole.post(url, donnees | {nom: f"12{NUL}"})
        assert reponse.status_code == 200, nom
        assert ecritures() == avant, nom
    reponse = metropole.post(url, donnees | {"version": f"1{NUL}"})
    assert reponse.status_code in (200, 302) and ecritures() == avant


def test_enregistrer_refuse_le_caractere_nul_avant_la_base(cls, django_user_model):
    """La garde au plus bas : toute écriture d'un service (commun.historique.enregistrer) refuse le caractère nul,
    même si une vue l'a lu directement dans la requête."""
    from django.core.exceptions import ValidationError

    from commun.historique import enregistrer

    execution = Execution.objects.create(
        action=Action.objects.get(contrat=cls, numero="1"), annee=2025, financeur="etat", engage=1, realise=1
    )
    execution.justification = f"a{NUL}b"
    with pytest.raises(ValidationError) as erreur:
        enregistrer(execution, user=django_user_model.objects.get(username="finances"))
    assert "caractère nul" in erreur.value.message_dict["justification"][0]
    execution.refresh_from_db()
    assert execution.justification == ""


# --- SQLite : écrivains simultanés ----------------------------------------------------------------------------------


def test_sqlite_reglee_pour_des_ecrivains_simultanes():
    """Les réglages que base.py pose sur toute base SQLite (journal WAL, attente du verrou, BEGIN IMMEDIATE)."""
    options = settings.SQLITE_OPTIONS
    assert options["transaction_mode"] == "IMMEDIATE" and options["timeout"] >= 5
    assert "journal_mode=WAL" in options["init_command"]
    if connection.vendor == "sqlite":
        assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_sqlite_trente_ecritures_simultanees_sans_database_is_locked(tmp_path):
    """30 fils, chacun sa connexion à un fichier SQLite réglé comme l'application, lisent puis écrivent dans la même
    transaction (le cas qui, en mode différé, fait refuser une écriture sans attendre) : toutes passent, aucune
    mise à jour perdue."""
    from django.db.backends.sqlite3.base import DatabaseWrapper

    alias = "sqlite_concurrence"  # connexion créée à la volée, hors des bases déclarées (permis par Django)
    reglages = {
        **connections["default"].settings_dict,
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(tmp_path / "concurrence.sqlite3"),
        "OPTIONS": dict(settings.SQLITE_OPTIONS),
        "CONN_MAX_AGE": 0,
        "TEST": {},
    }
    erreurs, depart = [], threading.Barrier(30)

    def brancher():
        connections[alias] = DatabaseWrapper(dict(reglages), alias)
        return connections[alias]

    base = brancher()
    with base.cursor() as curseur:
        curseur.execute("CREATE TABLE compteur (valeur integer)")
        curseur.execute("INSERT INTO compteur VALUES (0)")
        curseur.execute("PRAGMA journal_mode")
        assert curseur.fetchone()[0] == "wal"

    def ecrire():
        connexion = brancher()
        try:
            depart.wait(timeout=30)
            with transaction.atomic(using=alias), connexion.cursor() as curseur:
                curseur.execute("SELECT valeur FROM compteur")
                valeur = curseur.fetchone()[0]
                curseur.execute("UPDATE compteur SET valeur = %s", [valeur + 1])
        except Exception as erreur:  # noqa: BLE001 - toute erreur est le défaut cherché
            erreurs.append(repr(erreur))
        finally:
            connexion.close()

    fils = [threading.Thread(target=ecrire) for _ in range(30)]
    for f in fils:
        f.start()
    for f in fils:
        f.join(timeout=60)
    try:
        assert erreurs == []
        with base.cursor() as curseur:
            curseur.execute("SELECT valeur FROM compteur")
            assert curseur.fetchone()[0] == 30
    finally:
        base.close()
        del connections[alias]
