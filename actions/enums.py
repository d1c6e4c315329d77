from django.db import models


class NatureAction(models.TextChoices):
    NOUVELLE = "nouvelle", "Action nouvelle"
    EXISTANTE_RENFORCEE = "existante_renforcee", "Action existante renforcée"
    NON_PRECISEE = "", "Non précisée"
