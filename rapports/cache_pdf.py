"""Le PDF d'un rapport (variante normale) mis en cache sur l'empreinte des données qu'il montre : le contrat et la
version de ses données (commun/cache.py, contrats/versions.py), la date du jour et le document. Un second
téléchargement est servi depuis le cache (base ou Redis, selon DJANGO_CACHE) ; toute donnée modifiée change la
clé. Les versions figées (VersionRapport) n'y passent jamais : leurs octets sont gardés en base."""

from commun.cache import cle, en_cache
from rapports.cles import CleRapport
from rapports.pdf import document_pdf


def cle_pdf(contrat, cle_rapport: CleRapport):
    return cle("rapport-pdf", contrat, str(cle_rapport))


def document_pdf_en_cache(contrat, cle_rapport: CleRapport) -> bytes:
    """Le PDF tel qu'il est aujourd'hui, mis en page une fois par version des données du contrat."""
    return en_cache(cle_pdf(contrat, cle_rapport), lambda: document_pdf(contrat, cle_rapport))
