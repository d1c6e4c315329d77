"""L'aperçu d'un rapport dit en tête son état réel : transmis (quand, à qui, comment, par qui, et le lien vers la
version transmise), figé mais pas encore transmis, ou à figer. Une fois une version transmise, la liste de contrôle
et le bouton « Figer » ne sont plus proposés qu'en second, repliés, pour une nouvelle version (que le produit permet
de figer, mais pas de transmettre : une seule version d'un document est transmise)."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from contrats.enums import TypeEcheance
from contrats.models import Contrat, Echeance
from rapports.enums import MoyenTransmission, TypeRapport
from tests.conftest import CLS
from tests.outils import normaliser, page
from tests.rapports.factories import VersionRapportFactory

APERCU = reverse("rapports:apercu", args=[CLS, "mi-parcours"])


def _texte(html: str) -> str:
    return normaliser(re.sub(r"<[^>]+>", " ", html))


def _en_tete(html: str) -> str:
    """Ce qu'on lit avant le corps du rapport (« Parties au contrat »)."""
    return _texte(html[html.index("<h1") : html.index('id="titre-parties"')])


@pytest.fixture
def cls():
    return Contrat.objects.get(slug=CLS)


@pytest.fixture
def secretariat():
    return get_user_model().objects.get(username="secretariat")


def _transmise(cls, secretariat):
    return VersionRapportFactory(
        contrat=cls,
        type=TypeRapport.MI_PARCOURS,
        annee=2024,
        auteur=secretariat,
        cree_le=timezone.make_aware(datetime.datetime(2026, 3, 23, 10, 0)),
        transmise=True,
        transmise_le=datetime.date(2026, 3, 24),
        transmise_par=secretariat,
        destinataire="Préfet de la Côte-d'Or",
        moyen=MoyenTransmission.ACTES,
    )


def test_document_a_figer_la_liste_de_controle_et_le_bouton_en_tete(connecte, cls):
    echeance = Echeance.objects.filter(contrat=cls, type=TypeEcheance.RAPPORT_MI_PARCOURS).order_by("date").first()
    en_tete = _en_tete(page(connecte("secretariat").get(APERCU)))
    assert f"à transmettre au préfet au plus tard le {echeance.date.day} " in en_tete
    assert "Avant de figer pour transmission" in en_tete and "Figer pour transmission (PDF/A)" in en_tete
    assert "Transmis au préfet" not in en_tete and "Version figée" not in en_tete


def test_version_transmise_l_etat_reel_en_tete_et_figer_seulement_en_second(connecte, cls, secretariat):
    version = _transmise(cls, secretariat)
    VersionRapportFactory(contrat=cls, type=TypeRapport.ANNUEL, annee=2024)  # un autre document : sans effet ici
    html = page(connecte("secretariat").get(APERCU))
    en_tete = _en_tete(html)

    assert "transmis au préfet le 24 mars 2026 (échéance : " in en_tete
    assert "à transmettre au préfet au plus tard" not in en_tete
    assert (
        "Transmis au préfet le 24 mars 2026 Version figée le 23/03/2026 à 10:00 par Sacha Essai, "
        "Dijon métropole, transmise le 24/03/2026 à Préfet de la Côte-d'Or par dépôt sur @ctes (contrôle de "
        "légalité) ; transmission enregistrée par Sacha Essai, Dijon métropole."
    ) in en_tete
    lien = reverse("rapports:version", args=[CLS, version.pk])
    assert f'href="{lien}" download>Télécharger la version transmise (PDF/A)</a>' in html
    # Ni « prêt à figer » ni bouton « Figer pour transmission » en tête : seulement, replié et après l'état réel,
    # de quoi figer une nouvelle version, qui ne pourra pas être transmise.
    assert "Avant de figer pour transmission" not in en_tete and "Figer pour transmission" not in en_tete
    assert html.index('id="etat-document"') < html.index('<details id="preparation"')
    assert "Figer une nouvelle version de ce document" in en_tete
    assert "ne pourrait pas être transmise : une seule version d'un document est transmise" in en_tete

    # Qui ne peut pas figer lit l'état, sans liste de contrôle ni formulaire.
    html = page(connecte("ddets").get(APERCU))
    assert "Transmis au préfet le 24 mars 2026" in _en_tete(html)
    assert 'id="preparation"' not in html and "Avant de figer" not in html


def test_version_figee_pas_encore_transmise(connecte, cls, secretariat):
    version = VersionRapportFactory(
        contrat=cls, type=TypeRapport.MI_PARCOURS, annee=2024, auteur=secretariat,
        cree_le=timezone.make_aware(datetime.datetime(2026, 3, 23, 10, 0)),
    )  # fmt: skip
    html = page(connecte("secretariat").get(APERCU))
    en_tete = _en_tete(html)
    assert "Version figée, pas encore transmise" in en_tete
    assert "Version figée le 23/03/2026 à 10:00 par Sacha Essai" in en_tete
    assert "sa transmission au préfet n'est pas enregistrée" in en_tete
    assert reverse("rapports:version_transmise", args=[CLS, version.pk]) in html
    assert "à transmettre au préfet au plus tard le" in en_tete  # l'échéance court toujours
    assert "Avant de figer une nouvelle version" in en_tete and "Figer une nouvelle version (PDF/A)" in en_tete
