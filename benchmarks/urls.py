"""Adresses des mesures : celles de l'application, plus le « plancher » du cadriciel.

Ce module n'est chargé que par `make bench` (ROOT_URLCONF remplacé le temps des mesures) : le plancher n'est
jamais servi en production."""

from django.http import HttpResponse
from django.template import engines
from django.urls import path

from config.urls import urlpatterns as urlpatterns_application

_GABARIT_PLANCHER = engines["django"].from_string("<p>{{ user.get_username }}</p>\n")


def plancher(request):
    """Le moins qu'une page coûte : mêmes middlewares (session, utilisateur, connexion exigée, CSRF…), même
    processus, un gabarit d'une ligne et aucune requête applicative."""
    return HttpResponse(_GABARIT_PLANCHER.render({"user": request.user}, request))


urlpatterns = [*urlpatterns_application, path("__plancher__/", plancher, name="plancher")]
