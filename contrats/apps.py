from django.apps import AppConfig


class ContratsConfig(AppConfig):
    name = "contrats"
    verbose_name = "Contrats"

    def ready(self):
        from contrats.versions import suivre_les_contrats

        suivre_les_contrats()
