"""Le PDF d'un rapport en cache sur l'empreinte des données qu'il montre : un second téléchargement ne remet pas le
document en page ; une valeur saisie (une donnée modifiée) le fait remettre en page ; une version figée n'est jamais
servie depuis le cache."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from contrats.models import Contrat
from tests.conftest import CLS
from tests.outils import indicateur, saisir


@pytest.fixture(autouse=True)
def cache_vide():
    cache.clear()
    yield
    cache.clear()  # les données du test sont annulées : leurs versions ne doivent pas servir au test suivant


def test_second_telechargement_servi_depuis_le_cache_et_valeur_saisie_invalide(
    connecte, pdf_factice, django_capture_on_commit_callbacks
):
    client = connecte("ddets")
    adresse = reverse("rapports:pdf", args=[CLS, "annuel-2025"])
    with django_capture_on_commit_callbacks(execute=True):
        premier = client.get(adresse)
    assert len(pdf_factice) == 1
    with django_capture_on_commit_callbacks(execute=True):
        second = client.get(adresse)
    assert len(pdf_factice) == 1, "le second téléchargement a remis le document en page"
    assert second.content == premier.content and second["Content-Type"] == "application/pdf"

    cls = Contrat.objects.get(slug=CLS)
    with django_capture_on_commit_callbacks(execute=True):
        saisir(cls, 2025, {indicateur(cls, "1"): ("455", "")}, {})
    with django_capture_on_commit_callbacks(execute=True):
        troisieme = client.get(adresse)
    assert len(pdf_factice) == 2, "une valeur saisie n'a pas remis le document en page"
    assert troisieme.content != premier.content
    # Un autre document du même contrat a sa propre entrée.
    with django_capture_on_commit_callbacks(execute=True):
        client.get(reverse("rapports:pdf", args=[CLS, "mi-parcours"]))
    assert len(pdf_factice) == 3


def test_version_figee_jamais_depuis_le_cache(connecte, pdf_factice, django_capture_on_commit_callbacks):
    client = connecte("secretariat")
    with django_capture_on_commit_callbacks(execute=True):
        client.get(reverse("rapports:pdf", args=[CLS, "annuel-2025"]))
        client.post(
            reverse("rapports:figer", args=[CLS, "annuel-2025"]),
            {"confirmer": "on", "reserve": "Essai : version figée avant la fin de la saisie."},
        )
    # La version figée est mise en page à part (PDF/A), pas reprise du cache de la variante normale.
    assert [archivage for _, archivage in pdf_factice] == [False, True]
