"""Les fichiers statiques collectés, retrouvés aussi sous leur nom avec empreinte.

En production, `{% static %}` donne le nom avec empreinte (« rapport.3f2a….css », stockage à manifeste de
whitenoise) ; les finders ordinaires ne connaissent que le nom d'origine. Les PDF lisent leurs feuilles de style sur
disque par les finders (rapports/pdf.py) : ce finder, placé en dernier, les trouve dans STATIC_ROOT. Il ne liste
rien, donc `collectstatic` ne recopie jamais STATIC_ROOT sur lui-même."""

from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder
from django.core.exceptions import SuspiciousFileOperation
from django.utils._os import safe_join


class FichiersCollectesFinder(BaseFinder):
    def find(self, path, find_all=False, **kwargs):
        trouves = []
        if settings.STATIC_ROOT:
            try:
                chemin = Path(safe_join(settings.STATIC_ROOT, path))
            except SuspiciousFileOperation:
                chemin = None
            if chemin is not None and chemin.is_file():
                trouves.append(str(chemin))
        if find_all:
            return trouves
        return trouves[0] if trouves else []

    def list(self, ignore_patterns):
        return []
