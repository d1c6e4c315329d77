"""Les adresses de l'application, plus deux vues qui échouent : pour voir les pages 500 et 503 telles qu'un
utilisateur les reçoit (tests/production/test_erreurs.py)."""

from django.db import OperationalError
from django.urls import path

from config.urls import handler400, handler403, handler404, handler500, urlpatterns  # noqa: F401


def vue_en_erreur(request):
    raise RuntimeError("Détail interne : KeyError('montant') dans finances.selectors")


def vue_sans_base(request):
    raise OperationalError('connection to server at "10.0.0.5", port 5432 failed: timeout expired')


urlpatterns = [
    *urlpatterns,
    path("essai/erreur/", vue_en_erreur),
    path("essai/sans-base/", vue_sans_base),
]
