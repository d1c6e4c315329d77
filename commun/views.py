"""Sonde de santé et pages d'erreur.

Les pages d'erreur ne montrent jamais le texte de l'exception (« No Indicateur matches the given query. », nom de
classe, raison technique du refus CSRF) : un message français générique, le détail restant dans le journal. Les pages
400, 500 et 503 ne lisent ni l'utilisateur ni la base (elle peut être la cause de l'erreur) ; 403, 404, 405 et le
refus CSRF gardent la navigation de l'application."""

import logging
import sys

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_safe

journal = logging.getLogger("commun.erreurs")

TEXTE = "text/plain; charset=utf-8"
RETRY_AFTER = "30"  # secondes


@login_not_required
@never_cache
@require_safe
def sante(request):
    """Pour le répartiteur de charge et la supervision : 200 si la base répond, 503 sinon (texte en français)."""
    try:
        with connection.cursor() as curseur:
            curseur.execute("SELECT 1")
    except DatabaseError as erreur:
        journal.error("Sonde de santé : la base de données ne répond pas : %s", erreur)
        reponse = HttpResponse("Indisponible : la base de données ne répond pas.\n", status=503, content_type=TEXTE)
        reponse["Retry-After"] = RETRY_AFTER
        return reponse
    return HttpResponse("Disponible : la base de données répond.\n", content_type=TEXTE)


def _page_autonome(gabarit: str, status: int) -> HttpResponse:
    """Une page rendue sans contexte de requête : aucun accès à la base, à la session ni à l'utilisateur."""
    return HttpResponse(loader.get_template(gabarit).render(), status=status)


def page_indisponible() -> HttpResponse:
    reponse = _page_autonome("503.html", 503)
    reponse["Retry-After"] = RETRY_AFTER
    return reponse


@requires_csrf_token
def page_methode_refusee(request) -> HttpResponse:
    return render(request, "405.html", status=405)


def erreur_400(request, exception=None):
    return _page_autonome("400.html", 400)


@requires_csrf_token
def erreur_403(request, exception=None):
    return render(request, "403.html", status=403)


@requires_csrf_token
def erreur_404(request, exception=None):
    return render(request, "404.html", status=404)


def erreur_500(request):
    """Appelée pendant le traitement de l'exception : une base injoignable (connexion perdue dans un middleware,
    un gabarit…) donne la page 503, toute autre erreur la page 500. L'erreur est déjà journalisée et envoyée aux
    administrateurs par Django (journal « django.request »)."""
    if isinstance(sys.exc_info()[1], (OperationalError, InterfaceError)):
        return page_indisponible()
    return _page_autonome("500.html", 500)


@requires_csrf_token
def echec_csrf(request, reason=""):
    """Formulaire expiré ou envoyé d'ailleurs ; la raison technique va au journal (« django.security.csrf »)."""
    return render(request, "403_csrf.html", status=403)
