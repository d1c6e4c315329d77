from django.db import models


class NatureDocument(models.TextChoices):
    CONTRAT_SIGNE = "contrat_signe", "Contrat signé"
    AVENANT = "avenant", "Avenant"
    DELIBERATION = "deliberation", "Délibération"
    PIECE_JUSTIFICATIVE = "piece_justificative", "Pièce justificative de l'évaluation à mi-parcours"
    AUTRE = "autre", "Autre document"
