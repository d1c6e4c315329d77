"""Middlewares de production : journal des requêtes, en-têtes de sécurité et de cache, pages d'erreur françaises.

Aucun n'ajoute de requête SQL : l'utilisateur n'est lu que s'il l'a déjà été (LoginRequiredMiddleware le lit pour
toute page protégée), jamais pour la sonde de santé ni pour une page publique."""

import base64
import hashlib
import html
import logging
import re
import time

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.utils.cache import add_never_cache_headers
from django.utils.functional import empty

from commun.journal import ID_REQUETE, identifiant_requete
from commun.views import page_indisponible, page_methode_refusee

journal_requetes = logging.getLogger("commun.requetes")
journal_erreurs = logging.getLogger("commun.erreurs")

ERREURS_BASE = (OperationalError, InterfaceError)


def utilisateur_lu(request):
    """L'utilisateur de la requête s'il a déjà été chargé, sinon None (le lire coûterait une requête)."""
    user = getattr(request, "user", None)
    if user is None or getattr(user, "_wrapped", None) is empty:
        return None
    return user


class JournalRequetesMiddleware:
    """Une ligne par requête : méthode, chemin (sans la chaîne de requête, qui peut porter une recherche), statut,
    durée et utilisateur ; l'identifiant de la requête est sur cette ligne et sur toutes celles écrites pendant
    la requête (commun/journal.py)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        identifiant = identifiant_requete(request.headers.get("X-Request-ID"))
        request.id_requete = identifiant
        # Posé jusqu'à la requête suivante du même fil, sans être remis à zéro : les lignes que Django écrit après
        # les middlewares (« Not Found: … », « Service Unavailable: … ») portent encore cet identifiant.
        ID_REQUETE.set(identifiant)
        debut = time.perf_counter()
        response = self.get_response(request)
        duree_ms = (time.perf_counter() - debut) * 1000
        user = utilisateur_lu(request)
        if user is None:
            qui = "-"
        else:
            qui = user.get_username() if user.is_authenticated else "anonyme"
        journal_requetes.info(
            "%s %s %s %.0f ms utilisateur=%s", request.method, request.path, response.status_code, duree_ms, qui
        )
        response["X-Request-ID"] = identifiant
        return response


# Un graphique pygal inséré dans la page (rapports/graphiques.py) : sa balise <svg>, jusqu'à sa fermeture.
_GRAPHIQUE_SVG = re.compile(r'<svg\b[^>]*\bclass="pygal-chart"[^>]*>.*?</svg>', re.DOTALL)
# Le texte d'un élément XML sérialisé ne contient jamais « < » (échappé).
_ELEMENT_STYLE = re.compile(r"<style\b[^>]*>([^<]*)</style>")
_ATTRIBUT_STYLE = re.compile(r'\sstyle="([^"]*)"')


def _empreinte(texte: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(texte.encode()).digest()).decode() + "'"


def sources_styles_graphiques(contenu: str) -> list[str]:
    """Les empreintes CSP des styles que pygal écrit dans ses graphiques : la feuille de style de chacun (son
    identifiant est tiré au hasard, d'où une empreinte par graphique) et ses attributs style. Dans un document
    HTML, le texte d'un <style> SVG est lu entités décodées (« &gt; » devient « > ») : l'empreinte porte sur ce
    texte-là. Seuls les styles à l'intérieur d'un graphique pygal sont autorisés : tout texte saisi est échappé,
    il ne peut pas ouvrir de balise <svg>."""
    feuilles, attributs = set(), set()
    for graphique in _GRAPHIQUE_SVG.finditer(contenu):
        feuilles.update(html.unescape(m) for m in _ELEMENT_STYLE.findall(graphique.group()))
        attributs.update(html.unescape(m) for m in _ATTRIBUT_STYLE.findall(graphique.group()))
    sources = sorted(_empreinte(texte) for texte in feuilles | attributs)
    if attributs:
        sources.insert(0, "'unsafe-hashes'")  # n'autorise que les attributs style de ces empreintes exactes
    return sources


class EnTetesMiddleware:
    """Permissions-Policy sur toute réponse ; `no-store` sur ce qu'une personne connectée reçoit et sur tout fichier
    téléchargé (rien ne reste dans un cache partagé ni sur le disque d'un poste partagé) ; empreintes CSP des
    graphiques SVG de la page. Placé après CSPMiddleware : l'en-tête CSP est écrit ensuite, avec ces empreintes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        user = utilisateur_lu(request)
        connecte = settings.SESSION_COOKIE_NAME in request.COOKIES or (user is not None and user.is_authenticated)
        if connecte or response.has_header("Content-Disposition"):
            add_never_cache_headers(response)
        if (
            not response.streaming
            and response.get("Content-Type", "").startswith("text/html")
            and b'class="pygal-chart"' in response.content
        ):
            sources = sources_styles_graphiques(response.content.decode(response.charset or "utf-8"))
            if sources:
                mise_a_jour = dict(getattr(response, "_csp_update", None) or {})
                mise_a_jour["style-src"] = [*mise_a_jour.get("style-src", []), *sources]
                response._csp_update = mise_a_jour
        return response


class PagesErreurMiddleware:
    """La page 405 en français (Django la rend vide) ; une base injoignable dans une vue donne la page 503 (les
    autres cas, dans un middleware ou un gabarit, passent par handler500 : commun/views.py)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 405 and not response.streaming and not response.content:
            page = page_methode_refusee(request)
            if response.has_header("Allow"):
                page["Allow"] = response["Allow"]
            return page
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, ERREURS_BASE):
            journal_erreurs.error(
                "Base de données injoignable (%s %s) : %s",
                request.method,
                request.path,
                exception,
                exc_info=exception,
                extra={"status_code": 503, "request": request},
            )
            page = page_indisponible()
            page._has_been_logged = True  # une seule ligne (et un seul courriel), avec la trace de l'erreur
            return page
        return None
