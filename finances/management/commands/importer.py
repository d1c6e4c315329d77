from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from commun.excel import classeur_enregistrer
from comptes.rules import PERMISSIONS_IMPORT
from contrats.models import Contrat
from finances.enums import TypeImport
from finances.imports import classeur_analyser, classeur_modele, fichier_lire
from finances.services import analyse_importer


class Command(BaseCommand):
    help = (
        "Importe un classeur Excel dans un contrat (exécution budgétaire ou valeurs des indicateurs), tout ou rien, "
        "avec les contrôles de l'import en ligne ; ou écrit le modèle à remplir (--modele)."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="Slug du contrat.")
        parser.add_argument("fichier", nargs="?", help="Classeur .xlsx à importer.")
        parser.add_argument("--type", dest="type_import", help="execution ou indicateurs.")
        parser.add_argument("--utilisateur", help="Identifiant de la personne qui importe (historique, droits).")
        parser.add_argument("--dry-run", action="store_true", help="Contrôle et affiche, sans rien écrire.")
        parser.add_argument("--modele", metavar="FICHIER", help="Écrit le modèle pré-rempli du contrat.")

    def handle(self, *args, slug, fichier, type_import, utilisateur, dry_run, modele, **options):
        contrat = Contrat.objects.filter(slug=slug).first()
        if contrat is None:
            raise CommandError(f"Contrat inconnu : {slug}.")
        if modele:
            if fichier:
                raise CommandError("Choisissez : importer un fichier, ou écrire le modèle (--modele), pas les deux.")
            classeur_enregistrer(classeur_modele(contrat), modele)
            self.stdout.write(self.style.SUCCESS(f"Modèle d'import de « {contrat.titre} » écrit dans {modele}."))
            return
        if not fichier:
            raise CommandError("Indiquez le fichier .xlsx à importer (ou --modele FICHIER pour écrire le modèle).")
        if type_import not in TypeImport.values:
            raise CommandError("Indiquez --type execution ou --type indicateurs.")
        if not utilisateur:
            raise CommandError("Indiquez --utilisateur : l'identifiant de la personne qui importe.")
        user = get_user_model().objects.filter(username=utilisateur).first()
        if user is None:
            raise CommandError(f"Utilisateur inconnu : {utilisateur}.")
        if not user.has_perm(PERMISSIONS_IMPORT[type_import], contrat):
            raise CommandError(f"{utilisateur} n'a pas le droit d'importer ces données dans « {contrat.titre} ».")
        chemin = Path(fichier)
        if not chemin.is_file():
            raise CommandError(f"Fichier introuvable : {fichier}.")
        with chemin.open("rb") as flux:
            donnees = fichier_lire(flux)

        analyse = classeur_analyser(contrat=contrat, type_import=type_import, donnees=donnees, nom=chemin.name)
        if analyse.erreurs:
            for erreur in analyse.erreurs:
                self.stderr.write(f"  {erreur}")
            raise CommandError(f"{len(analyse.erreurs)} erreur(s) dans {chemin.name} : rien n'a été importé.")
        self.stdout.write(
            f"{chemin.name} : {len(analyse.a_ecrire)} ligne(s) à écrire, {analyse.nb_inchangees} inchangée(s), "
            f"{len(analyse.non_importees)} non importée(s) (années verrouillées), {analyse.vides} vide(s) ignorée(s)."
        )
        for ligne in analyse.a_ecrire + analyse.non_importees:
            self.stdout.write(f"  ligne {ligne.ligne} ({ligne.changement}) : {ligne.description}")
        if dry_run:
            self.stdout.write(self.style.WARNING("Simulation (--dry-run) : rien n'a été écrit."))
            return
        try:
            ecrites = analyse_importer(user=user, contrat=contrat, analyse=analyse)
        except ValidationError as erreur:
            for message in erreur.messages:
                self.stderr.write(f"  {message}")
            raise CommandError("Import refusé : rien n'a été importé.") from erreur
        self.stdout.write(self.style.SUCCESS(f"Import terminé : {ecrites} ligne(s) enregistrée(s)."))
