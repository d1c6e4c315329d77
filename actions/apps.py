from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "actions"
    verbose_name = "Fiches actions"

    def ready(self):
        # Toute écriture d'une action ou de ses étapes change la version des données du contrat.
        from actions.models import Action, Jalon
        from contrats.versions import suivre, suivre_m2m

        suivre(Action, "contrat")
        suivre(Jalon, "action__contrat")
        suivre_m2m(Action.interactions, "contrat")
