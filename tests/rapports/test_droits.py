"""Chaque adresse des rapports, pour chaque compte de démonstration : lecture pour toute partie au contrat,
transmission et vote pour le secrétariat du conseil et l'administrateur, 404 hors territoire, connexion sinon.
La mise en page WeasyPrint est remplacée (pdf_factice) : ces tests portent sur les droits, pas sur le PDF."""

import pytest
from django.urls import get_resolver, reverse

from contrats.models import Contrat
from rapports.cles import cles_du_contrat
from rapports.models import DeliberationRapport, VersionRapport
from tests.conftest import CALPAE, CLS, CONTRAT_DE_VILLE
from tests.outils import CONNEXION, ROLES, attendu_ecriture, attendu_lecture, client_pour, verifier

TRANSMETTENT = {"admin", "secretariat"}
lecture = attendu_lecture


def transmission(role, slug):
    return attendu_ecriture(role, slug, TRANSMETTENT)


def post_seulement(role, slug):
    return CONNEXION if role == "anonyme" else 405


def cas(versions):
    """(nom d'URL, méthode, réponse attendue selon rôle et contrat, arguments)."""
    for slug in (CLS, CALPAE, CONTRAT_DE_VILLE):
        contrat = Contrat.objects.get(slug=slug)
        yield "rapports:liste", "get", lecture, [slug]
        for cle in cles_du_contrat(contrat):
            if cle.annee not in (None, contrat.annee_debut):
                continue  # une année suffit
            yield "rapports:apercu", "get", lecture, [slug, str(cle)]
            yield "rapports:pdf", "get", lecture, [slug, str(cle)]
            yield "rapports:figer", "post", transmission, [slug, str(cle)]
            yield "rapports:figer", "get", post_seulement, [slug, str(cle)]
            if cle.est_deliberation:
                yield "rapports:vote", "get", transmission, [slug, str(cle)]
                yield "rapports:vote", "post", transmission, [slug, str(cle)]
        yield "rapports:version", "get", lecture, [slug, versions[slug].pk]
        yield "rapports:version_transmise", "post", transmission, [slug, versions[slug].pk]
        yield "rapports:version_transmise", "get", transmission, [slug, versions[slug].pk]
    # Pas de mi-parcours pour un contrat d'un an (2020), ni d'année hors du contrat : 404 pour tous.
    introuvable = lambda role, slug: CONNEXION if role == "anonyme" else 404  # noqa: E731
    yield "rapports:pdf", "get", introuvable, [CALPAE, "mi-parcours"]
    yield "rapports:apercu", "get", introuvable, [CALPAE, "deliberation-mi-parcours"]
    yield "rapports:pdf", "get", introuvable, [CLS, "annuel-2031"]
    yield "rapports:vote", "get", introuvable, [CLS, "deliberation-annuel-2019"]


@pytest.fixture
def versions():
    """Une version figée par contrat (octets quelconques) pour les adresses de téléchargement."""
    resultat = {}
    for slug in (CLS, CALPAE, CONTRAT_DE_VILLE):
        contrat = Contrat.objects.get(slug=slug)
        resultat[slug] = VersionRapport.objects.create(
            contrat=contrat, type="annuel", annee=contrat.annee_debut, pdf=b"%PDF-1.7", sha256="0" * 64, taille=8
        )
    return resultat


@pytest.mark.parametrize("role", ROLES)
def test_chaque_adresse_des_rapports_respecte_les_droits(role, versions, pdf_factice):
    client = client_pour(role)
    avant = (VersionRapport.objects.count(), DeliberationRapport.objects.count())
    for nom, methode, attendu, args in cas(versions):
        url = reverse(nom, args=args)
        reponse = getattr(client, methode)(url, {} if methode == "post" else None)
        description = f"{role} {methode.upper()} {url}"
        verifier(reponse, attendu(role, args[0]), description)
        code = reponse.status_code
        if code == 200 and methode == "get" and nom == "rapports:pdf":
            assert reponse["Content-Type"] == "application/pdf"
        if code == 200 and nom != "rapports:version":
            assert b"VARIABLE_INCONNUE" not in reponse.content, description
    # Chaque document de chaque contrat a été composé sans variable inconnue dans son gabarit.
    assert all("VARIABLE_INCONNUE" not in html for html, _ in pdf_factice)
    # Aucun refus n'écrit rien ; un formulaire vide non plus (figer sans confirmation, vote ou transmission vides).
    assert (VersionRapport.objects.count(), DeliberationRapport.objects.count()) == avant
    assert not VersionRapport.objects.filter(transmise=True).exists()


def test_toutes_les_adresses_des_rapports_sont_parcourues(versions):
    noms_testes = {nom for nom, *_ in cas(versions)}
    resolver = get_resolver()
    noms = {
        f"rapports:{motif.name}"
        for inclusion in resolver.url_patterns
        if getattr(inclusion, "namespace", None) == "rapports"
        for motif in inclusion.url_patterns
    }
    assert noms and noms == noms_testes
