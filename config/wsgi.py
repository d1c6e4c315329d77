"""Point d'entrée WSGI : refuse de démarrer sans DJANGO_SETTINGS_MODULE explicite."""

import os

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

if "DJANGO_SETTINGS_MODULE" not in os.environ:
    raise ImproperlyConfigured("Définissez DJANGO_SETTINGS_MODULE (par exemple config.settings.base).")

application = get_wsgi_application()
