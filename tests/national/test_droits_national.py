"""Le parcours des droits de la vue nationale sur le jeu synthétique (13 contrats dans 13 régions) et les contrats de
Dijon : chaque adresse /national/ et la page de rattachement, pour chaque compte de démonstration. La préfecture de
région ne lit que sa région ; une DDETS, que son département ; l'agent d'un autre territoire, rien."""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from contrats.models import Contrat
from national.jeu import PREFIXE, jeu_national_generer
from referentiel.enums import Region
from referentiel.models import IndicateurNational
from tests.outils import CONNEXION, ROLES, client_pour, page, verifier

LECTEURS = {"admin", "national", "region", "ddets"}


@pytest.fixture
def jeu():
    jeu_national_generer(nombre=13)
    synthetiques = Contrat.objects.filter(slug__startswith=PREFIXE)
    en_vigueur = Contrat.objects.filter(annee_debut__lte=2025, annee_fin__gte=2025)  # ?annee=2025
    tous = set(en_vigueur.values_list("titre", flat=True))
    attendus = {
        "admin": tous,
        "national": tous,
        "region": set(en_vigueur.filter(collectivite__region=Region.BOURGOGNE_FRANCHE_COMTE).values_list(
            "titre", flat=True)),
        "ddets": set(en_vigueur.filter(departement="21").values_list("titre", flat=True)),
    }  # fmt: skip
    assert len(attendus["ddets"]) == 1 and len(attendus["region"]) > len(attendus["ddets"])
    hors_bfc = synthetiques.exclude(collectivite__region=Region.BOURGOGNE_FRANCHE_COMTE).first()
    en_bfc = synthetiques.filter(collectivite__region=Region.BOURGOGNE_FRANCHE_COMTE).first()
    return attendus, tous, hors_bfc, en_bfc


def _titres_du_classeur(reponse) -> set[str]:
    lignes = [ligne[0].value for ligne in load_workbook(BytesIO(reponse.content))["Contrats"].iter_rows()]
    return {titre for titre in lignes[lignes.index("Contrat") + 1 :] if titre}


@pytest.mark.parametrize("role", ROLES)
def test_chaque_adresse_nationale_pour_chaque_compte(role, jeu):
    attendus, tous, hors_bfc, en_bfc = jeu
    client = client_pour(role)
    indicateur = IndicateurNational.objects.order_by("pk").first()
    lire = CONNEXION if role == "anonyme" else 200 if role in LECTEURS else 403
    adresses = {
        "tableau": reverse("national:tableau") + "?annee=2025",
        "xlsx": reverse("national:xlsx") + "?annee=2025",
        "indicateur": reverse("national:indicateur", args=[indicateur.pk]) + "?annee=2025",
        "referentiel": reverse("national:referentiel"),
    }
    for nom, url in adresses.items():
        reponse = client.get(url)
        verifier(reponse, lire, f"{role} {url}")
        if reponse.status_code != 200:
            continue
        if nom == "xlsx":
            assert _titres_du_classeur(reponse) == attendus[role], (role, url)
        elif nom in ("tableau", "indicateur"):
            texte = page(reponse)
            vus = {t for t in tous if t in texte}
            # La page d'un indicateur ne liste que les contrats qui y ont une valeur : jamais un contrat non visible.
            assert vus == attendus[role] if nom == "tableau" else vus <= attendus[role], (role, url, vus)
    modifier = CONNEXION if role == "anonyme" else "ok" if role in {"admin", "national"} else 403
    for url in (reverse("national:indicateur_creer"), reverse("national:indicateur_modifier", args=[indicateur.pk])):
        verifier(client.get(url), modifier, f"{role} GET {url}")

    # Rattachement sur un contrat hors de Bourgogne-Franche-Comté, puis sur un contrat de cette région (hors Côte-d'Or)
    for contrat, voient, rattachent in (
        (hors_bfc, {"admin", "national"}, {"admin", "national"}),
        (en_bfc, {"admin", "national", "region"}, {"admin", "national"}),
    ):
        url = reverse("indicateurs:rattachement", args=[contrat.slug])
        attendu = CONNEXION if role == "anonyme" else 404 if role not in voient else 200 if role in rattachent else 403
        verifier(client.get(url), attendu, f"{role} GET {url}")
        verifier(client.post(url, {}), "ok" if attendu == 200 else attendu, f"{role} POST {url}")
