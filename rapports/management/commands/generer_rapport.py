from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from commun.formats import periode
from contrats.models import Contrat
from rapports.cles import CleRapport, RapportIndisponible
from rapports.enums import TypeRapport
from rapports.pdf import document_pdf

TYPES = {
    "mi-parcours": TypeRapport.MI_PARCOURS,
    "annuel": TypeRapport.ANNUEL,
    "deliberation-mi-parcours": TypeRapport.DELIBERATION_MI_PARCOURS,
    "deliberation-annuel": TypeRapport.DELIBERATION_ANNUEL,
}


class Command(BaseCommand):
    help = (
        "Écrit les PDF d'un rapport (mi-parcours, annuel) ou d'un projet de délibération, pour un contrat ou pour "
        "tous. Sans --annee, un rapport annuel est produit pour chaque année du contrat."
    )

    def add_arguments(self, parser):
        parser.add_argument("type", choices=list(TYPES), help="document à produire")
        parser.add_argument("--annee", type=int, help="année du rapport annuel (ignorée pour la mi-parcours)")
        cible = parser.add_mutually_exclusive_group(required=True)
        cible.add_argument("--contrat", help="slug du contrat")
        cible.add_argument("--tous", action="store_true", help="tous les contrats")
        parser.add_argument("--dossier", required=True, help="dossier où écrire les PDF (créé s'il n'existe pas)")

    def handle(self, *args, type, annee, contrat, tous, dossier, **options):
        type_ = TYPES[type]
        dossier = Path(dossier)
        dossier.mkdir(parents=True, exist_ok=True)
        contrats = Contrat.objects.avec_collectivite().order_by("slug")
        if not tous:
            contrats = contrats.filter(slug=contrat)
            if not contrats:
                raise CommandError(f"Aucun contrat « {contrat} ».")
        ecrits = 0
        for c in contrats:
            if type_ in (TypeRapport.MI_PARCOURS, TypeRapport.DELIBERATION_MI_PARCOURS):
                cles = [CleRapport(type_)]
            else:
                cles = [CleRapport(type_, a) for a in ([annee] if annee else c.annees)]
            for cle in cles:
                try:
                    annees = cle.annees(c)
                except RapportIndisponible as erreur:
                    if not tous:
                        raise CommandError(str(erreur)) from erreur
                    self.stdout.write(f"ignoré : {erreur}")
                    continue
                chemin = dossier / cle.nom_fichier(c, periode(annees[0], annees[-1]))
                chemin.write_bytes(document_pdf(c, cle))
                ecrits += 1
                self.stdout.write(f"écrit : {chemin}")
        self.stdout.write(self.style.SUCCESS(f"{ecrits} PDF écrit(s) dans {dossier}."))
