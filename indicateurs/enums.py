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


class NatureChiffre(models.TextChoices):
    VALEUR = "valeur", "Valeur"
    STOCK = "stock", "Stock à une date"
    FLUX = "flux", "Flux sur une période"


class RelationChiffre(models.TextChoices):
    """Comment un chiffre de bilan entre dans un autre : le total vaut la somme de ses parties, plus ce qui s'y
    ajoute (stock de départ, entrées), moins ce qui s'en retranche (sorties) ; les « dont » n'en sont qu'une part."""

    PARTIE = "partie", "partie de"
    AJOUT = "ajout", "s'ajoute à (stock de départ, entrées)"
    RETRAIT = "retrait", "se retranche de (sorties)"
    DONT = "dont", "dont (part de)"
