"""Permissions objet (bibliothèque `rules`) : le rôle de l'utilisateur et l'appartenance de son organisation
au contrat sont vérifiés sur l'objet lui-même, dans chaque vue, export et rapport."""

import rules

from comptes.enums import Role


def _contrat(objet):
    return getattr(objet, "contrat", objet)


@rules.predicate
def est_partie(user, objet):
    from contrats.models import Contrat

    if objet is None:
        return False
    return Contrat.objects.visibles_par(user).filter(pk=_contrat(objet).pk).exists()


def a_role(*roles):
    @rules.predicate(name=f"a_role({', '.join(roles)})")
    def predicat(user):
        if user.is_superuser:
            return True
        profil = getattr(user, "profil", None)
        return profil is not None and profil.role in roles

    return predicat


est_administrateur = a_role(Role.ADMINISTRATEUR)

rules.add_perm("contrats.voir_contrat", est_partie)
rules.add_perm("contrats.voir_coherence", est_partie)
rules.add_perm("finances.modifier_budget", est_partie & a_role(Role.ADMINISTRATEUR, Role.FINANCIER))
