"""Permissions objet (bibliothèque `rules`) : le rôle de l'utilisateur et l'appartenance de son organisation
au contrat sont vérifiés sur l'objet lui-même, dans chaque vue, export et rapport."""

import rules

from comptes.acces import est_visible
from comptes.enums import Role


def _contrat(objet):
    return getattr(objet, "contrat", objet)


@rules.predicate
def est_partie(user, objet):
    """Une requête au plus par requête HTTP, quel que soit le nombre de contrats vérifiés."""
    return objet is not None and est_visible(user, _contrat(objet))


def a_role(*roles):
    @rules.predicate(name=f"a_role({', '.join(roles)})")
    def predicat(user):
        if user.is_superuser:
            return True
        profil = getattr(user, "profil", None)
        return profil is not None and profil.role in roles

    return predicat


@rules.predicate
def est_de_la_collectivite(user, objet):
    """L'utilisateur appartient à la collectivité qui porte le contrat."""
    profil = getattr(user, "profil", None)
    return objet is not None and profil is not None and profil.organisation_id == _contrat(objet).collectivite_id


@rules.predicate
def est_de_l_etat(user):
    profil = getattr(user, "profil", None)
    return profil is not None and profil.organisation.est_etat


est_administrateur = a_role(Role.ADMINISTRATEUR)
agent_collectivite = a_role(Role.AGENT_COLLECTIVITE) & est_de_la_collectivite
agent_etat = a_role(Role.AGENT_ETAT) & est_de_l_etat

rules.add_perm("finances.modifier_budget", a_role(Role.ADMINISTRATEUR, Role.FINANCIER) & est_partie)
# Rapports : toute partie les lit ; seuls le secrétariat du conseil et l'administrateur figent une version
# « pour transmission » et enregistrent le vote d'une délibération.
rules.add_perm("rapports.voir", est_partie)
rules.add_perm("rapports.transmettre", a_role(Role.ADMINISTRATEUR, Role.SECRETARIAT) & est_partie)
importer_execution = a_role(Role.ADMINISTRATEUR, Role.FINANCIER) & est_partie
saisir_valeurs = (est_administrateur | agent_collectivite) & est_partie
rules.add_perm("finances.importer_execution", importer_execution)
# Saisie des valeurs et récits : la collectivité ; validation, renvoi et réouverture : l'État.
rules.add_perm("indicateurs.saisir", saisir_valeurs)
# L'import Excel (modèle, envoi, confirmation) : qui peut importer au moins un type de données.
rules.add_perm("finances.importer", importer_execution | saisir_valeurs)
rules.add_perm("indicateurs.soumettre", (est_administrateur | agent_collectivite) & est_partie)
rules.add_perm("indicateurs.valider", (est_administrateur | agent_etat) & est_partie)
rules.add_perm("indicateurs.definir_cible", (est_administrateur | agent_etat | agent_collectivite) & est_partie)
# Le fil d'échange sur les valeurs et les récits d'une année : écrit par les agents des deux parties.
rules.add_perm("indicateurs.commenter", (est_administrateur | agent_etat | agent_collectivite) & est_partie)
# Cohérence : un agent de l'une ou l'autre partie (État, collectivité) marque un constat « examiné ».
rules.add_perm("coherence.examiner", (est_administrateur | agent_etat | agent_collectivite) & est_partie)

# Vue nationale (/national/) : l'administration centrale (tous les contrats), la préfecture de région (ceux de sa
# région), un service de l'État (ceux de son département) ; chacun n'y lit que les contrats qu'il voit.
rules.add_perm("national.voir", a_role(Role.ADMINISTRATEUR, Role.NATIONAL, Role.REGIONAL, Role.AGENT_ETAT))
# Le référentiel national (indicateurs nationaux) : l'administration centrale seule le modifie.
rules.add_perm("referentiel.modifier", a_role(Role.ADMINISTRATEUR, Role.NATIONAL))

# Import Excel : la permission requise par type d'import. Les clés sont les valeurs de finances.enums.TypeImport,
# écrites en toutes lettres : comptes est placé sous finances et ne l'importe pas.
PERMISSIONS_IMPORT = {
    "execution": "finances.importer_execution",
    "indicateurs": "indicateurs.saisir",
}
