from django.db import models


class Role(models.TextChoices):
    ADMINISTRATEUR = "administrateur", "Administrateur"
    # Gère les comptes de sa propre organisation (inviter, désactiver, réactiver) : comptes/rules.py.
    ADMIN_ORGANISATION = "admin_organisation", "Administrateur de l'organisation"
    AGENT_COLLECTIVITE = "agent_collectivite", "Agent de la collectivité"
    AGENT_ETAT = "agent_etat", "Agent de l'État"
    FINANCIER = "financier", "Financier"
    SECRETARIAT = "secretariat", "Secrétariat du conseil"
    LECTEUR = "lecteur", "Lecteur"
    NATIONAL = "national", "Administration centrale (DGCS / DIPLP)"
    REGIONAL = "regional", "Préfecture de région"


class EvenementAcces(models.TextChoices):
    CONNEXION = "connexion", "Connexion"
    ECHEC = "echec", "Échec de connexion"
    BLOCAGE = "blocage", "Blocage après échecs répétés"
    DECONNEXION = "deconnexion", "Déconnexion"
    REFUS = "refus", "Accès refusé (403)"
