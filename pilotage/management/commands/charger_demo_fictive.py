import time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from commun.formats import nom_de
from comptes.services import MOT_DE_PASSE_DEMO
from pilotage.demo_fictive import demo_fictive_charger


class Command(BaseCommand):
    help = (
        "Charge le contrat FICTIF de démonstration (fixtures/fictif/), ses comptes et son cycle 2024-2025 rejoué par "
        "les services ; idempotent. Refusé hors DEBUG : jamais en production."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reinitialiser", action="store_true", help="Efface d'abord le contrat fictif et le recharge."
        )

    def handle(self, *args, reinitialiser=False, **options):
        if not settings.DEBUG:
            raise CommandError("La démonstration fictive ne se charge qu'en développement (DEBUG=True).")
        debut = time.monotonic()
        try:
            chargement = demo_fictive_charger(reinitialiser=reinitialiser)
        except ValidationError as erreur:
            message = " ; ".join(erreur.messages)
            raise CommandError(f"Démonstration refusée, rien n'a été écrit : {message}") from erreur
        contrat = chargement.contrat
        etat = "chargé" if chargement.cree else "déjà chargé, laissé tel quel (--reinitialiser pour le recharger)"
        self.stdout.write(f"{contrat.slug} (fictif) : {etat}, en {time.monotonic() - debut:.1f} s.")
        noms = ", ".join(f"{u.username} ({nom_de(u)})" for u in chargement.comptes)
        self.stdout.write(
            self.style.SUCCESS(f"Comptes du territoire fictif : {noms} (mot de passe : {MOT_DE_PASSE_DEMO})")
        )
