"""Règle « parties » : une organisation qu'un article engage (« X s'engage à… », « versera ») est signataire du
contrat ; « le Département » ou « la Région » engagés demandent une collectivité de ce type parmi les signataires."""

import pytest

from coherence.constats import A_VERIFIER
from contrats.enums import RoleSignataire, TypeOrganisation
from contrats.models import Article, Signataire
from tests.coherence.fabrique import citations, constats, contrat_fictif, territoire
from tests.contrats.factories import OrganisationFactory


@pytest.fixture
def contrat():
    return contrat_fictif(territoire("Communauté de Valbrune"))


@pytest.fixture
def passerelles():
    return OrganisationFactory(
        slug="passerelles-du-val", nom="Association Les Passerelles du Val", sigle="APV", type="association"
    )


def _article(contrat, texte, numero="4", titre="Engagements des partenaires"):
    return Article.objects.create(contrat=contrat, ordre=int(numero), numero=numero, titre=titre, texte=texte)


def test_une_organisation_engagee_qui_n_est_pas_signataire(contrat, passerelles):
    phrase = "L'Association Les Passerelles du Val s'engage à tenir une permanence hebdomadaire au centre social."
    _article(contrat, "Chaque partie désigne un référent. " + phrase)
    (constat,) = constats(contrat, "parties.article")
    assert constat.gravite == A_VERIFIER
    assert constat.lieu == "Article 4 – Engagements des partenaires"
    assert constat.message == (
        "L'article engage « Association Les Passerelles du Val », qui n'est pas signataire du contrat."
    )
    engagement, signataires = constat.preuves
    assert engagement.citation == phrase  # la phrase qui engage, seule
    assert signataires.lieu == "Signataires" and "Communauté de Valbrune" in signataires.citation
    assert "Passerelles" not in signataires.citation


def test_une_organisation_engagee_par_son_sigle(contrat, passerelles):
    _article(contrat, "Pour chaque atelier, l'APV versera une participation forfaitaire de 300 euros.")
    (constat,) = constats(contrat, "parties.article")
    assert constat.sujet == "Association Les Passerelles du Val"
    assert "l'APV versera" in citations(constat)[0]


def test_un_meme_article_ne_signale_une_organisation_qu_une_fois(contrat, passerelles):
    _article(
        contrat,
        "L'Association Les Passerelles du Val s'engage à accueillir les familles. "
        "L'Association Les Passerelles du Val s'engage aussi à rendre compte chaque trimestre.",
    )
    assert len(constats(contrat, "parties.article")) == 1


def test_une_organisation_signataire_engagee(contrat, passerelles):
    Signataire.objects.create(contrat=contrat, organisation=passerelles, role=RoleSignataire.PARTENAIRE)
    _article(
        contrat,
        "L'Association Les Passerelles du Val s'engage à tenir une permanence hebdomadaire. "
        "La Communauté de Valbrune s'engage à mettre une salle à sa disposition.",
    )
    assert constats(contrat, "parties.article") == []


def test_une_organisation_nommee_sans_etre_engagee(contrat, passerelles):
    _article(
        contrat,
        "La Communauté de Valbrune s'engage à informer chaque année l'Association Les Passerelles du Val. "
        "L'Association Les Passerelles du Val est consultée sur le programme des ateliers.",
    )
    assert constats(contrat, "parties.article") == []


def test_le_departement_engage_sans_departement_signataire(contrat):
    phrase = "Le Département s'engage à cofinancer les postes de médiateurs à hauteur de 40 %."
    _article(contrat, phrase, numero="5", titre="Financements")
    (constat,) = constats(contrat, "parties.article")
    assert (constat.gravite, constat.lieu, constat.sujet) == (A_VERIFIER, "Article 5 – Financements", "Département")
    assert constat.message == "L'article engage « Département », qui n'est pas signataire du contrat."
    assert citations(constat)[0] == phrase


def test_le_departement_engage_et_signataire(contrat):
    departement = OrganisationFactory(
        slug="departement-fictif-brenne", nom="Département fictif de la Brenne", type=TypeOrganisation.DEPARTEMENT
    )
    Signataire.objects.create(contrat=contrat, organisation=departement, role=RoleSignataire.PARTENAIRE)
    _article(contrat, "Le Département s'engage à cofinancer les postes de médiateurs à hauteur de 40 %.")
    assert constats(contrat, "parties.article") == []


def test_un_departement_nomme_n_est_pas_signale_deux_fois(contrat):
    OrganisationFactory(
        slug="departement-fictif-brenne", nom="Département fictif de la Brenne", type=TypeOrganisation.DEPARTEMENT
    )
    _article(contrat, "Le Département fictif de la Brenne s'engage à cofinancer les postes de médiateurs.")
    (constat,) = constats(contrat, "parties.article")
    assert constat.sujet == "Département fictif de la Brenne"


def test_la_region_engagee_sans_region_signataire(contrat):
    _article(contrat, "La Région financera les formations qualifiantes des adultes relais.")
    (constat,) = constats(contrat, "parties.article")
    assert constat.sujet == "Région"


def test_une_organisation_en_complement_avant_le_sujet_n_est_pas_engagee(contrat, passerelles):
    _article(
        contrat,
        "En lien avec l'Association Les Passerelles du Val, la Communauté de Valbrune s'engage à ouvrir deux lieux "
        "d'accueil.",
    )
    assert constats(contrat, "parties.article") == []
