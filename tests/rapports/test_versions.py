"""Versions figées « pour transmission » : les octets envoyés au préfet, téléchargeables à l'identique."""

import hashlib
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from contrats.enums import TypeEcheance
from contrats.models import Contrat, Echeance
from rapports.enums import TypeRapport
from rapports.models import VersionRapport
from tests.conftest import CLS
from tests.outils import indicateur, saisir, texte_page, texte_pdf

FIGER = {"confirmer": "on", "reserve": "Essai"}
TRANSMISSION = {"date": "", "destinataire": "Préfet de la Côte-d'Or", "moyen": "actes", "confirmer": "on"}


@pytest.fixture(autouse=True)
def _date_du_jour():
    TRANSMISSION["date"] = timezone.localdate().strftime("%d/%m/%Y")


@pytest.fixture
def cls():
    return Contrat.objects.get(slug=CLS)


def test_version_transmise_telechargee_a_l_identique_apres_changement_des_donnees(connecte, cls):
    i1 = indicateur(cls, "1")
    saisir(cls, 2024, {i1: ("462", "")}, {})
    client = connecte("secretariat")
    # Rien n'est validé ni exécuté : figer demande la confirmation et un motif, conservés avec la version.
    reponse = client.post(
        reverse("rapports:figer", args=[CLS, "mi-parcours"]),
        {"confirmer": "on", "reserve": "Transmission demandée par la préfecture avant validation."},
        follow=True,
    )
    assert reponse.status_code == 200 and "figé le" in texte_page(reponse)
    version = VersionRapport.objects.get(contrat=cls, type=TypeRapport.MI_PARCOURS)
    assert version.reserve == "Transmission demandée par la préfecture avant validation."
    assert "Suivi 2024 validé par l'État : année en cours de saisie (brouillon)" in version.manques
    octets = bytes(version.pdf)
    assert version.annee == 2024 and version.auteur.username == "secretariat"
    assert version.sha256 == hashlib.sha256(octets).hexdigest() and version.taille == len(octets)
    # Variante d'archivage PDF/A-3B : profil de sortie et identification PDF/A dans les métadonnées XMP.
    lecteur = PdfReader(BytesIO(octets))
    assert version.variante == "pdf/a-3b" and "/OutputIntents" in lecteur.trailer["/Root"]
    assert b"pdfaid:part" in lecteur.trailer["/Root"]["/Metadata"].get_object().get_data()
    assert "450 → 462 (102,7 %)" in texte_pdf(octets)

    texte = texte_pdf(octets)
    assert "Version figée alors que le document n'était pas prêt." in texte
    assert "Motif : Transmission demandée par la préfecture avant validation." in texte

    reponse = client.post(reverse("rapports:version_transmise", args=[CLS, version.pk]), TRANSMISSION, follow=True)
    assert "transmise au préfet le" in texte_page(reponse)
    version.refresh_from_db()
    assert version.transmise and version.transmise_le and version.transmise_par.username == "secretariat"
    assert version.destinataire == "Préfet de la Côte-d'Or" and version.moyen == "actes"
    # L'échéance du rapport à mi-parcours est réalisée, à la date de la transmission.
    echeance = Echeance.objects.get(contrat=cls, type=TypeEcheance.RAPPORT_MI_PARCOURS)
    assert echeance.realisee_le == version.transmise_le

    # Les données changent ensuite : la valeur 2024 est corrigée.
    saisir(cls, 2024, {i1: ("480", "corrigée")}, {})
    telecharge = client.get(reverse("rapports:version", args=[CLS, version.pk]))
    assert telecharge.status_code == 200 and telecharge["Content-Type"] == "application/pdf"
    assert "attachment" in telecharge["Content-Disposition"]
    assert telecharge.content == octets and hashlib.sha256(telecharge.content).hexdigest() == version.sha256
    assert "450 → 462 (102,7 %)" in texte_pdf(telecharge.content)
    # Le document du jour, lui, suit les données.
    assert "450 → 480 (106,7 %)" in texte_pdf(client.get(reverse("rapports:pdf", args=[CLS, "mi-parcours"])).content)

    page = texte_page(connecte("lecteur").get(reverse("rapports:liste", args=[CLS])))
    assert version.sha256 in page
    assert "Rapport d'exécution à mi-parcours 2024-2025" in page and "Transmise" in page
    assert "par Sacha Essai, Dijon métropole" in page  # qui l'a transmise : une personne, pas un identifiant
    assert "Marquer comme transmise" not in page and "Vérifier et figer" not in page  # lecture seule


def test_une_seule_version_transmise_par_document(connecte, cls, pdf_factice):
    client = connecte("admin")
    for _ in range(2):
        client.post(reverse("rapports:figer", args=[CLS, "annuel-2024"]), FIGER)
    premiere, seconde = VersionRapport.objects.filter(contrat=cls).order_by("pk")
    assert pdf_factice[-1][1] is True  # variante d'archivage demandée
    assert premiere.sha256 != seconde.sha256
    client.post(reverse("rapports:version_transmise", args=[CLS, premiere.pk]), TRANSMISSION)
    reponse = client.post(reverse("rapports:version_transmise", args=[CLS, seconde.pk]), TRANSMISSION, follow=True)
    assert "a déjà été transmise" in texte_page(reponse)
    assert list(VersionRapport.objects.filter(contrat=cls, transmise=True)) == [premiere]
    page = texte_page(client.get(reverse("rapports:liste", args=[CLS])))
    assert page.count("Marquer comme transmise au préfet") == 1


def test_version_d_un_autre_contrat_introuvable(connecte, cls, pdf_factice):
    connecte("admin").post(reverse("rapports:figer", args=[CLS, "annuel-2025"]), FIGER)
    version = VersionRapport.objects.get(contrat=cls)
    assert (
        connecte("admin").get(reverse("rapports:version", args=["dijon-calpae-2020", version.pk])).status_code == 404
    )
    assert connecte("lecteur").get(reverse("rapports:version", args=[CLS, version.pk])).status_code == 200


def test_administration_en_lecture_seule(connecte, cls, pdf_factice):
    client = connecte("admin")
    client.post(reverse("rapports:figer", args=[CLS, "annuel-2024"]), FIGER)
    version = VersionRapport.objects.get(contrat=cls)
    for nom in ("rapports_versionrapport", "rapports_deliberationrapport"):
        assert client.get(reverse(f"admin:{nom}_changelist"), {"q": "Dijon"}).status_code == 200
    assert client.get(reverse("admin:rapports_versionrapport_change", args=[version.pk])).status_code == 200
    assert (
        client.post(reverse("admin:rapports_versionrapport_delete", args=[version.pk]), {"post": "yes"}).status_code
        == 403
    )
    assert VersionRapport.objects.filter(pk=version.pk).exists()
