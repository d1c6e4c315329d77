"""Réglages de production : tout ce qui varie vient de l'environnement (voir README)."""

import os
from datetime import timedelta
from email.utils import getaddresses
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None:
        raise ImproperlyConfigured(f"La variable d'environnement {name} est obligatoire.")
    return value


def env_bool(name: str, default: bool) -> bool:
    return env(name, "1" if default else "0") == "1"


def secret_key() -> str:
    """DJANGO_SECRET_KEY, ou le contenu du fichier nommé par DJANGO_SECRET_KEY_FILE (secret monté par l'hébergeur,
    clé locale de `make serve`)."""
    fichier = os.environ.get("DJANGO_SECRET_KEY_FILE")
    if fichier and "DJANGO_SECRET_KEY" not in os.environ:
        return Path(fichier).read_text(encoding="utf-8").strip()
    return env("DJANGO_SECRET_KEY")


SECRET_KEY = secret_key()
DEBUG = False
ALLOWED_HOSTS = [h for h in env("DJANGO_ALLOWED_HOSTS", "").split(",") if h]

INSTALLED_APPS = [
    # L'administration de Django, réservée aux administrateurs (comptes/admin_site.py).
    "comptes.apps.AdministrationConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "csp",
    "axes",
    "django_tables2",
    "django_filters",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "rules.apps.AutodiscoverRulesConfig",
    "django_tasks",
    "django_tasks_db",
    "commun",
    "referentiel",
    "contrats",
    "comptes",
    "notifications",
    "actions",
    "indicateurs",
    "finances",
    "coherence",
    "rapports",
    "documents",
    "evaluation",
    "pilotage",
    "national",
    "creation",
]

MIDDLEWARE = [
    # Au plus haut : identifiant, durée et utilisateur de chaque requête, y compris les redirections HTTPS.
    "commun.middleware.JournalRequetesMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    # Après CSPMiddleware : ses réponses passent ici avant que l'en-tête CSP ne soit écrit.
    "commun.middleware.EnTetesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Connexion requise partout ; un formulaire envoyé après l'expiration de la session est gardé pour être renvoyé
    # après la reconnexion (comptes/middleware.py).
    "comptes.middleware.ConnexionRequiseMiddleware",
    # Délai d'inactivité : la session est prolongée par l'activité, au plus une écriture par minute.
    "comptes.middleware.ActiviteSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Au plus près des vues : page 405 en français, base injoignable → 503.
    "commun.middleware.PagesErreurMiddleware",
    # Refus d'accès (403) inscrits au journal des accès (comptes.JournalAcces).
    "comptes.middleware.JournalRefusMiddleware",
    # En dernier (django-axes) : la page « connexion bloquée » après trop d'échecs.
    "axes.middleware.AxesMiddleware",
]

# Le motif d'un changement (renvoi d'une année, examen d'un constat, avenant…) est gardé entier dans l'historique :
# un texte, et non les 100 caractères par défaut de django-simple-history (que PostgreSQL refuse de dépasser).
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "comptes.context_processors.session",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(env("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": int(env("DATABASE_SQLITE_TIMEOUT", "20")),
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Une base qui accepte la connexion sans répondre ne bloque pas chaque requête : échec en quelques secondes
    # (deux essais au plus, avec puis sans TLS), page 503 (commun/middleware.py).
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = int(env("DATABASE_CONNECT_TIMEOUT", "3"))
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite (poste de développement, démonstration ; PostgreSQL reste le choix de production) tient des écritures
    # simultanées sans « database is locked » : journal WAL (les lectures n'attendent pas l'écriture), attente du
    # verrou jusqu'à 20 s, et transactions qui prennent le verrou d'écriture dès BEGIN (en mode différé, deux
    # transactions qui ont lu puis veulent écrire se bloquent l'une l'autre et SQLite en refuse une sans attendre).
    DATABASES["default"].setdefault("OPTIONS", {}).update(SQLITE_OPTIONS)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache des pages et des graphiques d'un contrat (commun/cache.py), indexé sur la version de ses données : aucune
# invalidation. Une entrée pèse de 5 à 40 Ko (CLS de Dijon). DJANGO_CACHE choisit où il vit :
# - « base » (défaut en production) : table `cache_application` de la base (`manage.py createcachetable`), partagée
#   par tous les serveurs d'application ;
# - redis://… ou rediss://… : Redis (cache intégré de Django), pour les déploiements plus chargés ;
# - « memoire » : la mémoire de chaque processus (développement et tests, voir dev.py et test.py).
CACHE_CHOISI = env("DJANGO_CACHE", "base")
if CACHE_CHOISI.startswith(("redis://", "rediss://")):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_CHOISI}}
elif CACHE_CHOISI == "base":
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "cache_application",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }
elif CACHE_CHOISI == "memoire":
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "contrats-solidarites",
            "OPTIONS": {"MAX_ENTRIES": 1000},
        }
    }
