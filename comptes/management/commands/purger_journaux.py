from django.conf import settings
from django.core.management.base import BaseCommand

from comptes.services import journaux_purger


class Command(BaseCommand):
    help = (
        "Supprime le journal des accès et les tentatives de connexion de plus de CONSERVATION_JOURNAUX_MOIS mois "
        "(DJANGO_CONSERVATION_JOURNAUX_MOIS, 12 par défaut), et les sessions expirées. À lancer chaque jour."
    )

    def handle(self, *args, **options):
        supprimees = journaux_purger()
        self.stdout.write(f"Conservation : {settings.CONSERVATION_JOURNAUX_MOIS} mois.")
        for nature, nombre in supprimees.items():
            self.stdout.write(f"{nature} : {nombre} supprimé(s)")
