"""La session d'une personne connectée : délai d'inactivité et saisies gardées à travers une reconnexion.

La session expire SESSION_COOKIE_AGE secondes après sa dernière écriture en base (sessions en base de données). Une
requête d'une personne connectée la réécrit au plus une fois par minute (`activite_noter`) : l'inactivité se compte
à une minute près, sans écrire la session à chaque page. Le moment de la dernière écriture, gardé dans la session,
dit à la page combien de temps il reste (static/js/session.js)."""

import time

from django.conf import settings

CLE_ACTIVITE = "comptes_activite"
CLE_REPRISE = "comptes_reprise"
INTERVALLE_ECRITURE = 60  # secondes


def activite_noter(session, *, forcer: bool = False) -> None:
    maintenant = int(time.time())
    if forcer or maintenant - session.get(CLE_ACTIVITE, 0) >= INTERVALLE_ECRITURE:
        session[CLE_ACTIVITE] = maintenant


def secondes_restantes(session) -> int:
    """Le temps qui reste avant l'expiration de la session, si rien ne la prolonge d'ici là."""
    derniere = session.get(CLE_ACTIVITE)
    if derniere is None:
        return settings.SESSION_COOKIE_AGE
    return max(0, derniere + settings.SESSION_COOKIE_AGE - int(time.time()))


def saisie_garder(request) -> None:
    """Garde, dans la session (anonyme) de ce navigateur, ce qu'un formulaire envoyé après l'expiration contenait :
    l'adresse et les champs, sauf le jeton CSRF (un nouveau sera donné après la reconnexion). Les fichiers joints ne
    peuvent pas être gardés : leurs noms le sont, pour le dire."""
    champs = [
        (nom, valeur) for nom, valeurs in request.POST.lists() if nom != "csrfmiddlewaretoken" for valeur in valeurs
    ]
    request.session[CLE_REPRISE] = {
        "chemin": request.get_full_path(),
        "champs": champs,
        "fichiers": sorted(request.FILES.keys()),
    }


def saisie_gardee(session) -> dict | None:
    return session.get(CLE_REPRISE)


def saisie_oublier(session) -> None:
    session.pop(CLE_REPRISE, None)
