"""Graphiques SVG (pygal) des rapports et de la page du contrat : rendus en chaîne, insérés tels quels dans le HTML
et le PDF. Aucun script ni ressource externe : la page et le PDF restent lisibles sur un réseau fermé."""

import math
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
LARGEUR = 760  # PDF (pleine largeur de la page A4)
# Page du contrat : le SVG prend la largeur de sa colonne ; son texte (11 unités) y est réduit dans le rapport de
# cette largeur à celle du dessin. Une demi-colonne d'écran large (≈ 600 px) reçoit un dessin de 560 unités, un
# téléphone (≈ 330 px) un dessin de 340 : le texte reste à 10-12 px, jamais les 5 px d'un dessin de 760 réduit.
LARGEUR_PAGE = 560
LARGEUR_TELEPHONE = 340
_ID_INTERACTION = re.compile(r' id="activate-serie-[0-9]+"')
# pygal écrit sa configuration dans un <script> même sans script externe : inutile ici, et une page sans script
# en ligne reste compatible avec une politique de sécurité stricte. Le texte d'un élément XML sérialisé ne
# contient jamais « < » (échappé), d'où [^<]*.
_SCRIPT = re.compile(r"<script[^>]*>[^<]*</script>")
_TITRE_GRADUATION = re.compile(r"(</text>)<title>[^<]*</title>")


def _config(largeur: int = LARGEUR, **options) -> dict:
    return {
        "style": STYLE,
        "js": [],  # pas de script d'infobulles chargé depuis Internet
        "disable_xml_declaration": True,
        "explicit_size": False,  # viewBox seul : le SVG prend la largeur de son conteneur (page web ou PDF)
        "width": largeur,
        "legend_at_bottom": True,
        "truncate_legend": -1,
        # pygal coupe les graduations qui lui semblent à l'étroit (« 100… ») : jamais ; leur nombre est choisi ici.
        "truncate_label": -1,
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


def _graduations(maximum: float, nombre: int = 6) -> list[int]:
    """De 0 jusqu'au maximum, au plus `nombre` intervalles d'un pas rond (25, 50, 100, 250, 500, 1 000…) : des
    graduations assez espacées pour être écrites en entier."""
    pas = 25
    while maximum > pas * nombre:
        pas = pas * 5 // 2 if str(pas).startswith("1") else pas * 2
    return list(range(0, max(math.ceil(maximum / pas), 1) * pas + 1, pas))


def graphique_execution(
    budgets, titre: str = "Exécution budgétaire", largeur: int = LARGEUR, hauteur: int = 320
) -> str:
    """Par année : prévu (montants en vigueur), engagé, réalisé ; « » si aucun montant (rien à dessiner). Une année
    dont l'exécution n'est pas saisie n'a pas de barre engagé ni réalisé (jamais une barre à 0) ; si aucune ne l'est,
    ni engagé ni réalisé ne figurent dans la légende."""
    if not any(b.prevu.total or b.engage.total or b.realise.total for b in budgets):
        return ""
    # L'axe commence à « 0 » (sans unité) : aucun « 0 € » ne peut passer pour le montant d'une année non saisie.
    graphique = pygal.Bar(
        **_config(
            largeur,
            height=hauteur,
            title=titre,
            # Sur un téléphone, « Prévu (en vigueur) » et « dont État » ne tiennent pas côte à côte.
            legend_at_bottom_columns=1 if largeur < 400 else None,
            value_formatter=lambda v: euros(Decimal(str(v))) if v else "0",
        )
    )
    graphique.x_labels = [str(b.annee) for b in budgets]
    graphique.add("Prévu (en vigueur)", [float(b.prevu.total) for b in budgets])
    graphique.add("dont État", [float(b.prevu.etat) for b in budgets])
    if any(b.saisi for b in budgets):  # sinon, ni barre ni entrée de légende : rien n'est saisi
        graphique.add("Engagé", [float(b.engage_total) if b.saisi else None for b in budgets])
        graphique.add("Réalisé", [float(b.realise_total) if b.saisi else None for b in budgets])
    return _svg(graphique)


def _taux_par_annee(indicateurs, annees) -> dict[int, list[float | None]]:
    """Les taux d'atteinte (en %) des indicateurs chiffrés, par année, des seules années où au moins un taux est
    calculable : une année sans aucune valeur n'a rien à montrer dans le graphique ni dans sa légende."""
    series = {
        annee: [
            float(round(i.mesures[rang].taux * 100, 1)) if i.mesures[rang].taux is not None else None
            for i in indicateurs
            if not i.indicateur.est_qualitatif
        ]
        for rang, annee in enumerate(annees)
    }
    return {annee: valeurs for annee, valeurs in series.items() if any(v is not None for v in valeurs)}


def annees_sans_taux(indicateurs, annees) -> list[int]:
    """Les années absentes du graphique des taux d'atteinte : aucun taux calculable (valeurs non saisies…)."""
    avec = _taux_par_annee(indicateurs, annees)
    return [annee for annee in annees if annee not in avec]


def graphique_indicateurs(
    indicateurs,
    annees,
    titre: str = "Taux d'atteinte des cibles (%)",
    hauteur_barre: int = 22,
    largeur: int = LARGEUR,
    longueur_libelle: int = 48,
) -> str:
    """Par indicateur et par année : valeur atteinte rapportée à la cible ; « » si aucun taux n'est calculable.
    Un indicateur qualitatif n'a pas de taux : il n'y figure pas (son appréciation est dans la matrice). Seules les
    années qui ont au moins un taux ont une série (et une entrée de légende)."""
    indicateurs = [i for i in reversed(indicateurs) if not i.indicateur.est_qualitatif]
    series = _taux_par_annee(indicateurs, annees)
    if not series:
        return ""  # rien à dessiner : le gabarit le dit en toutes lettres
    maximum = max(v for valeurs in series.values() for v in valeurs if v is not None)
    graphique = pygal.HorizontalBar(
        **_config(
            largeur,
            height=140 + hauteur_barre * max(len(indicateurs), 1) * len(series),
            title=titre,
            value_formatter=lambda v: f"{nombre(Decimal(str(round(v))))} %" if v else "0",
            y_labels=_graduations(maximum, nombre=6 if largeur >= 500 else 3),
        )
    )
    graphique.x_labels = [f"{i.repere} {_court(i.indicateur.libelle, longueur_libelle)}" for i in indicateurs]
    for annee, valeurs in series.items():
        graphique.add(str(annee), valeurs)
    return _svg(graphique)
