import html
import re
from io import BytesIO

from pypdf import PdfReader


def normaliser(texte: str) -> str:
    """Espaces insécables et fines (les montants à la française), retours à la ligne : une espace ordinaire."""
    return re.sub(r"[\s\u00a0\u202f]+", " ", texte).strip()


def texte_pdf(contenu: bytes) -> str:
    lecteur = PdfReader(BytesIO(contenu))
    return normaliser(" ".join(page.extract_text() for page in lecteur.pages))


def texte_page(reponse) -> str:
    return normaliser(html.unescape(reponse.content.decode()))