else:
    raise ImproperlyConfigured(f"DJANGO_CACHE : « base », « memoire » ou une adresse redis://, pas {CACHE_CHOISI!r}.")

# Tâches de fond (django-tasks, le framework de tâches de Django 6 en rétroportage) : génération des rapports par
# lots, envoi des notifications et des rappels. DJANGO_TACHES choisit où elles attendent :
# - « base » (défaut) : la table des tâches de django-tasks-db, exécutées par `manage.py db_worker` (lancé par
#   `make serve`) ;
# - « immediat » : exécutées sur-le-champ dans le processus qui les crée (tests, dépannage) ;
# - pour un déploiement plus chargé, Redis : voir le README (django-tasks-rq).
TACHES_CHOISIES = env("DJANGO_TACHES", "base")
if TACHES_CHOISIES == "base":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
elif TACHES_CHOISIES == "immediat":
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
else:
    raise ImproperlyConfigured(f"DJANGO_TACHES : « base » ou « immediat », pas {TACHES_CHOISIES!r}.")

# Notifications (application notifications) : conservées NOTIFICATIONS_CONSERVATION_JOURS jours (365 par défaut),
# puis effacées par `manage.py purger_notifications` ; courriels envoyés depuis DJANGO_DEFAULT_FROM_EMAIL.
NOTIFICATIONS_CONSERVATION_JOURS = int(env("NOTIFICATIONS_CONSERVATION_JOURS", "365"))
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", "contrats-solidarites@localhost")
# Adresse du site dans les courriels (liens vers l'application).
SITE_URL = env("DJANGO_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Sessions en base : plusieurs serveurs d'application derrière un répartiteur de charge les partagent.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

AUTHENTICATION_BACKENDS = [
    # En premier : refuse toute tentative d'un compte ou d'une adresse bloqués (django-axes).
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    # ModelBackend, dont get_user lit aussi le profil et l'organisation (une requête au lieu de trois à chaque page).
    "comptes.backends.ProfilBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # 12 caractères au moins (recommandation CNIL 2022-100 avec blocage après échecs répétés, ASVS 2.1.1).
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": int(env("DJANGO_MOT_DE_PASSE_LONGUEUR_MIN", "12"))},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "accueil"
LOGOUT_REDIRECT_URL = "login"

# Sessions : fermées avec le navigateur, et après DJANGO_SESSION_INACTIVITE_MINUTES sans activité (30 par défaut).
# La page prévient deux minutes avant et propose de prolonger (static/js/session.js) ; un formulaire envoyé après
# l'expiration est gardé jusqu'à la reconnexion (comptes/middleware.py).
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_AGE = int(env("DJANGO_SESSION_INACTIVITE_MINUTES", "30")) * 60

# Connexions (django-axes) : après DJANGO_CONNEXION_ECHECS_MAX échecs (5), le compte et l'adresse sont bloqués
# DJANGO_CONNEXION_BLOCAGE_MINUTES minutes (15) ; la page de blocage mène à la réinitialisation du mot de passe, qui
# débloque le compte. Les connexions, échecs et refus sont inscrits au journal des accès (comptes.JournalAcces).
AXES_FAILURE_LIMIT = int(env("DJANGO_CONNEXION_ECHECS_MAX", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(env("DJANGO_CONNEXION_BLOCAGE_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_LOCKOUT_CALLABLE = "comptes.views.connexion_bloquee"
AXES_RESET_ON_SUCCESS = True
# Le journal des accès du projet tient lieu de celui d'axes (un seul endroit, une seule durée de conservation).
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False
# L'adresse du client : derrière le mandataire inverse, la dernière adresse de X-Forwarded-For (celle qu'il a
# ajoutée, le client ne peut pas la forger) ; DJANGO_ENTETE_ADRESSE_CLIENT vide (sans mandataire) : REMOTE_ADDR.
_ENTETE_ADRESSE = env("DJANGO_ENTETE_ADRESSE_CLIENT", "X-Forwarded-For")
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ("HTTP_" + _ENTETE_ADRESSE.upper().replace("-", "_"), "REMOTE_ADDR") if _ENTETE_ADRESSE else ("REMOTE_ADDR",)
)
AXES_IPWARE_PROXY_ORDER = "right-most"

# Durée de conservation du journal des accès (connexions, échecs, refus) et des tentatives de connexion, en mois :
# 12 par défaut (CNIL, recommandation journalisation 2021). Appliquée par `manage.py purger_journaux`, annoncée par
# la page « Données personnelles ».
CONSERVATION_JOURNAUX_MOIS = int(env("DJANGO_CONSERVATION_JOURNAUX_MOIS", "12"))

LANGUAGE_CODE = "fr-fr"
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
# Interface uniquement en français ; montants et nombres formatés par contrats/formats.py (jamais les années).
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
# Servis par whitenoise (noms avec empreinte, gzip, cache d'un an) après `collectstatic`.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    # Les noms avec empreinte, pour les PDF (rapports/pdf.py lit les fichiers statiques par les finders).
    "commun.statiques.FichiersCollectesFinder",
]

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
# Le gabarit Bootstrap 5 de django-tables2, le tableau dans un cadre qui défile (templates/commun/tableau.html).
DJANGO_TABLES2_TEMPLATE = "commun/tableau.html"
DJANGO_TABLES2_TABLE_ATTRS = {"class": "table table-sm table-hover align-middle"}

# Sûr par défaut, derrière un mandataire inverse qui termine TLS et pose X-Forwarded-Proto (il doit écraser celui
# du client) : HTTPS imposé, HSTS, cookies Secure. `make serve` (HTTP local) déroge explicitement : voir Makefile.
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
# La sonde de santé du répartiteur de charge interroge chaque serveur directement, en HTTP.
SECURE_REDIRECT_EXEMPT = [r"^sante/$"]
_ENTETE_PROXY = env("DJANGO_SECURE_PROXY_SSL_HEADER", "X-Forwarded-Proto")
SECURE_PROXY_SSL_HEADER = ("HTTP_" + _ENTETE_PROXY.upper().replace("-", "_"), "https") if _ENTETE_PROXY else None
# Un an, sous-domaines compris, « preload » : les valeurs qu'exige la liste de préchargement des navigateurs.
SECURE_HSTS_SECONDS = int(env("DJANGO_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Aucun script ni style en ligne : scripts et feuilles de style servis par l'application (static/). Seule exception,
# les feuilles de style que pygal écrit dans ses graphiques SVG, autorisées une à une par leur empreinte
# (commun/middleware.py). `data:` pour les petites images SVG des feuilles de Bootstrap (flèches des listes).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Aucune fonction du navigateur qu'une application de saisie n'emploie.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()"
)
CSRF_FAILURE_VIEW = "commun.views.echec_csrf"

# Fichiers envoyés : chaque page déclare sa limite (un document : DOCUMENTS_TAILLE_MAX_MO ; un classeur importé :
# 2 Mo), et commun.televersement.LimiteHandler cesse de recevoir un fichier dès qu'il la dépasse, au lieu de le
# refuser une fois reçu en entier. DATA_UPLOAD_MAX_MEMORY_SIZE borne tout le reste du corps d'une requête (les
# champs d'un formulaire, hors fichiers ; Django refuse au-delà) : c'est la marge ajoutée à la limite d'un fichier
# avant de refuser une requête sur sa seule longueur annoncée.
FILE_UPLOAD_HANDLERS = [
    "commun.televersement.LimiteHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Documents des contrats (application documents) : fichiers rangés sous MEDIA_ROOT (à sauvegarder avec la base),
# jamais servis par une adresse publique (aucun MEDIA_URL) : chaque téléchargement passe par une vue qui vérifie
# l'organisation et le rôle. Taille maximale d'un fichier déposé, en mégaoctets.
MEDIA_ROOT = Path(env("DJANGO_MEDIA_ROOT", str(BASE_DIR / "media")))
DOCUMENTS_TAILLE_MAX_MO = int(env("DJANGO_DOCUMENTS_TAILLE_MAX_MO", "20"))

# Erreurs serveur envoyées aux administrateurs : DJANGO_ADMINS="Nom <adresse>, Autre <adresse>".
ADMINS = [(nom, adresse) for nom, adresse in getaddresses([env("DJANGO_ADMINS", "")]) if adresse]
SERVER_EMAIL = env("DJANGO_SERVER_EMAIL", "contrats-solidarites@localhost")
EMAIL_HOST = env("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("DJANGO_EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 10
# Expéditeur des invitations et des réinitialisations de mot de passe.
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", SERVER_EMAIL)
# Lien d'invitation et de réinitialisation du mot de passe : valable 3 jours.
PASSWORD_RESET_TIMEOUT = int(env("DJANGO_LIEN_MOT_DE_PASSE_JOURS", "3")) * 24 * 3600

# Journal sur la sortie standard, chaque ligne avec l'identifiant de la requête (commun/journal.py) ; une ligne par
# requête (méthode, adresse, statut, durée, utilisateur) ; erreurs serveur aussi envoyées par courriel à ADMINS.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"requete": {"()": "commun.journal.FiltreRequete"}},
    "formatters": {
        "sortie": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "sortie": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "filters": ["requete"],
            "formatter": "sortie",
        },
        "mail_admins": {"class": "django.utils.log.AdminEmailHandler", "level": "ERROR"},
    },
    "loggers": {
        "django": {"handlers": ["mail_admins"], "level": "INFO"},
        "commun.erreurs": {"handlers": ["mail_admins"], "level": "INFO"},
        # Un nom d'hôte refusé (robots, balayages) : journalisé, sans courriel.
        "django.security.DisallowedHost": {"handlers": ["sortie"], "propagate": False},
    },
    "root": {"handlers": ["sortie"], "level": env("DJANGO_LOG_LEVEL", "INFO")},
}
