"""Du HTML au PDF avec WeasyPrint : polices embarquées, métadonnées, variante d'archivage PDF/A pour ce qui est
transmis au préfet, et un url_fetcher qui ne sert que les fichiers statiques de l'application (jamais le réseau)."""

import mimetypes
import warnings
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from rapports import graphiques
from rapports.cles import CleRapport
from rapports.redaction import decision, decision_lire, expose, expose_lire, organe_nom
from rapports.selectors import Rapport, rapport_donnees

# Hôte fictif (.invalid ne se résout jamais, RFC 2606) : les chemins relatifs du gabarit s'y rattachent,
# puis le fetcher les lit sur disque ; rien ne part sur le réseau, même par erreur.
BASE_URL = "https://application.invalid/"
VARIANTE_ARCHIVAGE = "pdf/a-3b"  # PDF/A-3B (archivage), que WeasyPrint 70 produit directement


class RessourceRefusee(ValueError):
    """Un rapport a voulu charger autre chose qu'un fichier statique de l'application."""


class FetcherStatiques(URLFetcher):
    """Ne sert que les fichiers statiques de l'application, lus sur disque par les finders de staticfiles.

    Toute autre adresse (http, https, file, data…) est refusée, et le refus arrête la mise en page : un rapport
    ne dépend jamais d'une ressource extérieure."""

    def __init__(self):
        super().__init__(fail_on_errors=True)

    def fetch(self, url, headers=None):
        prefixe = urljoin(BASE_URL, settings.STATIC_URL)
        adresse = urlsplit(url)
        if not url.startswith(prefixe) or adresse.query:
            raise RessourceRefusee(f"Ressource refusée dans un rapport : {url}")
        chemin = unquote(adresse.path[len(urlsplit(prefixe).path) :])
        if not chemin or any(partie in ("", ".", "..") for partie in chemin.split("/")):
            raise RessourceRefusee(f"Chemin refusé dans un rapport : {url}")
        fichier = finders.find(chemin)
        if not fichier:
            raise RessourceRefusee(f"Fichier statique introuvable : {chemin}")
        type_mime = mimetypes.guess_type(fichier)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=Path(fichier).read_bytes(), headers={"Content-Type": type_mime})


def html_vers_pdf(html: str, *, archivage: bool = False) -> bytes:
    """La mise en page par WeasyPrint ; PDF/A-3B pour l'archivage (transmission au préfet)."""
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=FetcherStatiques())
    if not archivage:
        return document.write_pdf()
    # WeasyPrint 70 ouvre son profil sRGB (exigé par PDF/A) sans refermer le fichier : ResourceWarning, sans
    # conséquence, mais une erreur sous filterwarnings = error. Ce seul avertissement est ignoré, ici seulement.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        return document.write_pdf(pdf_variant=VARIANTE_ARCHIVAGE)


def document_contexte(contrat, cle: CleRapport, *, graphiques_svg: bool = True) -> dict:
    """Tout ce qu'affichent l'aperçu HTML et le PDF d'un rapport ou d'un projet de délibération."""
    rapport: Rapport = rapport_donnees(contrat, cle)
    contexte = {"contrat": contrat, "rapport": rapport, "cle": cle}
    if cle.est_deliberation:
        # Une fois le vote enregistré, le texte est celui qui a été adopté (conservé avec la délibération).
        vote = rapport.vote
        contexte |= {
            "organe_nom": organe_nom(vote.organe if vote else None, contrat.collectivite),
            "expose": expose_lire(vote.expose) if vote and vote.expose else expose(rapport),
            "decision": decision_lire(vote.decision) if vote and vote.decision else decision(rapport),
        }
    elif graphiques_svg:
        rapport.graphiques = {
            "execution": graphiques.graphique_execution(rapport.synthese.budgets),
            "indicateurs": graphiques.graphique_indicateurs(rapport.indicateurs, rapport.annees),
        }
    return contexte


def gabarit_pdf(cle: CleRapport) -> str:
    return "rapports/pdf/deliberation.html" if cle.est_deliberation else "rapports/pdf/rapport.html"


def document_pdf(contrat, cle: CleRapport, *, archivage: bool = False, figee: dict | None = None) -> bytes:
    """Le PDF d'un rapport ou d'un projet de délibération, tel qu'il est aujourd'hui. `figee` (version figée pour
    transmission) : {"manques": [...], "reserve": "..."}, imprimés en première page si le document n'était pas prêt."""
    contexte = document_contexte(contrat, cle) | {"archivage": archivage, "figee": figee or {}}
    return html_vers_pdf(render_to_string(gabarit_pdf(cle), contexte), archivage=archivage)
