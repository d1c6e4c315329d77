"""Vue nationale, telle qu'on la lit : un contrat sans versement dit « aucun versement », une exécution non saisie dit
« non saisi » (ni « 0 € » ni « 0 » sous-consommation), et le classeur dit la même chose que la page ; un seul contrat
« a au moins une action dans chacun de ses axes »."""

import datetime
import re
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from actions.models import Action
from contrats.models import Contrat
from finances.models import Execution, Versement
from referentiel.models import Pilier
from tests.conftest import CLS
from tests.outils import normaliser, page

# Le CLS de Dijon, seul contrat en vigueur en 2025 que voit la préfecture de région ; exercice montré : 2025.
URL = reverse("national:tableau") + "?annee=2025&exercice=2025"
XLSX = reverse("national:xlsx") + "?annee=2025&exercice=2025"


def _texte(html: str) -> str:
    return normaliser(re.sub(r"<[^>]+>", " ", html))


def _section(html: str, identifiant: str) -> str:
    debut = html.index(f'id="{identifiant}"')
    return html[debut : html.index("</section>", debut)]


def _cellules(ligne_html: str) -> list[str]:
    return [_texte(c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", ligne_html, flags=re.S)]


def _lignes(section_html: str) -> list[list[str]]:
    corps = section_html.split("<tbody>")[1]
    return [_cellules(ligne) for ligne in re.findall(r"<tr[^>]*>(.*?)</tr>", corps, flags=re.S)]


def _ligne_du_contrat(html: str, titre: str) -> dict[str, str]:
    section = _section(html, "contrats")
    entetes = _cellules(section.split("<tbody>")[0])
    ligne = next(lu for lu in _lignes(section) if lu[0].startswith(titre))
    return dict(zip(entetes, ligne, strict=True))


def _feuille(classeur, nom: str) -> list[dict]:
    feuille = classeur[nom]
    rangees = [[c.value for c in r] for r in feuille.iter_rows()]
    debut = next(i for i, r in enumerate(rangees) if r[0] in ("Contrat", "Région"))
    return [dict(zip(rangees[debut], r, strict=True)) for r in rangees[debut + 1 :] if r[0]]


@pytest.fixture
def cls():
    return Contrat.objects.get(slug=CLS)


def test_sans_versement_ni_execution_la_page_et_le_classeur_disent_l_absence(connecte, cls):
    client = connecte("region")
    html = page(client.get(URL))

    ligne = _ligne_du_contrat(html, cls.titre)
    assert ligne["Versé"] == "aucun versement"
    assert ligne["Taux d'exécution"] == "non saisi"
    assert ligne["Sous-consommations"] == "non saisi"  # ni « 0 » : l'exécution 2025 n'est pas saisie
    for pilier in _lignes(_section(html, "piliers")):
        assert pilier[3::3] == ["aucun versement"] * 4, pilier  # Versé de 2024 à 2027, et le total
    region = _lignes(_section(html, "regions"))[0]
    assert region[3] == "aucun versement"
    assert "0 €" not in [c for lu in _lignes(_section(html, "piliers")) for c in lu]
    assert "Le contrat a au moins une action dans chacun de ses axes." in _texte(_section(html, "axes-sans-action"))
    assert "leurs axes" not in _texte(_section(html, "axes-sans-action"))

    classeur = load_workbook(BytesIO(client.get(XLSX).content))
    contrats = [lu for lu in _feuille(classeur, "Contrats") if lu["Contrat"] == cls.titre]
    assert {lu["Année"]: (lu["Versé (€)"], lu["Cellules sous-consommées"]) for lu in contrats} == {
        annee: ("aucun versement", "non saisi") for annee in (2024, 2025, 2026, 2027)
    }
    assert {lu["Versé (€)"] for lu in _feuille(classeur, "Piliers")} == {"aucun versement"}
    assert [lu["Versé (€)"] for lu in _feuille(classeur, "Régions")] == ["aucun versement"]


def test_versement_et_execution_saisis_la_page_et_le_classeur_donnent_les_chiffres(connecte, cls):
    pilier3 = Pilier.objects.get(numero=3)
    axe = cls.axes.get(pilier_national=pilier3)
    Versement.objects.create(
        contrat=cls, date=datetime.date(2025, 7, 2), annee=2025, montant=Decimal("160000"), axe=axe
    )
    # 2025 saisie : l'action 1 (État) à 95 %, au-dessus du seuil ; aucune sous-consommation, c'est bien « 0 ».
    action = Action.objects.get(contrat=cls, numero="1")
    Execution.objects.create(action=action, annee=2025, financeur="etat", engage=65000, realise=61750)
    client = connecte("region")
    html = page(client.get(URL))

    ligne = _ligne_du_contrat(html, cls.titre)
    assert ligne["Versé"] == "160 000 €"
    assert ligne["Sous-consommations"] == "0"
    piliers = {lu[0]: lu for lu in _lignes(_section(html, "piliers"))}
    assert piliers[str(pilier3)][6] == "160 000 €"  # 2025, versé
    assert piliers[str(pilier3)][3] == "aucun versement"  # 2024 : rien de versé
    assert piliers["Total"][6] == "160 000 €"

    classeur = load_workbook(BytesIO(client.get(XLSX).content))
    contrats = {lu["Année"]: lu for lu in _feuille(classeur, "Contrats") if lu["Contrat"] == cls.titre}
    lus = {annee: (lu["Versé (€)"], lu["Cellules sous-consommées"]) for annee, lu in contrats.items()}
    assert lus[2025] == (160000, 0) and lus[2024] == ("aucun versement", "non saisi")
    piliers = {(lu["Année"], lu["Pilier"]): lu["Versé (€)"] for lu in _feuille(classeur, "Piliers")}
    assert piliers[(2025, str(pilier3))] == 160000 and piliers[(2024, str(pilier3))] == "aucun versement"
