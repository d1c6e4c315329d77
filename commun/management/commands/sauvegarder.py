from pathlib import Path

from django.core.management.base import BaseCommand

from commun.formats import nombre
from commun.sauvegarde import nom_par_defaut, sauvegarder


class Command(BaseCommand):
    help = (
        "Écrit une archive (.tar.gz) de toute la base (historique et PDF figés compris) et de chaque fichier stocké "
        "(documents des contrats), avec leurs empreintes SHA-256."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", nargs="?", help="chemin de l'archive (défaut : sauvegarde-<date>.tar.gz)")

    def handle(self, *args, archive=None, **options):
        chemin = Path(archive or nom_par_defaut())
        manifeste = sauvegarder(chemin)
        taille = chemin.stat().st_size
        self.stdout.write(
            f"Sauvegarde écrite : {chemin} ({nombre(taille)} octets) — base et "
            f"{len(manifeste['fichiers'])} fichier(s) stocké(s)."
        )
