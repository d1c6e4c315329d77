from django.core.management.base import BaseCommand, CommandError

from contrats.models import Contrat
from pilotage import coherence


class Command(BaseCommand):
    help = "Liste les incohérences des données d'un contrat (ou de tous), avec leur place dans le contrat."

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*", help="Slugs des contrats (tous par défaut).")

    def handle(self, *args, slugs, **options):
        contrats = Contrat.objects.order_by("slug")
        if slugs:
            contrats = contrats.filter(slug__in=slugs)
            inconnus = set(slugs) - set(contrats.values_list("slug", flat=True))
            if inconnus:
                raise CommandError(f"Contrat inconnu : {', '.join(sorted(inconnus))}.")
        for contrat in contrats:
            anomalies = coherence.controles(contrat)
            self.stdout.write(self.style.MIGRATE_HEADING(f"{contrat.slug} : {len(anomalies)} constat(s)"))
            for a in anomalies:
                self.stdout.write(f"  [{a.gravite_libelle}] {a.categorie} · {a.lieu} : {a.message}")
