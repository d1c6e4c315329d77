"""Page d'exécution, telle qu'on la lit : un exercice sans versement dit « aucun versement » (jamais « 0 € ») ; une
justification enregistrée se lit en entier ; les tableaux larges défilent dans leur cadre."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from actions.models import Action
from contrats.models import Contrat
from finances.models import Execution, Versement
from tests.conftest import CLS
from tests.outils import normaliser, page

JUSTIFICATION = (
    "Poste de conseiller d'insertion vacant de janvier à avril 2024 (recrutement infructueux) ; les crédits non "
    "consommés financent la montée en charge de 2025. Présenté au dialogue de gestion du 6 mars 2025."
)


def _section(html: str, identifiant: str) -> str:
    debut = html.index(f'id="{identifiant}"')
    return html[debut : html.index("</section>", debut)]


def _texte(html: str) -> str:
    return normaliser(re.sub(r"<[^>]+>", " ", html))


def _lignes_versements(html: str) -> dict[str, list[str]]:
    """Le tableau « Versements de l'État » lu ligne à ligne : exercice → [dû, versé, reste à verser]."""
    tableau = _section(html, "versements")
    lignes = {}
    for ligne in re.findall(r"<tr>(.*?)</tr>", tableau.split("<tbody>")[1], flags=re.S):
        cellules = [_texte(c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", ligne, flags=re.S)]
        lignes[cellules[0]] = cellules[1:]
    return lignes


@pytest.fixture
def cls():
    return Contrat.objects.get(slug=CLS)


def test_un_exercice_sans_versement_dit_aucun_versement_jamais_zero(connecte, cls):
    html = page(connecte("finances").get(reverse("finances:execution", args=[CLS])))
    assert _lignes_versements(html) == {
        "2024": ["332 500 €", "aucun versement", "332 500 €"],
        "2025": ["350 000 €", "aucun versement", "350 000 €"],
        "2026": ["350 000 €", "aucun versement", "350 000 €"],
        "2027": ["350 000 €", "aucun versement", "350 000 €"],
    }
    assert "Aucun versement enregistré." in _texte(_section(html, "versements"))

    Versement.objects.create(contrat=cls, date=datetime.date(2024, 7, 2), annee=2024, montant=Decimal("332500"))
    lignes = _lignes_versements(page(connecte("finances").get(reverse("finances:execution", args=[CLS]))))
    assert lignes["2024"] == ["332 500 €", "332 500 €", "0 €"]  # tout versé : le reste, lui, est bien nul
    assert lignes["2025"] == ["350 000 €", "aucun versement", "350 000 €"]


def test_la_justification_enregistree_se_lit_en_entier(connecte, cls):
    action = Action.objects.get(contrat=cls, numero="1")
    execution = Execution.objects.create(
        action=action, annee=2024, financeur="etat", engage=65000, realise=40000, justification=JUSTIFICATION
    )
    # Le financier la lit et la corrige dans une zone de texte qui passe à la ligne, avec son texte entier.
    html = page(connecte("finances").get(reverse("finances:execution", args=[CLS])))
    alertes = _section(html, "alertes")
    zone = re.search(rf'<textarea[^>]*id="justif-{execution.pk}"[^>]*>(.*?)</textarea>', alertes, flags=re.S)
    assert zone and zone[1] == JUSTIFICATION
    assert f'<label class="visually-hidden" for="justif-{execution.pk}">' in alertes
    assert "<input" not in alertes.replace('<input type="hidden"', "")  # plus de champ d'une ligne, coupé
    # Le lecteur la lit comme un texte.
    alertes = _section(page(connecte("lecteur").get(reverse("finances:execution", args=[CLS]))), "alertes")
    assert JUSTIFICATION in _texte(alertes) and "<textarea" not in alertes


def test_sous_consommations_et_versements_defilent_dans_leur_cadre(connecte, cls):
    action = Action.objects.get(contrat=cls, numero="1")
    Execution.objects.create(action=action, annee=2024, financeur="etat", engage=65000, realise=40000)
    html = page(connecte("finances").get(reverse("finances:execution", args=[CLS])))
    for section, libelle in (("alertes", "Sous-consommations"), ("versements", "Versements de l'État par exercice")):
        cadre = re.search(r'<div class="table-responsive" tabindex="0" role="region" aria-label="([^"]+)">\s*<table',
                          _section(html, section))  # fmt: skip
        assert cadre and cadre[1].startswith(libelle) and cadre[1].endswith("(défile horizontalement)"), section


def test_la_page_des_versements_dit_aucun_versement_jamais_zero(connecte, cls):
    """La page des versements (dû et versé par pilier et par exercice) dit aussi « aucun versement », comme la page
    d'exécution ; un exercice payé en partie montre son montant versé."""
    url = reverse("finances:versements", args=[CLS])
    texte = _texte(page(connecte("finances").get(url)))
    assert "aucun versement" in texte and "Versé 0 €" not in texte
    assert not re.search(r"\d €\s+0 €\s+\d", texte)  # aucune cellule « Versé » à 0 € entre le dû et le reste

    Versement.objects.create(contrat=cls, date=datetime.date(2024, 7, 2), annee=2024, montant=Decimal("85000"))
    texte = _texte(page(connecte("finances").get(url)))
    assert "332 500 € 85 000 € 247 500 €" in texte  # total de l'exercice 2024 : dû, versé, reste
