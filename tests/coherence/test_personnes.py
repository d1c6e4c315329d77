"""Règle « personnes » : un élu s'écrit de la même façon d'une délibération à l'autre de la même collectivité, et
n'est pas à la fois présent et absent à une même séance."""

import datetime

import pytest

from coherence.constats import A_VERIFIER, ERREUR
from tests.coherence.fabrique import citations, constats, contrat_fictif, territoire
from tests.contrats.factories import DeliberationFactory

PRESENTS = ["Monsieur Hugo PERRIN", "Madame Inès CARVALHO", "Monsieur Bastien LEFORT"]


@pytest.fixture
def contrat():
    return contrat_fictif(territoire("Communauté de Valbrune"))


def _seance(contrat, *, date=datetime.date(2024, 3, 28), presents=(), absents=(), **champs):
    return DeliberationFactory(
        contrat=contrat,
        date=date,
        membres_presents=list(presents),
        membres_absents=[{"nom": nom, "pouvoir_a": pouvoir} for nom, pouvoir in absents],
        **champs,
    )


def _autre_seance(contrat, **champs):
    """Une séance de la même collectivité pour un autre de ses contrats."""
    autre = contrat_fictif(contrat.collectivite, annee_debut=2020, annee_fin=2023)
    return _seance(autre, date=datetime.date(2021, 6, 24), **champs)


# --- Orthographe ---------------------------------------------------------------------------------------------------


def test_deux_ecritures_proches_d_un_meme_nom(contrat):
    _seance(contrat, presents=[*PRESENTS, "Madame Clara VANNIER"])
    _autre_seance(contrat, presents=[*PRESENTS, "Madame Clara VANIER"])
    (constat,) = constats(contrat, "personnes.")
    assert (constat.regle, constat.gravite) == ("personnes.orthographe", A_VERIFIER)
    assert constat.lieu == "Délibérations de Communauté de Valbrune"
    assert constat.message == (
        "Deux écritures proches, peut-être la même personne : « Madame Clara VANIER » et « Madame Clara VANNIER »."
    )
    assert citations(constat) == ["Madame Clara VANIER", "Madame Clara VANNIER"]
    assert [p.document for p in constat.preuves] == [
        "Conseil de Communauté de Valbrune du 24/06/2021",
        "Conseil de Communauté de Valbrune du 28/03/2024",
    ]


def test_une_ecriture_proche_dans_un_autre_role(contrat):
    _seance(contrat, presents=PRESENTS, secretaire="Madame Inès CARVALO")
    (constat,) = constats(contrat, "personnes.orthographe")
    assert [(p.lieu, p.citation) for p in constat.preuves] == [
        ("Présent", "Madame Inès CARVALHO"),
        ("Secrétaire de séance", "Madame Inès CARVALO"),
    ]


def test_les_memes_noms_d_une_seance_a_l_autre(contrat):
    _seance(contrat, presents=PRESENTS, president="Monsieur Hugo PERRIN")
    # Civilité abrégée, capitales, accents : la même écriture.
    _autre_seance(contrat, presents=["M. Hugo Perrin", "Mme Ines Carvalho", "Monsieur Bastien LEFORT"])
    assert constats(contrat, "personnes.") == []


def test_deux_personnes_aux_noms_courts_ne_sont_pas_rapprochees(contrat):
    _seance(contrat, presents=["Madame Léa ROUX", "Monsieur Paul MARTIN", "BONNET"])
    _autre_seance(contrat, presents=["Monsieur Léo ROUX", "Monsieur Paul MARTEL", "BONNOT"])
    assert constats(contrat, "personnes.") == []


def test_les_seances_d_une_autre_collectivite_ne_sont_pas_comparees(contrat):
    _seance(contrat, presents=["Madame Clara VANNIER"])
    ailleurs = contrat_fictif()
    _seance(ailleurs, presents=["Madame Clara VANIER"])
    assert constats(contrat, "personnes.") == []


def test_deux_ecritures_toutes_deux_hors_du_contrat_ne_le_concernent_pas(contrat):
    _seance(contrat, presents=PRESENTS)
    _autre_seance(contrat, presents=["Madame Clara VANNIER"])
    _autre_seance(contrat, presents=["Madame Clara VANIER"], objet="Une autre séance")
    assert constats(contrat, "personnes.") == []


# --- Présence ------------------------------------------------------------------------------------------------------


def test_un_membre_present_et_absent_a_la_meme_seance(contrat):
    seance = _seance(
        contrat, presents=PRESENTS, absents=[("M. Hugo Perrin", "Madame Inès CARVALHO"), ("Madame Zoé ARNAUD", "")]
    )
    (constat,) = constats(contrat, "personnes.")
    assert (constat.regle, constat.gravite) == ("personnes.presence", ERREUR)
    assert constat.lieu == f"Conseil de Communauté de Valbrune du {seance.date:%d/%m/%Y}"
    assert constat.message == (
        "« Monsieur Hugo PERRIN » figure à la fois parmi les absents et parmi ceux qui siègent (présents, présidence, "
        "secrétariat, pouvoirs reçus)."
    )
    assert citations(constat) == ["Monsieur Hugo PERRIN"]


def test_presents_et_absents_distincts(contrat):
    # L'absent donne pouvoir à un présent : rien d'anormal.
    _seance(contrat, presents=PRESENTS, absents=[("Madame Zoé ARNAUD", "Monsieur Hugo PERRIN")])
    assert constats(contrat, "personnes.") == []


def test_present_a_une_seance_absent_a_une_autre(contrat):
    _seance(contrat, presents=PRESENTS)
    _seance(contrat, date=datetime.date(2025, 3, 27), presents=PRESENTS[1:], absents=[("Monsieur Hugo PERRIN", "")])
    assert constats(contrat, "personnes.") == []


def test_un_president_de_seance_inscrit_parmi_les_absents(contrat):
    _seance(contrat, presents=PRESENTS[1:], president="Monsieur Hugo PERRIN", absents=[("M. Hugo Perrin", "")])
    assert [c.regle for c in constats(contrat, "personnes.")] == ["personnes.presence"]
