"""Qui voit quel contrat, et la porte d'entrée des vues qui en dépendent.

Un contrat que l'utilisateur ne voit pas répond 404, quelle que soit la vue, pour ne rien révéler de son
existence ; une action que son rôle ne permet pas répond 403, avec un message en français."""

import functools

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from comptes.enums import Role
from contrats.enums import RoleSignataire
from contrats.models import Contrat


def contrats_visibles(user):
    """Les contrats dont l'organisation de l'utilisateur est partie ; pour un service de l'État, ceux de l'État
    dans son département ; pour une préfecture de région, ceux des collectivités de sa région ; tout pour un
    administrateur et pour l'administration centrale (en lecture : aucune permission d'écriture ne leur est donnée
    par `comptes/rules.py`, sauf à l'administrateur)."""
    contrats = Contrat.objects.all()
    if not user.is_authenticated:
        return contrats.none()
    if user.is_superuser:
        return contrats
    profil = getattr(user, "profil", None)
    if profil is None:
        return contrats.none()
    if profil.role in (Role.ADMINISTRATEUR, Role.NATIONAL):
        return contrats
    organisation = profil.organisation
    if profil.role == Role.REGIONAL:
        # La préfecture de région lit les contrats des collectivités de sa région, et eux seuls.
        return contrats.filter(collectivite__region=organisation.region) if organisation.region else contrats.none()
    partie = Q(signataires__organisation=organisation) | Q(partenaires_associes__organisation=organisation)
    if organisation.est_etat and organisation.departement:
        partie |= Q(departement=organisation.departement, signataires__role=RoleSignataire.ETAT)
    return contrats.filter(pk__in=contrats.filter(partie).values("pk"))


def ids_contrats_visibles(user) -> frozenset[int]:
    """Les identifiants des contrats visibles, lus une fois par requête (gardés sur l'objet utilisateur de la
    requête) : les permissions objet ne coûtent ensuite aucune requête, quel que soit le nombre de contrats."""
    if not hasattr(user, "_ids_contrats_visibles"):
        user._ids_contrats_visibles = frozenset(contrats_visibles(user).values_list("pk", flat=True))
    return user._ids_contrats_visibles


def contrat_visible(request, slug) -> Contrat:
    """Le contrat, s'il est visible de l'utilisateur ; sinon 404. Le contrat retient pour qui il a été trouvé
    visible : les permissions objet vérifiées ensuite sur lui ne relisent pas la visibilité."""
    contrat = get_object_or_404(contrats_visibles(request.user).avec_collectivite(), slug=slug)
    contrat._visible_pour = request.user.pk
    return contrat


def est_visible(user, contrat) -> bool:
    """Le contrat est-il visible de l'utilisateur ? Sans requête s'il a été chargé par `contrat_visible` pour lui ;
    sinon une requête au plus par requête HTTP (`ids_contrats_visibles`)."""
    if user.is_authenticated and getattr(contrat, "_visible_pour", None) == user.pk:
        return True
    return contrat.pk in ids_contrats_visibles(user)


def est_administrateur(user) -> bool:
    profil = getattr(user, "profil", None)
    return user.is_superuser or (profil is not None and profil.role == Role.ADMINISTRATEUR)


def annee_du_contrat(contrat: Contrat, annee: int) -> int:
    """L'année, si elle est dans la période du contrat ; sinon 404 avec le message du contrat."""
    if not contrat.contient_annee(annee):
        raise Http404(contrat.message_hors_periode(annee))
    return annee


def contrat_requis(permission: str | None = None, *, refus: str = "Vous n'avez pas accès à cette page.", existe=None):
    """Décorateur des vues d'un contrat : remplace le `slug` de l'adresse par le contrat visible (404 sinon) et,
    si une permission est donnée, la vérifie sur ce contrat (403 sinon, avec le message `refus`).

    `existe(contrat, **kwargs)`, s'il est donné, lève Http404 pour ce qui n'existe pas dans ce contrat (une année
    hors période, un document qu'il n'a pas) : ce qui n'existe pas répond 404 à tous, avant tout contrôle de rôle."""

    def decorateur(vue):
        @functools.wraps(vue)
        def enveloppe(request, slug, *args, **kwargs):
            contrat = contrat_visible(request, slug)
            if existe:
                existe(contrat, **kwargs)
            if (
                contrat.clos
                and request.method not in ("GET", "HEAD", "OPTIONS")
                and not est_administrateur(request.user)
            ):
                # Contrat clos : toute écriture est refusée, quelle que soit la vue, sauf à un administrateur.
                raise PermissionDenied(contrat.message_clos)
            if permission and not request.user.has_perm(permission, contrat):
                raise PermissionDenied(contrat.message_clos if contrat.clos else refus)
            return vue(request, contrat, *args, **kwargs)

        return enveloppe

    return decorateur


def comptes_geres(user):
    """Les comptes que l'utilisateur gère (liste, invitation, désactivation) : tous pour un administrateur de la
    plateforme ; pour un administrateur d'organisation, ceux de son organisation, hors administrateurs de la
    plateforme ; aucun pour les autres. Même règle que « comptes.gerer_compte » (comptes/rules.py)."""
    User = get_user_model()
    comptes = User.objects.select_related("profil__organisation").order_by("last_name", "first_name", "username")
    if not user.is_authenticated:
        return comptes.none()
    profil = getattr(user, "profil", None)
    if user.is_superuser or (profil is not None and profil.role == Role.ADMINISTRATEUR):
        return comptes
    if profil is not None and profil.role == Role.ADMIN_ORGANISATION:
        return comptes.filter(profil__organisation_id=profil.organisation_id, is_superuser=False).exclude(
            profil__role=Role.ADMINISTRATEUR
        )
    return comptes.none()
