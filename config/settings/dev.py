"""Poste de développement et démonstration locale (`make run`)."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "dev-uniquement-ne-pas-utiliser-en-production")
os.environ.setdefault("DJANGO_SECURE_COOKIES", "0")

from config.settings.base import *  # noqa: E402,F403

DEBUG = True
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
