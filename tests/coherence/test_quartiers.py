"""Règle « quartiers » : les contrats d'une même collectivité écrivent un quartier de la même façon et le classent
dans la même catégorie ; un quartier d'un contrat absent d'un autre est signalé pour information."""

import pytest

from coherence.constats import A_VERIFIER, INFORMATION
from contrats.enums import CategorieQuartier
from contrats.models import Quartier
from tests.coherence.fabrique import citations, constats, contrat_fictif, territoire

PRIORITAIRE, VEILLE = CategorieQuartier.PRIORITAIRE, CategorieQuartier.VEILLE
COMMUNS = [("Hauts de Brenne", PRIORITAIRE), ("Pré Vernier", PRIORITAIRE), ("Les Glycines", VEILLE)]


@pytest.fixture
def contrats():
    """(contrat, ancien) : deux contrats de la même collectivité fictive, sans quartiers."""
    collectivite = territoire()
    ancien = contrat_fictif(collectivite, annee_debut=2020, annee_fin=2023, titre="Convention fictive 2020-2023")
    contrat = contrat_fictif(collectivite, titre="Contrat fictif 2024-2027")
    return contrat, ancien


def _quartiers(contrat, quartiers, commune="Valbrune"):
    for nom, categorie in quartiers:
        Quartier.objects.create(contrat=contrat, nom=nom, commune=commune, categorie=categorie)


def test_deux_ecritures_proches_d_un_quartier(contrats):
    contrat, ancien = contrats
    _quartiers(contrat, [*COMMUNS, ("Clos des Tilleuls", PRIORITAIRE)])
    _quartiers(ancien, [*COMMUNS, ("Clos des Tilleul", PRIORITAIRE)])
    (constat,) = constats(contrat, "quartiers.")  # ni « liste » : le quartier est dans les deux, écrit autrement
    assert (constat.regle, constat.gravite) == ("quartiers.orthographe", A_VERIFIER)
    assert constat.lieu == "Quartiers (comparés à Convention fictive 2020-2023)"
    assert constat.message == "« Clos des Tilleuls » ici, « Clos des Tilleul » dans Convention fictive 2020-2023."
    assert citations(constat) == [
        "Clos des Tilleuls (Valbrune) – Quartier prioritaire",
        "Clos des Tilleul (Valbrune) – Quartier prioritaire",
    ]
    assert [p.document for p in constat.preuves] == ["Contrat fictif 2024-2027", "Convention fictive 2020-2023"]


def test_deux_ecritures_proches_dans_la_meme_liste(contrats):
    contrat, _ = contrats
    _quartiers(contrat, [("Clos des Tilleuls", PRIORITAIRE), ("Clos des Tileuls", PRIORITAIRE)])
    (constat,) = constats(contrat, "quartiers.")
    assert (constat.regle, constat.lieu) == ("quartiers.orthographe", "Quartiers")
    assert (
        constat.message == "Deux écritures proches dans la même liste : « Clos des Tilleuls » et « Clos des Tileuls »."
    )


def test_un_meme_quartier_dans_deux_categories(contrats):
    contrat, ancien = contrats
    _quartiers(contrat, [*COMMUNS[:2], ("Les Glycines", PRIORITAIRE)])
    _quartiers(ancien, COMMUNS)
    (constat,) = constats(contrat, "quartiers.")
    assert (constat.regle, constat.gravite) == ("quartiers.categorie", A_VERIFIER)
    assert constat.message == (
        "« Les Glycines » est quartier prioritaire ici, quartier de veille dans Convention fictive 2020-2023."
    )
    assert citations(constat) == [
        "Les Glycines (Valbrune) – Quartier prioritaire",
        "Les Glycines (Valbrune) – Quartier de veille",
    ]


def test_un_quartier_present_dans_un_seul_contrat(contrats):
    contrat, ancien = contrats
    _quartiers(contrat, [*COMMUNS, ("Champ Moreau", PRIORITAIRE)])
    _quartiers(ancien, [*COMMUNS, ("Val Saint-Éloi", VEILLE)])
    (constat,) = constats(contrat, "quartiers.")
    assert (constat.regle, constat.gravite) == ("quartiers.liste", INFORMATION)
    assert (
        constat.message == "1 quartier de ce contrat ne figure pas dans Convention fictive 2020-2023 : Champ Moreau."
    )
    assert citations(constat) == ["Champ Moreau (Valbrune) – Quartier prioritaire"]
    # Et dans l'autre sens, celui de l'ancien contrat.
    (inverse,) = constats(ancien, "quartiers.")
    assert inverse.message == (
        "1 quartier de ce contrat ne figure pas dans Contrat fictif 2024-2027 : Val Saint-Éloi."
    )


def test_deux_listes_identiques(contrats):
    contrat, ancien = contrats
    _quartiers(contrat, COMMUNS)
    _quartiers(ancien, list(reversed(COMMUNS)))
    assert constats(contrat, "quartiers.") == []
    assert constats(ancien, "quartiers.") == []


def test_un_meme_nom_dans_une_autre_commune_n_est_pas_le_meme_quartier(contrats):
    contrat, ancien = contrats
    _quartiers(contrat, COMMUNS)
    _quartiers(ancien, COMMUNS)
    _quartiers(contrat, [("Centre ancien", PRIORITAIRE)], commune="Montaubrac")
    _quartiers(ancien, [("Centre ancien", VEILLE)], commune="Sauvrenne")
    (constat,) = constats(contrat, "quartiers.")
    assert constat.regle == "quartiers.liste" and "Centre ancien" in constat.message


def test_les_contrats_d_une_autre_collectivite_ne_sont_pas_compares(contrats):
    contrat, _ = contrats
    _quartiers(contrat, COMMUNS)
    _quartiers(contrat_fictif(), [("Hauts de Brene", PRIORITAIRE), ("Pré Vernier", VEILLE)])
    assert constats(contrat, "quartiers.") == []


def test_deux_listes_identiques_aux_noms_voisins(contrats):
    contrat, ancien = contrats
    voisins = [("Belvédère Est", PRIORITAIRE), ("Belvédère Ouest", PRIORITAIRE)]
    _quartiers(contrat, voisins)
    _quartiers(ancien, voisins)
    entre_contrats = [c for c in constats(contrat, "quartiers.") if c.lieu.startswith("Quartiers (comparés")]
    assert entre_contrats == []
