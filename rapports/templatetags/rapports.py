from django import template

from rapports.graphiques import graphique_execution, graphique_indicateurs
from rapports.redaction import date_longue as formater_date
from rapports.redaction import organe_nom
from rapports.selectors import ATTEINT, NON_ATTEINT, graphiques_contrat_donnees

register = template.Library()


@register.filter
def classe_atteinte(atteinte):
    return {ATTEINT: "atteint", NON_ATTEINT: "non-atteint"}.get(atteinte, "nd")


@register.inclusion_tag("rapports/_graphiques.html")
def graphiques_contrat(contrat):
    """Les graphiques de la page du contrat (exécution budgétaire, atteinte des cibles) : cinq requêtes, quelle que
    soit la taille du contrat."""
    budgets, indicateurs = graphiques_contrat_donnees(contrat)
    return {
        "contrat": contrat,
        "budgets": budgets,
        "svg_execution": graphique_execution(budgets, titre="Exécution budgétaire par année"),
        "svg_indicateurs": graphique_indicateurs(indicateurs, contrat.annees, hauteur_barre=10),
        "nb_indicateurs": len(indicateurs),
    }


@register.filter
def date_longue(date):
    """« 1er janvier 2024 », « 31 décembre 2025 »."""
    return formater_date(date) if date else ""


@register.filter
def nom_organe(deliberation):
    """« Conseil métropolitain », « Bureau métropolitain »… d'une délibération."""
    return organe_nom(deliberation.organe, deliberation.organisation)


@register.filter
def pluriel(nombre, suffixe="s"):
    """Pluriel à la française : 0 et 1 au singulier (« 0 cible atteinte »), dès 2 au pluriel."""
    return suffixe if abs(nombre or 0) >= 2 else ""


@register.filter
def abrege(texte, longueur=600):
    """Un texte de fiche résumé pour le rapport : coupé à une fin de ligne ou de mot, jamais au milieu d'un mot."""
    texte = (texte or "").strip()
    if len(texte) <= longueur:
        return texte
    coupe = texte[:longueur]
    fin = max(coupe.rfind("\n"), coupe.rfind(" "))
    return coupe[: fin if fin > longueur // 2 else longueur].rstrip(" ,;:") + " […]"
