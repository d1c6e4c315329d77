from django.conf import settings
from django.core.management.base import BaseCommand

from notifications.services import notifications_purger


class Command(BaseCommand):
    help = (
        "Efface les notifications plus anciennes que NOTIFICATIONS_CONSERVATION_JOURS jours "
        "(365 par défaut). À lancer chaque jour (voir le README)."
    )

    def handle(self, *args, **options):
        nombre = notifications_purger()
        self.stdout.write(
            f"{nombre} notification(s) de plus de {settings.NOTIFICATIONS_CONSERVATION_JOURS} jours effacée(s)."
        )
