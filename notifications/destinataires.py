"""Qui doit agir, pour un contrat : les personnes à prévenir, lues d'après leur rôle et leur organisation (les mêmes
règles que comptes/acces.py et comptes/rules.py : une organisation partie au contrat, ou, pour un service de l'État,
un contrat de l'État dans son département)."""

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from comptes.enums import Role
from contrats.enums import TYPES_ETAT, RoleSignataire


def _actifs(roles) -> QuerySet:
    return get_user_model().objects.filter(is_active=True, profil__role__in=roles).select_related("profil")


def _parties(contrat) -> Q:
    """Les personnes dont l'organisation est partie au contrat (signataire, partenaire associé, collectivité)."""
    return (
        Q(profil__organisation__signatures__contrat=contrat)
        | Q(profil__organisation__associations__contrat=contrat)
        | Q(profil__organisation=contrat.collectivite_id)
    )


def agents_etat(contrat) -> QuerySet:
    """Les agents de l'État qui voient le contrat : ceux qui valident ou renvoient une année."""
    qui = _parties(contrat)
    if contrat.signataires.filter(role=RoleSignataire.ETAT).exists():
        qui |= Q(profil__organisation__departement=contrat.departement)
    return _actifs([Role.AGENT_ETAT]).filter(qui, profil__organisation__type__in=TYPES_ETAT).distinct()


def agents_collectivite(contrat) -> QuerySet:
    """Les agents de la collectivité qui porte le contrat : ceux qui saisissent, corrigent et soumettent."""
    return _actifs([Role.AGENT_COLLECTIVITE]).filter(profil__organisation=contrat.collectivite_id)


def secretariat(contrat) -> QuerySet:
    """Le secrétariat du conseil des organisations parties au contrat : ceux qui préparent et transmettent les
    rapports."""
    return _actifs([Role.SECRETARIAT]).filter(_parties(contrat)).distinct()
