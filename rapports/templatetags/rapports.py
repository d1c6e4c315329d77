from django import template
from django.template.loader import render_to_string

from commun.cache import cle, en_cache
from indicateurs.selectors import ATTEINT, NON_ATTEINT, PARTIELLEMENT_ATTEINT
from rapports.graphiques import (
    LARGEUR_PAGE,
    LARGEUR_TELEPHONE,
    annees_sans_taux,
    graphique_execution,
    graphique_indicateurs,
)
from rapports.redaction import date_longue as formater_date
from rapports.redaction import organe_nom
from rapports.selectors import graphiques_contrat_donnees

register = template.Library()


@register.filter
def classe_atteinte(atteinte):
    return {ATTEINT: "atteint", PARTIELLEMENT_ATTEINT: "partiellement-atteint", NON_ATTEINT: "non-atteint"}.get(
        atteinte, "nd"
    )


def _graphiques_contrat_html(contrat) -> str:
    budgets, indicateurs = graphiques_contrat_donnees(contrat)
    return render_to_string(
        "rapports/_graphiques.html",
        {
            "contrat": contrat,
            "budgets": budgets,
            # Deux dessins de chaque graphique : l'un pour les écrans, l'autre pour les téléphones (le gabarit montre
            # l'un ou l'autre), chacun à une largeur où son texte reste lisible.
            "svg_execution": graphique_execution(
                budgets, titre="Exécution budgétaire par année", largeur=LARGEUR_PAGE, hauteur=300
            ),
            "svg_execution_telephone": graphique_execution(
                budgets, titre="Exécution budgétaire par année", largeur=LARGEUR_TELEPHONE, hauteur=300
            ),
            "svg_indicateurs": graphique_indicateurs(
                indicateurs, contrat.annees, hauteur_barre=10, largeur=LARGEUR_PAGE, longueur_libelle=36
            ),
            "svg_indicateurs_telephone": graphique_indicateurs(
                indicateurs, contrat.annees, hauteur_barre=10, largeur=LARGEUR_TELEPHONE, longueur_libelle=18
            ),
            "annees_sans_taux": annees_sans_taux(indicateurs, contrat.annees),
            "execution_saisie": any(b.saisi for b in budgets),
            "nb_indicateurs": len(indicateurs),
            "indicateurs": [i for i in indicateurs if not i.indicateur.est_qualitatif],
            "annees": contrat.annees,
        },
    )


@register.simple_tag
def graphiques_contrat(contrat):
    """Les graphiques de la page du contrat (exécution budgétaire, atteinte des cibles) : dessinés une fois par
    version des données du contrat (commun/cache.py), jamais à chaque affichage ; cinq requêtes quand il faut les
    dessiner, quelle que soit la taille du contrat."""
    return en_cache(cle("graphiques-page", contrat), lambda: _graphiques_contrat_html(contrat))


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
