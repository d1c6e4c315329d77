"""Les graphiques SVG (pygal) de la page du contrat : insérés en ligne, sans script ni ressource externe, en un
nombre fixe de requêtes."""

import re
from decimal import Decimal

from django.urls import reverse

from contrats.models import Contrat
from finances.enums import Financeur
from finances.models import Execution
from tests.conftest import CLS


def test_page_du_contrat_montre_les_graphiques(connecte):
    Execution.objects.create(
        action=Contrat.objects.get(slug=CLS).actions.get(numero="1"),
        annee=2024,
        financeur=Financeur.ETAT,
        engage=Decimal("60000"),
        realise=Decimal("52000"),
    )
    page = connecte("lecteur").get(reverse("pilotage:contrat", args=[CLS])).content.decode()
    debut = page.index('id="graphiques"')
    section = page[debut : page.index("</section>", debut)]
    assert "Exécution budgétaire et atteinte des cibles" in section
    # Aucune valeur saisie : pas de graphique d'atteinte, une phrase le dit ; celui de l'exécution est dessiné deux
    # fois, pour les écrans et pour les téléphones (l'un ou l'autre affiché).
    assert section.count("<svg") == 2
    assert "Aucun taux d'atteinte n'est encore calculable pour les 11 indicateurs" in section
    assert "52\u202f000\u00a0€" in section  # le réalisé 2024, dans les données du graphique
    assert "<script" not in section
    assert not re.search(r'(href|src)="(https?:)?//', section)
    assert reverse("rapports:liste", args=[CLS]) in section
    assert "VARIABLE_INCONNUE" not in page


def test_un_libelle_hostile_reste_du_texte():
    from types import SimpleNamespace

    from rapports.graphiques import graphique_indicateurs
    from rapports.selectors import IndicateurRapport, Mesure

    cible = SimpleNamespace(nd=False, valeur=Decimal("10"))
    indicateur = IndicateurRapport(
        indicateur=SimpleNamespace(libelle='<script>alert("x")</script>', portee="local", est_qualitatif=False),
        repere="1.a",
        mesures=[
            Mesure(
                2024,
                cible,
                SimpleNamespace(valeur=Decimal("5"), commentaire=""),
                indicateur=SimpleNamespace(est_qualitatif=False),
            )
        ],
        trajectoire=[(2024, cible)],
    )
    svg = graphique_indicateurs([indicateur], [2024])
    assert "<script" not in svg and "&lt;script&gt;" in svg and "50 %" in svg


def _indicateur(repere, taux_par_annee):
    """Un indicateur chiffré dont la cible vaut 100 chaque année et la valeur, le taux voulu (None : non saisie)."""
    from types import SimpleNamespace

    from rapports.selectors import IndicateurRapport, Mesure

    cible = SimpleNamespace(nd=False, valeur=Decimal("100"))
    mesures = [
        Mesure(
            annee,
            cible,
            None if taux is None else SimpleNamespace(valeur=Decimal(taux), commentaire=""),
            indicateur=SimpleNamespace(est_qualitatif=False),
        )
        for annee, taux in taux_par_annee.items()
    ]
    return IndicateurRapport(
        indicateur=SimpleNamespace(libelle=f"Indicateur {repere}", portee="local", est_qualitatif=False),
        repere=repere,
        mesures=mesures,
        trajectoire=[(annee, cible) for annee in taux_par_annee],
    )


def test_graphique_des_taux_sans_annee_vide_ni_graduation_coupee():
    from rapports.graphiques import annees_sans_taux, graphique_indicateurs

    annees = [2024, 2025, 2026, 2027]
    indicateurs = [
        _indicateur("1.a", {2024: "110", 2025: "95", 2026: None, 2027: None}),
        _indicateur("1.b", {2024: "80", 2025: None, 2026: None, 2027: None}),
    ]
    textes = re.findall(r"<text[^>]*>([^<]*)</text>", graphique_indicateurs(indicateurs, annees))
    # Légende : les seules années qui ont un taux ; les autres sont dites sous le graphique (annees_sans_taux).
    assert "2024" in textes and "2025" in textes and "2026" not in textes and "2027" not in textes
    assert annees_sans_taux(indicateurs, annees) == [2026, 2027]
    # Les graduations sont écrites en entier (« 100 % », « 125 % »), jamais coupées (« 100… »).
    graduations = [t.replace("\u202f", " ").replace("\u00a0", " ") for t in textes if t.endswith("%")]
    assert graduations[-2:] == ["100 %", "125 %"] and not any("…" in t for t in textes)
