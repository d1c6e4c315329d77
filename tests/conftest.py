from pathlib import Path

import pytest
from django.conf import settings

from comptes.services import MOT_DE_PASSE_DEMO, comptes_demo_creer
from pilotage.chargement import donnees_charger

CLS = "dijon-cls-2024-2027"
CALPAE = "dijon-calpae-2020"
CONTRAT_DE_VILLE = "dijon-contrat-de-ville-2019-2022"


def pytest_collection_modifyitems(items):
    for item in items:
        item.add_marker(pytest.mark.django_db)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Les données réelles et les comptes de démonstration, chargés une fois pour toute la session."""
    with django_db_blocker.unblock():
        donnees_charger(dossier=Path(settings.BASE_DIR) / "fixtures")
        comptes_demo_creer()


@pytest.fixture
def connecte(client):
    """client connecté sous un compte de démonstration : connecte("ddets")."""

    def _connecte(identifiant):
        assert client.login(username=identifiant, password=MOT_DE_PASSE_DEMO)
        return client

    return _connecte


@pytest.fixture
def pdf_factice(monkeypatch):
    """Remplace la seule mise en page WeasyPrint (qui ne lit pas la base) par des octets fixes : pour les tests de
    droits et de requêtes, qui n'ont pas besoin d'un vrai PDF. Renvoie la liste des HTML reçus."""
    recus = []

    def html_vers_pdf(html_source, *, archivage=False):
        recus.append((html_source, archivage))
        return b"%PDF-1.7 factice " + str(len(recus)).encode()

    monkeypatch.setattr("rapports.pdf.html_vers_pdf", html_vers_pdf)
    return recus
