from django.db import models


class Financeur(models.TextChoices):
    ETAT = "etat", "État"
    COLLECTIVITE = "collectivite", "Collectivité"
    AUTRE = "autre", "Autres partenaires"
