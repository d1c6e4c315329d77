from django.db import models


class TypeNotification(models.TextChoices):
    SOUMISSION = "soumission", "Année soumise"
    VALIDATION = "validation", "Année validée"
    RENVOI = "renvoi", "Année renvoyée pour correction"
    REOUVERTURE = "reouverture", "Année rouverte"
    COMMENTAIRE = "commentaire", "Commentaire"
    RAPPEL = "rappel", "Rappel d'échéance"
    EVALUATION = "evaluation", "Évaluation à mi-parcours"


class StatutCourriel(models.TextChoices):
    A_ENVOYER = "a_envoyer", "À envoyer"
    EN_COURS = "en_cours", "En cours d'envoi"
    ENVOYE = "envoye", "Envoyé"
    SANS_ADRESSE = "sans_adresse", "Sans adresse électronique"
    ECHEC = "echec", "Échec de l'envoi"
