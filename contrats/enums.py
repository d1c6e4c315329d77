from django.db import models


class TypeOrganisation(models.TextChoices):
    PREFECTURE = "prefecture", "Préfecture"
    SERVICE_ETAT = "service_etat", "Service déconcentré de l'État"
    ADMINISTRATION_CENTRALE = "administration_centrale", "Administration centrale"
    METROPOLE = "metropole", "Métropole"
    DEPARTEMENT = "departement", "Département"
    REGION = "region", "Région"
    COMMUNE = "commune", "Commune"
    ASSOCIATION = "association", "Association"
    BAILLEUR = "bailleur", "Bailleur social"
    OPERATEUR = "operateur", "Opérateur"
    ORGANISME_PUBLIC = "organisme_public", "Organisme public"
    AUTRE = "autre", "Autre"


TYPES_ETAT = (TypeOrganisation.PREFECTURE, TypeOrganisation.SERVICE_ETAT, TypeOrganisation.ADMINISTRATION_CENTRALE)


class TypeContrat(models.TextChoices):
    CLS = "cls", "Contrat local des solidarités"
    CALPAE = "calpae", "Convention d'appui à la lutte contre la pauvreté"
    PROTOCOLE_CONTRAT_DE_VILLE = "protocole_contrat_de_ville", "Protocole du contrat de ville"


class RoleSignataire(models.TextChoices):
    ETAT = "etat", "État"
    COLLECTIVITE = "collectivite", "Collectivité"
    PARTENAIRE = "partenaire", "Partenaire"


class Organe(models.TextChoices):
    CONSEIL = "conseil", "Conseil"
    BUREAU = "bureau", "Bureau"


class CategorieQuartier(models.TextChoices):
    PRIORITAIRE = "prioritaire", "Quartier prioritaire"
    VEILLE = "veille", "Quartier de veille"


class TypeEcheance(models.TextChoices):
    VALEURS_ANNUELLES = "valeurs_annuelles", "Valeurs annuelles des indicateurs"
    RAPPORT_ANNUEL = "rapport_annuel", "Rapport annuel d'avancement"
    RAPPORT_MI_PARCOURS = "rapport_mi_parcours", "Rapport d'exécution à mi-parcours"
    EVALUATION_NATIONALE = "evaluation_nationale", "Évaluation nationale à mi-parcours"
    AUTRE = "autre", "Autre"


class TypeClause(models.TextChoices):
    """Les clauses d'un article que l'application lit comme des données (les montants sont des MontantAnnonce, les
    échéances des Echeance)."""

    DUREE = "duree", "Durée"
    PREAVIS = "preavis", "Préavis de dénonciation"
    BENEFICIAIRE = "beneficiaire", "Bénéficiaire des versements"
    COMPTABLE = "comptable", "Comptable assignataire"
    ORDONNATEUR = "ordonnateur", "Ordonnateur"
    CONTROLE = "controle", "Contrôle"
    JURIDICTION = "juridiction", "Juridiction compétente"
