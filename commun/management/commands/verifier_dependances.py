"""Les dépendances entre applications vont dans un seul sens : de haut en bas dans COUCHES.

Une application ne dépend que de celles des couches inférieures (imports et clés étrangères écrites en chaîne,
« "contrats.Contrat" », comptées toutes deux). Le graphe est lu dans le code source (ast), sans rien importer."""

import ast
import re
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

# De la plus basse à la plus haute ; une application ne dépend que d'applications placées avant elle.
COUCHES = [
    "commun",
    "referentiel",
    "contrats",
    "comptes",
    "notifications",
    "actions",
    "indicateurs",
    "finances",
    "coherence",
    "rapports",
    "documents",
    "evaluation",
    "pilotage",
    "national",
    "creation",
]
REFERENCE_MODELE = re.compile(r"""^([a-z_]+)\.[A-Z]\w*$""")


def dependances(racine: Path) -> dict[str, dict[str, set[str]]]:
    """application → application dont elle dépend → fichiers où la dépendance apparaît."""
    graphe = {app: {} for app in COUCHES}
    for app in COUCHES:
        for fichier in (racine / app).rglob("*.py"):
            if "migrations" in fichier.parts:
                continue
            arbre = ast.parse(fichier.read_text(encoding="utf-8"))
            for noeud in ast.walk(arbre):
                cibles = []
                if isinstance(noeud, ast.Import):
                    cibles = [alias.name.split(".")[0] for alias in noeud.names]
                elif isinstance(noeud, ast.ImportFrom) and noeud.module and noeud.level == 0:
                    cibles = [noeud.module.split(".")[0]]
                elif isinstance(noeud, ast.Constant) and isinstance(noeud.value, str):
                    trouve = REFERENCE_MODELE.match(noeud.value)
                    cibles = [trouve.group(1)] if trouve else []
                for cible in cibles:
                    if cible in graphe and cible != app:
                        graphe[app].setdefault(cible, set()).add(str(fichier.relative_to(racine)))
    return graphe


class Command(BaseCommand):
    help = "Vérifie que les applications ne dépendent que des couches inférieures (aucun cycle)."

    def handle(self, *args, **options):
        graphe = dependances(Path(settings.BASE_DIR))
        erreurs = []
        for app, cibles in graphe.items():
            for cible, fichiers in sorted(cibles.items()):
                if COUCHES.index(cible) > COUCHES.index(app):
                    erreurs.append(f"{app} dépend de {cible}, placée au-dessus : {', '.join(sorted(fichiers))}")
        if erreurs:
            raise CommandError("Dépendances à rebours :\n" + "\n".join(erreurs))
        for app, cibles in graphe.items():
            self.stdout.write(f"{app} → {', '.join(sorted(cibles)) or '—'}")
