"""Chaque année dite telle qu'elle est : 2024 complète (valeurs, validation, exécution), 2025 vide. Le rapport à
mi-parcours (page et PDF) et le projet de délibération disent les résultats de 2024 et que 2025 n'est pas saisie ;
aucun « 0 % » ni « 0 € » ne tient lieu d'une année où rien n'est saisi."""

import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from contrats.models import Contrat
from finances.models import Execution
from finances.selectors import lignes_en_vigueur
from indicateurs.services import suivi_changer_statut, suivi_obtenir
from rapports.cles import CleRapport
from rapports.selectors import rapport_donnees
from tests.conftest import CLS
from tests.outils import annee_presque_complete, indicateur, normaliser, saisir, texte_page, texte_pdf


def utilisateur(nom):
    return get_user_model().objects.get(username=nom)


def annee_validee(contrat, annee):
    suivi = suivi_obtenir(contrat=contrat, annee=annee)
    suivi = suivi_changer_statut(
        user=utilisateur("metropole"), suivi=suivi, version=suivi.version, transition="soumettre"
    )
    suivi_changer_statut(user=utilisateur("ddets"), suivi=suivi, version=suivi.version, transition="valider")


@pytest.fixture
def cls():
    return Contrat.objects.get(slug=CLS)


@pytest.fixture
def annee_2024_complete(cls):
    """2024 : toutes les valeurs à leur cible (sauf une manquée), validée par l'État ; exécution de chaque ligne
    en vigueur saisie (action 1, État : 97 %). 2025 : rien."""
    annee_presque_complete(cls, 2024)
    saisir(cls, 2024, {indicateur(cls, "1"): ("400", "Moins de jeunes orientés")}, {})
    annee_validee(cls, 2024)
    for (action_id, annee, financeur), ligne in lignes_en_vigueur(cls).items():
        if annee == 2024 and ligne.montant:
            taux = Decimal("0.97") if ligne.action.numero == "1" else Decimal("1")
            Execution.objects.create(
                action_id=action_id, annee=2024, financeur=financeur, engage=ligne.montant,
                realise=(ligne.montant * taux).quantize(Decimal("1")),
            )  # fmt: skip
    return cls


ANNEE_VIDE = re.compile(r"(?<![\d\u202f ,])0(,0)?\s?(%|€)")  # « 0 % », « 0 € », jamais « 100 % » ni « 50 000 € »


def test_mi_parcours_dit_2024_et_que_2025_n_est_pas_saisie(connecte, annee_2024_complete):
    client = connecte("secretariat")
    texte = texte_pdf(client.get(reverse("rapports:pdf", args=[CLS, "mi-parcours"])).content)
    # Les cibles, année par année : 2024 telle qu'elle est, 2025 dite non saisie (jamais « 0 / 11 »).
    assert "En 2024 : 7 cibles atteintes sur 8 mesurables, 3 valeurs non disponibles." in texte
    assert "En 2025 : valeurs non saisies." in texte
    assert (
        "7 / 8 cibles mesurables 2024 atteintes, 3 non disponibles non saisi cibles mesurables 2025 atteintes" in texte
    )
    # L'exécution, année par année : pas de taux « sur la période » qui mêlerait 2024 et une année vide.
    assert "661 100 € réalisés en 2024, taux d'exécution 99,4 % non saisi réalisés en 2025" in texte
    assert "non calculé taux d'exécution sur la période (exécution saisie pour 2024 seulement)" in texte
    assert "99,4 % taux d'exécution 2024 non saisi taux d'exécution 2025" in texte
    assert "126 100 € (97 %) non saisi 0 / 1 non saisi" in texte  # action 1 : 97 % en 2024, 2025 non saisie
    assert "exécution saisie pour 2024 seulement (2025 non saisi) : ni total ni taux sur la période" in texte
    assert "48,5 %" not in texte and "48,6 %" not in texte  # jamais 2024 rapporté aux deux années
    assert "1.a Nombre de jeunes de moins de 15 ans accompagnés 420 450 → 400 (88,9 %) 460 → non saisie" in texte
    assert not ANNEE_VIDE.search(texte), ANNEE_VIDE.search(texte)


def test_deliberation_dit_2024_et_que_2025_n_est_pas_saisie(connecte, annee_2024_complete):
    client = connecte("secretariat")
    texte = texte_pdf(client.get(reverse("rapports:pdf", args=[CLS, "deliberation-mi-parcours"])).content)
    assert "En 2024, 665 000 € ont été engagés et 661 100 € réalisés, soit un taux d'exécution de 99,4 %." in texte
    assert "En 2025, l'exécution budgétaire n'est pas saisie." in texte
    assert "En 2024 : 7 cibles atteintes sur 8 mesurables, 3 valeurs non disponibles." in texte
    assert "En 2025 : valeurs non saisies" in texte
    assert "0 cible atteinte" not in texte and not ANNEE_VIDE.search(texte)


def test_apercu_et_rapport_annuel_d_une_annee_vide(connecte, annee_2024_complete):
    client = connecte("secretariat")
    page = normaliser(
        re.sub(r"<[^>]+>", " ", texte_page(client.get(reverse("rapports:apercu", args=[CLS, "mi-parcours"]))))
    )
    assert "non saisi réalisés en 2025" in page and "non saisi taux d'exécution 2025" in page
    assert not ANNEE_VIDE.search(page), ANNEE_VIDE.search(page)
    annuel = texte_pdf(client.get(reverse("rapports:pdf", args=[CLS, "annuel-2025"])).content)
    assert "non saisi réalisés en 2025" in annuel and "En 2025 : valeurs non saisies." in annuel
    assert not ANNEE_VIDE.search(annuel), ANNEE_VIDE.search(annuel)


def test_sous_consommation_par_annee_y_compris_a_zero(cls, annee_2024_complete):
    """La sous-consommation se juge par année et par financeur (finances) : une ligne 2024 à 0 € réalisés y figure,
    une année non saisie jamais."""
    execution = Execution.objects.get(action__contrat=cls, action__numero="2", annee=2024, financeur="etat")
    execution.realise = Decimal("0")
    execution.save()
    rapport = rapport_donnees(cls, CleRapport("mi_parcours"))
    cellules = [(c.action.numero, c.annee, c.financeur) for c in rapport.synthese.sous_consommations]
    assert ("2", 2024, "etat") in cellules
    assert all(annee == 2024 for _, annee, _ in cellules)
