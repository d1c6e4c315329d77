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


@rules.predicate
def contrat_ouvert(user, objet):
    """Le contrat n'est pas clos (période finie et rapport final transmis : Contrat.clos)."""
    return objet is not None and not _contrat(objet).clos


est_administrateur = a_role(Role.ADMINISTRATEUR)
# Toute écriture sur un contrat clos est refusée, sauf à un administrateur.
modifiable = est_administrateur | contrat_ouvert
agent_collectivite = a_role(Role.AGENT_COLLECTIVITE) & est_de_la_collectivite
agent_etat = a_role(Role.AGENT_ETAT) & est_de_l_etat

rules.add_perm("finances.modifier_budget", a_role(Role.ADMINISTRATEUR, Role.FINANCIER) & est_partie & modifiable)
# Rapports : toute partie les lit ; seuls le secrétariat du conseil et l'administrateur figent une version
# « pour transmission » et enregistrent le vote d'une délibération.
rules.add_perm("rapports.voir", est_partie)
rules.add_perm("rapports.transmettre", a_role(Role.ADMINISTRATEUR, Role.SECRETARIAT) & est_partie & modifiable)
# Génération de rapports par lots, pour les contrats que l'on voit : administrateurs, secrétariat, agents.
rules.add_perm(
    "rapports.generer_lots",
    a_role(Role.ADMINISTRATEUR, Role.SECRETARIAT, Role.AGENT_ETAT, Role.AGENT_COLLECTIVITE),
)
importer_execution = a_role(Role.ADMINISTRATEUR, Role.FINANCIER) & est_partie & modifiable
saisir_valeurs = (est_administrateur | agent_collectivite) & est_partie & modifiable
rules.add_perm("finances.importer_execution", importer_execution)
# Exécution (engagé, réalisé, justification) et versements saisis dans le navigateur : les financiers des parties et
# les agents de la collectivité ; les autres parties lisent.
rules.add_perm("finances.saisir_execution", importer_execution | saisir_valeurs)
# Saisie des valeurs et récits : la collectivité ; validation, renvoi et réouverture : l'État.
rules.add_perm("indicateurs.saisir", saisir_valeurs)
# L'import Excel (modèle, envoi, confirmation) : qui peut importer au moins un type de données.
rules.add_perm("finances.importer", importer_execution | saisir_valeurs)
rules.add_perm("indicateurs.soumettre", (est_administrateur | agent_collectivite) & est_partie & modifiable)
rules.add_perm("indicateurs.valider", (est_administrateur | agent_etat) & est_partie & modifiable)
rules.add_perm(
    "indicateurs.definir_cible", (est_administrateur | agent_etat | agent_collectivite) & est_partie & modifiable
)
# Le fil d'échange sur les valeurs et les récits d'une année : écrit par les agents des deux parties.
rules.add_perm(
    "indicateurs.commenter", (est_administrateur | agent_etat | agent_collectivite) & est_partie & modifiable
)
# Cohérence : un agent de l'une ou l'autre partie (État, collectivité) marque un constat « examiné ».
rules.add_perm("coherence.examiner", (est_administrateur | agent_etat | agent_collectivite) & est_partie & modifiable)

# Vue nationale (/national/) : l'administration centrale (tous les contrats), la préfecture de région (ceux de sa
# région), un service de l'État (ceux de son département) ; chacun n'y lit que les contrats qu'il voit.
rules.add_perm("national.voir", a_role(Role.ADMINISTRATEUR, Role.NATIONAL, Role.REGIONAL, Role.AGENT_ETAT))
# Le référentiel national (indicateurs nationaux) : l'administration centrale seule le modifie.
rules.add_perm("referentiel.modifier", a_role(Role.ADMINISTRATEUR, Role.NATIONAL))
# Rattacher un indicateur du contrat à un indicateur national : les agents qui modifient les indicateurs du contrat
# (collectivité, État) et l'administration centrale, qui voit tous les contrats ; pas la préfecture de région.
rules.add_perm(
    "indicateurs.rattacher",
    (est_administrateur | agent_collectivite | agent_etat | a_role(Role.NATIONAL)) & est_partie & modifiable,
)

# Import Excel : la permission requise par type d'import. Les clés sont les valeurs de finances.enums.TypeImport,
# écrites en toutes lettres : comptes est placé sous finances et ne l'importe pas.
PERMISSIONS_IMPORT = {
    "execution": "finances.importer_execution",
    "indicateurs": "indicateurs.saisir",
}

# Comptes : l'administrateur de la plateforme gère tous les comptes ; l'administrateur d'une organisation, ceux de
# sa propre organisation, sauf les administrateurs de la plateforme (comptes/acces.py : comptes_geres).
admin_organisation = a_role(Role.ADMIN_ORGANISATION)


@rules.predicate
def est_de_mon_organisation(user, cible):
    """`cible` (un utilisateur) appartient à l'organisation de `user` et n'administre pas la plateforme."""
    profil, profil_cible = getattr(user, "profil", None), getattr(cible, "profil", None)
    return (
        profil is not None
        and profil_cible is not None
        and profil_cible.organisation_id == profil.organisation_id
        and not cible.is_superuser
        and profil_cible.role != Role.ADMINISTRATEUR
    )


# Création d'un contrat depuis son annexe signée (creation/) : l'administrateur de la plateforme, et l'administrateur
# d'une organisation pour un contrat dont son organisation est partie (vérifié à l'étape des parties).
rules.add_perm("creation.creer_contrat", est_administrateur | admin_organisation)

rules.add_perm("comptes.gerer_comptes", est_administrateur | admin_organisation)
rules.add_perm("comptes.gerer_compte", est_administrateur | (admin_organisation & est_de_mon_organisation))
