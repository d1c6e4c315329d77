from django.db import models


class Financeur(models.TextChoices):
    ETAT = "etat", "État"
    COLLECTIVITE = "collectivite", "Collectivité"
    AUTRE = "autre", "Autres partenaires"


class TypeImport(models.TextChoices):
    EXECUTION = "execution", "Exécution budgétaire (engagé, réalisé, justification)"
    INDICATEURS = "indicateurs", "Valeurs des indicateurs (valeur atteinte, commentaire)"
