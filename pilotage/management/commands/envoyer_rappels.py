from django.core.management.base import BaseCommand

from pilotage.rappels import rappels_envoyer


class Command(BaseCommand):
    help = (
        "Rappels d'échéances (30 jours avant, 7 jours avant, dépassée) à ceux qui doivent agir, chacun une seule "
        "fois ; à lancer chaque jour (voir le README). Les courriels partent par une tâche de fond."
    )

    def handle(self, *args, **options):
        nouvelles = rappels_envoyer()
        self.stdout.write(f"{len(nouvelles)} rappel(s) créé(s).")
