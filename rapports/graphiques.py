"""Graphiques SVG (pygal) des rapports et de la page du contrat : rendus en chaîne, insérés tels quels dans le HTML
et le PDF. Aucun script ni ressource externe : la page et le PDF restent lisibles sur un réseau fermé."""

import re
import sys
from decimal import Decimal

import pygal
from django.utils.safestring import mark_safe
from pygal.style import Style

from commun.formats import euros, nombre

# pygal ajoute à sys.meta_path un chercheur sans find_spec (pour ses cartes, inutilisées ici) : tout import
# introuvable ensuite (dépendance facultative d'une autre bibliothèque) lève alors un ImportWarning, une erreur
# sous filterwarnings = error. On le retire.
sys.meta_path[:] = [chercheur for chercheur in sys.meta_path if not isinstance(chercheur, pygal.PluginImportFixer)]

POLICE = "DejaVu Sans, sans-serif"
STYLE = Style(
    font_family=POLICE,
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#212529",
    foreground_strong="#212529",
    foreground_subtle="#6c757d",
    colors=("#1f4e79", "#7aa6c2", "#c55a11", "#548235", "#7f6000", "#7030a0"),
    title_font_size=15,
    label_font_size=11,
    major_label_font_size=11,
    legend_font_size=12,
    value_font_size=10,
)
LARGEUR = 760
_ID_INTERACTION = re.compile(r' id="activate-serie-[0-9]+"')
# pygal écrit sa configuration dans un <script> même sans script externe : inutile ici, et une page sans script
# en ligne reste compatible avec une politique de sécurité stricte. Le texte d'un élément XML sérialisé ne
# contient jamais « < » (échappé), d'où [^<]*.
_SCRIPT = re.compile(r"<script[^>]*>[^<]*</script>")
_TITRE_GRADUATION = re.compile(r"(</text>)<title>[^<]*</title>")


def _config(**options) -> dict:
    return {
        "style": STYLE,
        "js": [],  # pas de script d'infobulles chargé depuis Internet
        "disable_xml_declaration": True,
        "explicit_size": False,  # viewBox seul : le SVG prend la largeur de son conteneur (page web ou PDF)
        "width": LARGEUR,
        "legend_at_bottom": True,
        "truncate_legend": -1,
        "pretty_print": False,
        "no_data_text": "Aucune donnée",
        **options,
    }


def _svg(graphique) -> str:
    # pygal sérialise par ElementTree : libellés et valeurs y sont échappés, le SVG s'insère tel quel.
    # Les identifiants « activate-serie-N » ne servent qu'au script d'interaction, absent ici ; répétés d'un
    # graphique à l'autre, ils feraient des ancres en double dans la page et le PDF.
    # Les bulles (<title>) des graduations reprennent la position formatée comme une valeur (« 0 % » pour le libellé
    # d'un indicateur) : sans objet dans un dessin fixe, et trompeuses pour une année non saisie. Retirées.
    svg = _ID_INTERACTION.sub("", graphique.render(is_unicode=True))
    return mark_safe(_TITRE_GRADUATION.sub(r"\1", _SCRIPT.sub("", svg)))


def _court(texte: str, longueur: int = 48) -> str:
    return texte if len(texte) <= longueur else texte[: longueur - 1].rstrip() + "…"


def graphique_execution(budgets, titre: str = "Exécution budgétaire") -> str:
    """Par année : prévu (montants en vigueur), engagé, réalisé ; « » si aucun montant (rien à dessiner). Une année
    dont l'exécution n'est pas saisie n'a pas de barre engagé ni réalisé (jamais une barre à 0)."""
    if not any(b.prevu.total or b.engage.total or b.realise.total for b in budgets):
        return ""
    # L'axe commence à « 0 » (sans unité) : aucun « 0 € » ne peut passer pour le montant d'une année non saisie.
    graphique = pygal.Bar(
        **_config(height=320, title=titre, value_formatter=lambda v: euros(Decimal(str(v))) if v else "0")
    )
    graphique.x_labels = [str(b.annee) for b in budgets]
    graphique.add("Prévu (en vigueur)", [float(b.prevu.total) for b in budgets])
    graphique.add("dont État", [float(b.prevu.etat) for b in budgets])
    graphique.add("Engagé", [float(b.engage_total) if b.saisi else None for b in budgets])
    graphique.add("Réalisé", [float(b.realise_total) if b.saisi else None for b in budgets])
    return _svg(graphique)


def graphique_indicateurs(
    indicateurs, annees, titre: str = "Taux d'atteinte des cibles (%)", hauteur_barre: int = 22
) -> str:
    """Par indicateur et par année : valeur atteinte rapportée à la cible ; « » si aucun taux n'est calculable.
    Un indicateur qualitatif n'a pas de taux : il n'y figure pas (son appréciation est dans la matrice)."""
    indicateurs = [i for i in reversed(indicateurs) if not i.indicateur.est_qualitatif]
    graphique = pygal.HorizontalBar(
        **_config(
            height=140 + hauteur_barre * max(len(indicateurs), 1) * max(len(annees), 1),
            title=titre,
            value_formatter=lambda v: f"{nombre(Decimal(str(round(v))))} %" if v else "0",
        )
    )
    graphique.x_labels = [f"{i.repere} {_court(i.indicateur.libelle)}" for i in indicateurs]
    series = {
        annee: [
            float(round(i.mesures[rang].taux * 100, 1)) if i.mesures[rang].taux is not None else None
            for i in indicateurs
        ]
        for rang, annee in enumerate(annees)
    }
    if all(valeur is None for valeurs in series.values() for valeur in valeurs):
        return ""  # rien à dessiner : le gabarit le dit en toutes lettres
    for annee, valeurs in series.items():
        graphique.add(str(annee), valeurs)
    return _svg(graphique)
