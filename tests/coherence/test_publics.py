"""Règle « publics » : les tranches d'âge que nomment les champs d'une fiche (public cible, intitulé, objectifs,
indicateur de la fiche) et les libellés de ses indicateurs se recouvrent."""

from django.urls import reverse

from coherence.constats import A_VERIFIER
from tests.actions.factories import ActionFactory
from tests.coherence.fabrique import citations, constats, contrat_fictif
from tests.indicateurs.factories import IndicateurFactory


def _fiche(public: str, *indicateurs: str, **champs):
    contrat = contrat_fictif()
    action = ActionFactory(
        contrat=contrat, numero="2.1", intitule="Ateliers du mercredi", public_cible=public, **champs
    )
    for libelle in indicateurs:
        IndicateurFactory(action=action, libelle=libelle)
    return contrat, action


def test_un_indicateur_qui_ne_compte_pas_le_public_de_la_fiche():
    contrat, action = _fiche(
        "Jeunes 16 – 25 ans sortis du système scolaire", "Nombre d'enfants de moins de 12 ans inscrits"
    )
    (constat,) = constats(contrat, "publics.ages")
    assert (constat.gravite, constat.lieu) == (A_VERIFIER, "Fiche action 2.1")
    assert constat.message == (
        "Les âges ne se recouvrent pas : « 16 – 25 ans » (public cible) et « moins de 12 ans » (tableau des "
        "indicateurs)."
    )
    assert [(p.lieu, p.citation) for p in constat.preuves] == [
        ("Fiche action 2.1, public cible", "Jeunes 16 – 25 ans sortis du système scolaire"),
        ("Tableau des indicateurs", "Nombre d'enfants de moins de 12 ans inscrits"),
    ]
    assert constat.url == reverse("pilotage:action", args=[contrat.slug, action.numero])


def test_des_tranches_qui_se_recouvrent():
    contrat, _ = _fiche("Jeunes de 16 à 25 ans", "Nombre de mineurs de moins de 18 ans accompagnés")
    assert constats(contrat, "publics.ages") == []


def test_plus_de_15_ans_et_moins_de_15_ans_sont_disjoints():
    contrat, _ = _fiche(
        "Habitants de plus de 15 ans",
        objectif_principal="Proposer une activité sportive aux enfants de moins de 15 ans",
    )
    (constat,) = constats(contrat, "publics.ages")
    assert citations(constat) == [
        "Habitants de plus de 15 ans",
        "Proposer une activité sportive aux enfants de moins de 15 ans",
    ]
    assert [p.lieu for p in constat.preuves] == [
        "Fiche action 2.1, public cible",
        "Fiche action 2.1, objectif principal",
    ]


def test_une_borne_commune_suffit_a_recouvrir():
    contrat, _ = _fiche("Adultes de 25 à 64 ans", indicateur_fiche="Nombre de personnes de 64 ans et plus reçues")
    assert constats(contrat, "publics.ages") == []


def test_un_champ_sans_age_ne_se_compare_a_rien():
    contrat, _ = _fiche("Familles monoparentales", "Nombre d'enfants de moins de 6 ans gardés")
    assert constats(contrat, "publics.ages") == []


def test_un_seul_constat_par_fiche_chaque_champ_cite_une_fois():
    contrat, _ = _fiche(
        "Jeunes de 18 à 25 ans",
        "Nombre d'enfants de moins de 12 ans inscrits",
        "Nombre de seniors de 70 ans et plus inscrits",
    )
    (constat,) = constats(contrat, "publics.ages")
    assert constat.message.count("(public cible)") == 2
    assert [p.lieu for p in constat.preuves] == [
        "Fiche action 2.1, public cible",
        "Tableau des indicateurs",
        "Tableau des indicateurs",
    ]
