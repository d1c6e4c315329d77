import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from commun.excel import classeur_enregistrer
from contrats.models import Contrat
from finances.exports import classeur_budget, classeur_execution
from indicateurs.exports import classeur_indicateurs

CLASSEURS = {"budget": classeur_budget, "execution": classeur_execution, "indicateurs": classeur_indicateurs}


class Command(BaseCommand):
    help = (
        "Exporte en Excel le tableau budgétaire, l'exécution ou la matrice des indicateurs d'un ou de tous les "
        "contrats dans un dossier (un classeur par contrat : <slug>-<type>.xlsx)."
    )

    def add_arguments(self, parser):
        parser.add_argument("type", choices=sorted(CLASSEURS))
        parser.add_argument("slugs", nargs="*", help="Slugs des contrats (tous si --tous).")
        parser.add_argument("--tous", action="store_true", help="Tous les contrats.")
        parser.add_argument("--annee", type=int, help="Seulement les contrats en vigueur cette année.")
        parser.add_argument("--au", help="Budget : montants en vigueur à cette date (AAAA-MM-JJ).")
        parser.add_argument("--dossier", required=True)

    def handle(self, *args, type, slugs, tous, annee, au, dossier, **options):
        if not slugs and not tous:
            raise CommandError("Précisez des slugs de contrats ou --tous.")
        contrats = Contrat.objects.avec_collectivite().order_by("slug")
        if slugs:
            contrats = contrats.filter(slug__in=slugs)
            inconnus = set(slugs) - {c.slug for c in contrats}
            if inconnus:
                raise CommandError(f"Contrat inconnu : {', '.join(sorted(inconnus))}.")
        if annee:
            contrats = contrats.filter(annee_debut__lte=annee, annee_fin__gte=annee)
        date = None
        if au:
            try:
                date = datetime.date.fromisoformat(au)
            except ValueError as erreur:
                raise CommandError(f"« {au} » n'est pas une date au format AAAA-MM-JJ.") from erreur
        sortie = Path(dossier)
        sortie.mkdir(parents=True, exist_ok=True)
        nombre = 0
        for contrat in contrats:
            classeur = classeur_budget(contrat, date=date) if type == "budget" else CLASSEURS[type](contrat)
            chemin = sortie / f"{contrat.slug}-{type}.xlsx"
            classeur_enregistrer(classeur, chemin)
            nombre += 1
            self.stdout.write(str(chemin))
        self.stdout.write(self.style.SUCCESS(f"{nombre} classeur(s) écrit(s) dans {sortie}."))
