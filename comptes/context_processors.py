import functools

import rules

from comptes.session import secondes_restantes


def session(request):
    """Pour base.html, lus seulement si le gabarit s'en sert (une personne connectée) : `session_restante`, les
    secondes avant l'expiration de la session ; `gere_comptes`, le lien « Comptes » (la règle de comptes/rules.py,
    sans passer par les permissions en base de ModelBackend, qui coûteraient des requêtes à chaque page)."""
    if not hasattr(request, "session"):
        return {}
    return {
        "session_restante": functools.partial(secondes_restantes, request.session),
        "gere_comptes": lambda: rules.has_perm("comptes.gerer_comptes", request.user),
    }
