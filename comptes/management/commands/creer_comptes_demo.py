from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from commun.formats import nom_de
from comptes.services import MOT_DE_PASSE_DEMO, comptes_demo_creer


class Command(BaseCommand):
    help = "Crée les comptes de démonstration (refusé hors DEBUG : jamais en production)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Les comptes de démonstration ne se créent qu'en développement (DEBUG=True).")
        utilisateurs = comptes_demo_creer()
        noms = ", ".join(f"{u.username} ({nom_de(u)})" for u in utilisateurs)
        self.stdout.write(
            self.style.SUCCESS(f"Comptes de démonstration : {noms} (mot de passe : {MOT_DE_PASSE_DEMO})")
        )
