import html
import re
from io import BytesIO

import pytest
from pypdf import PdfReader


def normaliser(texte: str) -> str:
    """Espaces insécables et fines (les montants à la française), retours à la ligne : une espace ordinaire."""
    return re.sub(r"[\s\u00a0\u202f]+", " ", texte).strip()


def texte_pdf(contenu: bytes) -> str:
    lecteur = PdfReader(BytesIO(contenu))
    return normaliser(" ".join(page.extract_text() for page in lecteur.pages))


def texte_page(reponse) -> str:
    return normaliser(html.unescape(reponse.content.decode()))


@pytest.fixture
def pdf_factice(monkeypatch):
    """Remplace la seule mise en page WeasyPrint (qui ne lit pas la base) par des octets fixes : pour les tests de
    droits et de requêtes, qui n'ont pas besoin d'un vrai PDF. Renvoie la liste des HTML reçus."""
    recus = []

    def html_vers_pdf(html_source, *, archivage=False):
        recus.append((html_source, archivage))
        return b"%PDF-1.7 factice " + str(len(recus)).encode()

    monkeypatch.setattr("rapports.pdf.html_vers_pdf", html_vers_pdf)
    return recus
