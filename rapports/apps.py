import logging

from django.apps import AppConfig


class RapportsConfig(AppConfig):
    name = "rapports"
    verbose_name = "Rapports et délibérations"

    def ready(self):
        # WeasyPrint annonce chaque étape de chaque PDF au niveau INFO (dès son import) : du bruit dans les journaux.
        logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

        # Figer, transmettre un rapport ou voter une délibération change la version des données du contrat.
        from contrats.versions import suivre
        from rapports.models import DeliberationRapport, VersionRapport

        suivre(VersionRapport, "contrat")
        suivre(DeliberationRapport, "contrat")
