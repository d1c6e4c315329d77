"""Tests : mêmes réglages que la production, mot de passe rapide, variables de gabarit strictes."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "tests")
os.environ.setdefault("DJANGO_SECURE_COOKIES", "0")
# Le client de test parle HTTP : ni redirection HTTPS ni HSTS (tests/production/ vérifie les réglages de production).
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("DJANGO_HSTS_SECONDS", "0")
os.environ.setdefault("DJANGO_CACHE", "memoire")
os.environ.setdefault("DJANGO_TACHES", "immediat")

from config.settings.base import *  # noqa: E402,F403

ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TEMPLATES[0]["OPTIONS"]["string_if_invalid"] = "VARIABLE_INCONNUE:%s"  # noqa: F405
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Fichiers statiques servis depuis les sources, sans collectstatic préalable.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

# Le client de test de Django se connecte sans requête (client.login), ce que django-axes refuse : axes est
# désactivé, et réactivé par les tests qui le vérifient (tests/comptes/test_connexion.py).
AXES_ENABLED = False
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
