from django.db import models


class Portee(models.TextChoices):
    LOCAL = "local", "Local"
    NATIONAL = "national", "National"


class StatutSuivi(models.TextChoices):
    BROUILLON = "brouillon", "Brouillon"
    SOUMIS = "soumis", "Soumis"
    VALIDE = "valide", "Validé"
    A_CORRIGER = "a_corriger", "À corriger"


class TransitionSuivi(models.TextChoices):
    """Les changements de statut d'une année de suivi ; leurs règles sont dans `SuiviAnnuel.TRANSITIONS`."""

    SOUMETTRE = "soumettre", "Soumettre à la validation de l'État"
    VALIDER = "valider", "Valider"
    RENVOYER = "renvoyer", "Renvoyer pour correction"
    ROUVRIR = "rouvrir", "Rouvrir"


class SourceCible(models.TextChoices):
    AVENANT = "avenant", "Avenant"
    DIALOGUE_DE_GESTION = "dialogue_de_gestion", "Dialogue de gestion"


class NatureIndicateur(models.TextChoices):
    """Un indicateur chiffré (unité, T0, cibles, valeur) ou un énoncé (résultat attendu, étape) apprécié par année."""

    QUANTITATIF = "quantitatif", "Quantitatif"
    QUALITATIF = "qualitatif", "Qualitatif"


class Appreciation(models.TextChoices):
    """L'appréciation annuelle d'un indicateur qualitatif."""

    ATTEINT = "atteint", "Atteint"
    PARTIELLEMENT_ATTEINT = "partiellement_atteint", "Partiellement atteint"
    NON_ATTEINT = "non_atteint", "Non atteint"
