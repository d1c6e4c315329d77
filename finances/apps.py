from django.apps import AppConfig


class FinancesConfig(AppConfig):
    name = "finances"
    verbose_name = "Finances"

    def ready(self):
        # Toute écriture d'un montant, d'un avenant, d'une exécution ou d'un versement change la version des
        # données du contrat.
        from contrats.versions import suivre
        from finances.models import Avenant, Execution, LigneBudgetaire, MontantAnnonce, Versement

        suivre(LigneBudgetaire, "action__contrat")
        suivre(MontantAnnonce, "contrat")
        suivre(Avenant, "contrat")
        suivre(Execution, "action__contrat")
        suivre(Versement, "contrat")
