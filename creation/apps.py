from django.apps import AppConfig


class CreationConfig(AppConfig):
    name = "creation"
    verbose_name = "Création d'un contrat depuis son annexe signée"
