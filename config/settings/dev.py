"""Poste de développement et démonstration locale (`make run`)."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "dev-uniquement-ne-pas-utiliser-en-production")
os.environ.setdefault("DJANGO_SECURE_COOKIES", "0")
# runserver sert en HTTP simple : ni redirection HTTPS ni HSTS ; cache dans la mémoire du processus.
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("DJANGO_HSTS_SECONDS", "0")
os.environ.setdefault("DJANGO_CACHE", "memoire")

from config.settings.base import *  # noqa: E402,F403

DEBUG = True
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
# Courriels (notifications, rappels) écrits dans la console de `make run` ; aucune tâche en attente : exécutées
# aussitôt créées (aucun worker à lancer en développement).
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
