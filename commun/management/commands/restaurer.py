from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from commun.sauvegarde import ArchiveInvalide, restaurer


class Command(BaseCommand):
    help = (
        "Restaure une archive écrite par `sauvegarder` : base et fichiers stockés, empreintes vérifiées avant toute "
        "écriture. La base doit être migrée ; --remplacer écrase une base qui n'est pas vide."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument("--remplacer", action="store_true", help="efface la base actuelle avant de restaurer")

    def handle(self, *args, archive, remplacer=False, **options):
        try:
            manifeste = restaurer(Path(archive), remplacer=remplacer)
        except ArchiveInvalide as erreur:
            raise CommandError(f"Restauration refusée, rien n'a été écrit : {erreur}.") from erreur
        self.stdout.write(
            f"Restauration faite : sauvegarde du {manifeste['cree_le'][:19].replace('T', ' à ')}, base et "
            f"{len(manifeste['fichiers'])} fichier(s) stocké(s)."
        )
