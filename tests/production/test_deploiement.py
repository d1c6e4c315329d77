"""Les réglages de production (config/settings/base.py) : sûrs sans autre variable que les obligatoires,
`check --deploy` sans avertissement, et `make serve` (gunicorn, whitenoise, DEBUG désactivé) qui sert les fichiers
statiques, la sonde de santé et les en-têtes de sécurité."""

import http.client
import os
import re
import runpy
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client, override_settings

RACINE = Path(settings.BASE_DIR)
BASE = RACINE / "config" / "settings" / "base.py"
OBLIGATOIRES = {
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_ALLOWED_HOSTS": "contrats.example.fr",
    "DATABASE_URL": "postgres://contrats@db.example.fr:5432/contrats",
}


def environnement(**variables) -> dict[str, str]:
    """L'environnement du processus sans aucune variable de l'application (les réglages de test en posent), plus
    celles données."""
    propre = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "GUNICORN_"))}
    propre.pop("WEB_CONCURRENCY", None)
    return {**propre, **variables}


def reglages_production(monkeypatch, **variables) -> dict:
    """Les réglages de base.py lus avec ces seules variables d'environnement."""
    for nom in list(os.environ):
        if nom.startswith(("DJANGO_", "DATABASE_")):
            monkeypatch.delenv(nom)
    for nom, valeur in variables.items():
        monkeypatch.setenv(nom, valeur)
    return runpy.run_path(str(BASE))


