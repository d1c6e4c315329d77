"""Import Excel de l'exécution budgétaire et des valeurs des indicateurs.

Un modèle pré-rempli par contrat (modele) ; un contrôle strict du fichier avant toute lecture : taille, contenu réel
.xlsx, bombes ZIP, DTD (fichier) ; aucune formule acceptée ni évaluée (feuille, cellules) ; un aperçu de chaque
ligne et de chaque erreur, avec sa cellule (validation, contre l'état de la base lu une fois : etat), gardé en
session jusqu'à la confirmation (session) ; les lignes d'une année fermée à la saisie (etat.fermees) y sont dites
« non importées » et n'entrent pas en session ; puis une écriture tout ou rien par finances.services, après avoir
revérifié les lignes contre la base (année verrouillée, version du suivi, valeur modifiée entre-temps). Nombre de
requêtes de lecture fixe, quelle que soit la taille."""

from comptes.rules import PERMISSIONS_IMPORT
from finances.enums import TypeImport
from finances.imports.fichier import fichier_lire
from finances.imports.modele import classeur_modele
from finances.imports.session import Analyse
from finances.imports.validation import classeur_analyser

__all__ = ["Analyse", "classeur_analyser", "classeur_modele", "fichier_lire", "types_autorises"]


def types_autorises(user, contrat) -> list[str]:
    return [
        type_import for type_import in TypeImport.values if user.has_perm(PERMISSIONS_IMPORT[type_import], contrat)
    ]
