from django.db import models


class Role(models.TextChoices):
    ADMINISTRATEUR = "administrateur", "Administrateur"
    AGENT_COLLECTIVITE = "agent_collectivite", "Agent de la collectivité"
    AGENT_ETAT = "agent_etat", "Agent de l'État"
    FINANCIER = "financier", "Financier"
    SECRETARIAT = "secretariat", "Secrétariat du conseil"
    LECTEUR = "lecteur", "Lecteur"
    NATIONAL = "national", "Administration centrale (DGCS / DIPLP)"
    REGIONAL = "regional", "Préfecture de région"