def test_la_production_est_sure_sans_autre_variable_que_les_obligatoires(monkeypatch):
    r = reglages_production(monkeypatch, **OBLIGATOIRES)
    assert r["DEBUG"] is False
    assert r["SECURE_SSL_REDIRECT"] is True
    assert (r["SECURE_HSTS_SECONDS"], r["SECURE_HSTS_INCLUDE_SUBDOMAINS"], r["SECURE_HSTS_PRELOAD"]) == (
        31536000,
        True,
        True,
    )
    assert r["SESSION_COOKIE_SECURE"] is True and r["CSRF_COOKIE_SECURE"] is True
    assert r["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")
    assert r["SESSION_ENGINE"] == "django.contrib.sessions.backends.db"
    assert r["CACHES"]["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    assert r["DATABASES"]["default"]["OPTIONS"]["connect_timeout"] == 3
    assert r["STORAGES"]["staticfiles"]["BACKEND"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert r["ADMINS"] == []


def test_variables_facultatives(monkeypatch, tmp_path):
    cle = tmp_path / "cle"
    cle.write_text("cle-lue-dans-un-fichier\n")
    r = reglages_production(
        monkeypatch,
        DJANGO_SECRET_KEY_FILE=str(cle),
        DJANGO_CACHE="redis://127.0.0.1:6379/1",
        DJANGO_ADMINS="Exploitation <exploitation@example.fr>, Astreinte <astreinte@example.fr>",
    )
    assert r["SECRET_KEY"] == "cle-lue-dans-un-fichier"
    assert r["CACHES"]["default"] == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/1",
    }
    assert r["ADMINS"] == [("Exploitation", "exploitation@example.fr"), ("Astreinte", "astreinte@example.fr")]
    # SQLite : pas de délai de connexion à poser (seulement l'attente du verrou, WAL et BEGIN IMMEDIATE).
    assert "connect_timeout" not in r["DATABASES"]["default"].get("OPTIONS", {})


def test_sans_cle_secrete_la_production_refuse_de_demarrer(monkeypatch):
    with pytest.raises(Exception, match="DJANGO_SECRET_KEY est obligatoire"):
        reglages_production(monkeypatch, DJANGO_ALLOWED_HOSTS="contrats.example.fr")


def test_check_deploy_sans_avertissement_avec_les_seules_variables_obligatoires():
    resultat = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=RACINE,
        env=environnement(DJANGO_SETTINGS_MODULE="config.settings.base", **OBLIGATOIRES),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert resultat.returncode == 0, resultat.stdout + resultat.stderr
    assert "System check identified no issues" in resultat.stdout


def test_https_impose_derriere_le_mandataire(monkeypatch):
    """Les réglages de sécurité de production appliqués aux requêtes : HTTP redirigé vers HTTPS (sauf la sonde de
    santé, interrogée directement par le répartiteur), HSTS et cookies Secure derrière le mandataire TLS."""
    r = reglages_production(monkeypatch, **OBLIGATOIRES)
    noms = [n for n in r if n.startswith(("SECURE_", "SESSION_COOKIE_", "CSRF_COOKIE_"))]
    with override_settings(**{n: r[n] for n in noms}):
        client = Client()
        redirection = client.get("/connexion/")
        assert redirection.status_code == 301 and redirection["Location"] == "https://testserver/connexion/"
        assert client.get("/sante/").status_code == 200
        reponse = client.get("/connexion/", headers={"X-Forwarded-Proto": "https"})
        assert reponse.status_code == 200
        assert reponse["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
        assert "Secure" in str(reponse.cookies["csrftoken"])


# --- make serve -------------------------------------------------------------------------------------------------


def variables_de_make_serve(port: int, dossier: Path) -> dict[str, str]:
    """Les variables que pose `make serve` (lues dans le Makefile : la dérogation HTTP locale), pour un serveur de
    test sur son propre port, sa base et son dossier de fichiers collectés."""
    derogation = re.search(r"^DEROGATION_HTTP := (.+)$", (RACINE / "Makefile").read_text(), re.MULTILINE).group(1)
    cle = dossier / "cle-secrete"
    cle.write_text(secrets.token_urlsafe(64))
    return environnement(
        DJANGO_SETTINGS_MODULE="config.settings.base",
        DJANGO_SECRET_KEY_FILE=str(cle),
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        **dict(paire.split("=", 1) for paire in derogation.split()),
        DATABASE_URL=f"sqlite:///{dossier / 'base.sqlite3'}",
        DJANGO_STATIC_ROOT=str(dossier / "statiques"),
        GUNICORN_BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY="1",
    )


def port_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def obtenir(port: int, chemin: str, **entetes) -> tuple[int, dict[str, str], bytes]:
    connexion = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connexion.request("GET", chemin, headers=entetes)
        reponse = connexion.getresponse()
        return reponse.status, {k.lower(): v for k, v in reponse.getheaders()}, reponse.read()
    finally:
        connexion.close()


def test_make_serve_sert_les_fichiers_statiques_sans_debug(tmp_path):
    """gunicorn avec les réglages de `make serve` : fichiers statiques collectés (noms avec empreinte, compressés)
    servis par whitenoise, DEBUG désactivé, sonde de santé, en-têtes de sécurité, journal des requêtes."""
    port = port_libre()
    env = variables_de_make_serve(port, tmp_path)
    # Les fichiers de l'administration ne servent pas ici : les ignorer garde le test court.
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0", "-i", "admin", "-i", "django_tables2"],
        cwd=RACINE,
        env=env,
        check=True,
        timeout=120,
    )
    gunicorn = Path(sys.executable).parent / "gunicorn"
    serveur = subprocess.Popen(
        [str(gunicorn), "-c", "config/gunicorn.conf.py", "config.wsgi"],
        cwd=RACINE,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        limite = time.monotonic() + 20
        while True:
            try:
                statut, entetes, corps = obtenir(port, "/sante/")
                break
            except OSError:
                assert serveur.poll() is None and time.monotonic() < limite, "gunicorn n'a pas démarré"
                time.sleep(0.2)
        assert (statut, corps.decode()) == (200, "Disponible : la base de données répond.\n")

        statut, entetes, corps = obtenir(port, "/connexion/")
        assert statut == 200  # HTTP simple en local : pas de redirection (dérogation de make serve)
        assert "script-src 'self'" in entetes["content-security-policy"]
        assert "camera=()" in entetes["permissions-policy"]
        assert "strict-transport-security" not in entetes
        assert "DEBUG" not in corps.decode() and "Traceback" not in corps.decode()
        feuilles = re.findall(r'href="(/static/[^"]+\.[0-9a-f]{12}\.css)"', corps.decode())
        scripts = re.findall(r'src="(/static/[^"]+\.[0-9a-f]{12}\.js)"', corps.decode())
        assert "/static/js/app." in " ".join(scripts) and len(feuilles) == 2
        for chemin in [*feuilles, *scripts]:
            statut, entetes, corps = obtenir(port, chemin, **{"Accept-Encoding": "gzip"})
            assert statut == 200, chemin
            assert entetes["content-encoding"] == "gzip"
            assert "immutable" in entetes["cache-control"]  # nom avec empreinte : gardé un an par le navigateur
        statut, _, _ = obtenir(port, "/static/vendor/bootstrap/absent.css")
        assert statut == 404
    finally:
        serveur.terminate()
        sortie, _ = serveur.communicate(timeout=20)
    assert re.search(r"INFO commun\.requetes \[[0-9a-f]{32}\] GET /sante/ 200 \d+ ms utilisateur=", sortie), sortie


def test_les_pdf_trouvent_leurs_feuilles_de_style_sous_leur_nom_avec_empreinte(tmp_path):
    """En production, le gabarit du PDF nomme « rapport.<empreinte>.css » : le lecteur de fichiers des PDF (qui
    passe par les finders) le trouve parmi les fichiers collectés (commun/statiques.py)."""
    from django.core.management import call_command
    from django.templatetags.static import static

    from rapports.pdf import BASE_URL, FetcherStatiques

    manifeste = {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"}
    with override_settings(STATIC_ROOT=tmp_path, STORAGES={**settings.STORAGES, "staticfiles": manifeste}):
        call_command("collectstatic", "--noinput", "-v0", "-i", "admin", "-i", "django_tables2")
        adresse = static("rapports/rapport.css")
        assert re.fullmatch(r"/static/rapports/rapport\.[0-9a-f]{12}\.css", adresse)
        reponse = FetcherStatiques().fetch(BASE_URL.rstrip("/") + adresse)
        assert reponse.read() == (RACINE / "rapports" / "static" / "rapports" / "rapport.css").read_bytes()


SOUS_UNE_BASE_MUETTE = """
import time
import django
from django.test import Client

django.setup()
client = Client(raise_request_exception=False)
for chemin, cookies in (("/sante/", {}), ("/contrats/", {"sessionid": "x" * 32})):
    client.cookies.clear()
    for nom, valeur in cookies.items():
        client.cookies[nom] = valeur
    debut = time.monotonic()
    reponse = client.get(chemin, headers={"X-Forwarded-Proto": "https"})
    print(chemin, reponse.status_code, round(time.monotonic() - debut), reponse.content.decode().replace("\\n", " "))
"""


def test_une_base_qui_accepte_la_connexion_sans_repondre_donne_503_en_quelques_secondes():
    """PostgreSQL qui accepte la connexion TCP et ne répond jamais : chaque requête échouait au bout d'une minute.
    Le délai de connexion (DATABASE_CONNECT_TIMEOUT) la borne ; la sonde et les pages répondent 503 en français."""
    with socket.socket() as muet:
        muet.bind(("127.0.0.1", 0))
        muet.listen(8)  # le noyau accepte la connexion ; personne ne lit ni ne répond
        port = muet.getsockname()[1]
        resultat = subprocess.run(
            [sys.executable, "-c", SOUS_UNE_BASE_MUETTE],
            cwd=RACINE,
            env=environnement(
                DJANGO_SETTINGS_MODULE="config.settings.base",
                **OBLIGATOIRES
                | {"DJANGO_ALLOWED_HOSTS": "testserver", "DATABASE_URL": f"postgres://contrats@127.0.0.1:{port}/c"},
                DATABASE_CONNECT_TIMEOUT="2",
            ),
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert resultat.returncode == 0, resultat.stderr
    sante, page = [ligne for ligne in resultat.stdout.splitlines() if ligne.startswith("/")]
    chemin, statut, duree, texte = sante.split(" ", 3)
    assert (chemin, statut, texte) == ("/sante/", "503", "Indisponible : la base de données ne répond pas. ")
    assert int(duree) <= 5  # au plus deux essais (TLS puis sans TLS, sslmode=prefer) de 2 s
    assert "Sonde de santé : la base de données ne répond pas" in resultat.stdout  # journalisé
    chemin, statut, duree, texte = page.split(" ", 3)
    assert (chemin, statut) == ("/contrats/", "503") and int(duree) <= 5
    assert "Service momentanément indisponible" in texte and "timeout" not in texte
