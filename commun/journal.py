"""Journal des requêtes : l'identifiant de la requête en cours, posé sur chaque ligne du journal.

L'identifiant vient de l'en-tête X-Request-ID du mandataire inverse s'il est bien formé (les lignes du mandataire et
de l'application se recoupent), sinon il est tiré au hasard ; il est renvoyé dans la réponse (X-Request-ID)."""

import contextvars
import logging
import re
import uuid

ID_REQUETE: contextvars.ContextVar[str] = contextvars.ContextVar("id_requete", default="-")
_ID_VALIDE = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def identifiant_requete(propose: str | None) -> str:
    """L'identifiant proposé par le mandataire s'il est sûr à journaliser, sinon un nouveau."""
    if propose and _ID_VALIDE.match(propose):
        return propose
    return uuid.uuid4().hex


class FiltreRequete(logging.Filter):
    """Ajoute `request_id` à chaque enregistrement (« - » hors d'une requête : commandes, démarrage)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = ID_REQUETE.get()
        return True
