from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = "Documents des contrats"

    def ready(self):
        from commun.stockage import fichiers_nettoyer
        from documents.models import Document

        # Le fichier d'un document supprimé (service, cascade du contrat ou de l'action, administration) est effacé
        # du stockage une fois la suppression validée.
        fichiers_nettoyer(Document)
