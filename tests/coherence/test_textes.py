"""Les outils de lecture des textes (coherence/textes.py) : tranches d'âge, dates, nombres écrits, citations."""

import datetime

import pytest

from coherence.textes import LONGUEUR_CITATION, citer, dates, nombre_ecrit, normaliser, tranches_d_age

# --- Tranches d'âge ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("texte", "attendu"),
    [
        ("Jeunes 16 – 25 ans du quartier", [(16, 25, "16 – 25 ans")]),
        ("Adolescents de 12 à 17 ans", [(12, 17, "de 12 à 17 ans")]),
        ("Enfants entre 6 et 11 ans", [(6, 11, "entre 6 et 11 ans")]),
        ("Public 18/29 ans", [(18, 29, "18/29 ans")]),
        ("Enfants de moins de 12 ans", [(0, 11, "moins de 12 ans")]),
        ("Adultes de plus de 15 ans", [(16, 200, "plus de 15 ans")]),
        ("Retraités de 62 ans et plus", [(62, 200, "62 ans et plus")]),
        ("Familles avec enfants", []),
        ("Une durée de 3 ans", []),  # une durée, pas une tranche
        ("", []),
    ],
)
def test_tranches_d_age(texte, attendu):
    assert tranches_d_age(texte) == attendu


def test_tranches_d_age_garde_le_passage_tel_qu_ecrit_et_ne_compte_pas_deux_fois():
    texte = "Jeunes Âgés De 16 À 25 Ans et seniors de 70 ans et plus"
    assert tranches_d_age(texte) == [(16, 25, "De 16 À 25 Ans"), (70, 200, "70 ans et plus")]
    # Une borne inversée ou absurde n'est pas une tranche.
    assert tranches_d_age("de 25 à 16 ans") == []
    assert tranches_d_age("de 10 à 150 ans") == []


@pytest.mark.parametrize("texte", ["Jeunes de 16 ans à 25 ans", "Jeunes entre 16 ans et 25 ans"])
def test_tranches_d_age_aux_deux_bornes_en_ans(texte):
    assert [(a, b) for a, b, _ in tranches_d_age(texte)] == [(16, 25)]


# --- Dates ---------------------------------------------------------------------------------------------------------


def test_dates_ecrites_en_toutes_lettres_en_chiffres_et_en_mois():
    texte = "Lancement le 1er février 2024, comité le 15/06/2025, puis évaluation en novembre 2026."
    assert dates(texte) == [
        (datetime.date(2024, 2, 1), "1er fevrier 2024"),
        (datetime.date(2025, 6, 15), "15/06/2025"),
        (datetime.date(2026, 11, 1), "novembre 2026"),
    ]


def test_dates_un_jour_et_son_mois_ne_comptent_qu_une_fois():
    assert dates("Réunion le 12 mars 2025.") == [(datetime.date(2025, 3, 12), "12 mars 2025")]
    assert dates("Du 3 au 28 avril 2026") == [(datetime.date(2026, 4, 28), "28 avril 2026")]


def test_dates_impossibles_ignorees():
    assert dates("le 31 février 2024 ou le 45/13/2024") == []
    assert dates("") == dates(None) == []


# --- Nombres écrits ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mot", "attendu"),
    [("7", 7), ("12", 12), ("trois", 3), ("Quatre", 4), ("seize", 16), ("une", 1), ("plusieurs", None), ("", None)],
)
def test_nombre_ecrit(mot, attendu):
    assert nombre_ecrit(mot) == attendu


def test_normaliser():
    assert normaliser("L’Équipe – 16/29 ans !") == "l equipe 16 29 ans"


# --- Citations -----------------------------------------------------------------------------------------------------


def test_citer_un_texte_court_en_entier_blancs_reduits():
    assert citer("  La Ville\n\ns'engage   à agir.  ") == "La Ville s'engage à agir."
    assert citer(None) == ""


def test_citer_un_long_texte_autour_du_passage():
    texte = "avant " * 100 + "PASSAGE CITÉ" + " après" * 100
    debut = texte.index("PASSAGE")
    citation = citer(texte, debut, debut + len("PASSAGE CITÉ"))
    assert "PASSAGE CITÉ" in citation
    assert citation.startswith("…") and citation.endswith("…")
    assert len(citation) <= LONGUEUR_CITATION + 2


def test_citer_le_debut_d_un_long_texte_sans_points_de_suspension_devant():
    texte = "DÉBUT du texte " + "suite " * 100
    citation = citer(texte, 0, 5)
    assert citation.startswith("DÉBUT") and citation.endswith("…")


def test_citer_un_long_texte_aux_lignes_indentees():
    lignes = [f"        - ligne de tableau numéro {n}" for n in range(30)]
    texte = "\n".join(lignes) + "\nLe contrat compte 9 actions au total."
    debut = texte.index("9 actions")
    assert "9 actions" in citer(texte, debut, debut + len("9 actions"))
