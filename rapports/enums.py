from django.db import models


class TypeRapport(models.TextChoices):
    MI_PARCOURS = "mi_parcours", "Rapport d'exécution à mi-parcours"
    ANNUEL = "annuel", "Rapport annuel d'avancement"
    DELIBERATION_MI_PARCOURS = "deliberation_mi_parcours", "Projet de délibération – rapport à mi-parcours"
    DELIBERATION_ANNUEL = "deliberation_annuel", "Projet de délibération – rapport annuel"


TYPES_MI_PARCOURS = (TypeRapport.MI_PARCOURS, TypeRapport.DELIBERATION_MI_PARCOURS)
TYPES_DELIBERATION = (TypeRapport.DELIBERATION_MI_PARCOURS, TypeRapport.DELIBERATION_ANNUEL)


class MoyenTransmission(models.TextChoices):
    ACTES = "actes", "Dépôt sur @ctes (contrôle de légalité)"
    COURRIER = "courrier", "Courrier"
    COURRIEL = "courriel", "Courriel"
    REMISE = "remise", "Remise en main propre"
