from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from pilotage.chargement import donnees_charger


class Command(BaseCommand):
    help = "Charge (ou recharge, sans doublon) les contrats réels décrits dans fixtures/*.yaml."

    def add_arguments(self, parser):
        parser.add_argument("--dossier", default=str(settings.BASE_DIR / "fixtures"))

    def handle(self, *args, dossier, **options):
        try:
            contrats = donnees_charger(dossier=Path(dossier))
        except ValidationError as erreur:
            raise CommandError("Données refusées, rien n'a été écrit : " + " ; ".join(erreur.messages)) from erreur
        for contrat in contrats:
            self.stdout.write(f"{contrat.slug} : {contrat.actions.count()} actions")
        self.stdout.write(self.style.SUCCESS("Données réelles chargées."))
