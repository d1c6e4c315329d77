from django.core.management.base import BaseCommand, CommandError

from coherence.selectors import calculer_constats
from contrats.models import Contrat


class Command(BaseCommand):
    help = "Liste les constats de cohérence d'un contrat (ou de tous), avec les passages qu'ils citent."

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*", help="Slugs des contrats (tous par défaut).")
        parser.add_argument("--preuves", action="store_true", help="Cite les passages de chaque constat.")

    def handle(self, *args, slugs, preuves, **options):
        contrats = Contrat.objects.order_by("slug")
        if slugs:
            contrats = contrats.filter(slug__in=slugs)
            inconnus = set(slugs) - set(contrats.values_list("slug", flat=True))
            if inconnus:
                raise CommandError(f"Contrat inconnu : {', '.join(sorted(inconnus))}.")
        for contrat in contrats:
            constats = calculer_constats(contrat)
            self.stdout.write(self.style.MIGRATE_HEADING(f"{contrat.slug} : {len(constats)} constat(s)"))
            for c in constats:
                self.stdout.write(f"  [{c.gravite_libelle}] {c.regle} · {c.lieu} : {c.message}")
                if preuves:
                    for p in c.preuves:
                        self.stdout.write(f"      {p.document} — {p.lieu} : « {p.citation} »")
