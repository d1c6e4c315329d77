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
    assert section.count("<svg") == 1  # aucune valeur saisie : pas de graphique d'atteinte, une phrase le dit
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
