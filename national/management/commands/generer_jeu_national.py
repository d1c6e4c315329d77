from django.core.management.base import BaseCommand, CommandError

from national.jeu import jeu_national_generer, jeu_national_supprimer


class Command(BaseCommand):
    help = (
        "Crée un jeu national synthétique (116 contrats par défaut, 13 régions, noms marqués « (synthétique) ») ; "
        "jamais chargé par make demo. --supprimer le retire."
    )

    def add_arguments(self, parser):
        parser.add_argument("--nombre", type=int, default=116, help="Nombre de contrats (116 par défaut).")
        parser.add_argument("--supprimer", action="store_true", help="Retire le jeu synthétique, sans rien créer.")

    def handle(self, *args, nombre, supprimer, **options):
        if supprimer:
            self.stdout.write(f"Jeu synthétique retiré : {jeu_national_supprimer()} contrat(s).")
            return
        if not 1 <= nombre <= 1000:
            raise CommandError("--nombre doit être compris entre 1 et 1000.")
        contrats = jeu_national_generer(nombre=nombre)
        self.stdout.write(self.style.SUCCESS(f"Jeu national synthétique : {len(contrats)} contrats créés."))
