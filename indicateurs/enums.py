from django.db import models


class Portee(models.TextChoices):
    LOCAL = "local", "Local"
    NATIONAL = "national", "National"
