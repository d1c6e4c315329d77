"""Grille d'exécution d'une année et versements dans le navigateur : nombres à la française, « non saisi » (jamais
0 €), fusion à trois voies des saisies concurrentes, verrou avec la validation de l'année par l'État."""

import datetime
import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from actions.models import Action
from comptes.services import MOT_DE_PASSE_DEMO
from contrats.models import Contrat
from finances.models import Execution, Versement
from finances.selectors import execution_du_contrat, versements_du_contrat
from finances.services import (
    ConflitExecution,
    execution_enregistree,
    execution_grille_enregistrer,
    versement_enregistrer,
)
from indicateurs.enums import StatutSuivi
from indicateurs.models import SuiviAnnuel
from indicateurs.services import suivi_changer_statut
from tests.conftest import CLS
from tests.outils import donnees_de, page

GRILLE = "grille-execution"


def url(annee=2025):
    return reverse("finances:execution_grille", args=[CLS, annee])


def client(identifiant):
    c = Client()
    assert c.login(username=identifiant, password=MOT_DE_PASSE_DEMO)
    return c


@pytest.fixture
def cls():
    return Contrat.objects.get(slug=CLS)


@pytest.fixture
def a1(cls):
    return Action.objects.get(contrat=cls, numero="1")


@pytest.fixture
def a6(cls):
    return Action.objects.get(contrat=cls, numero="6")


def utilisateur(nom):
    return get_user_model().objects.get(username=nom)


def enregistrer(cls, annee, lues, saisies, nom="finances"):
    execution = execution_du_contrat(cls, [annee])
    return execution_grille_enregistrer(
        user=utilisateur(nom), contrat=cls, annee=annee, actions=execution.actions,
        financeurs=execution.financeurs, lues=lues, saisies=saisies,
    )  # fmt: skip


def etat(cls, annee):
    execution = execution_du_contrat(cls, [annee])
    return execution_enregistree(contrat=cls, annee=annee, actions=execution.actions, financeurs=execution.financeurs)


# --- Services ------------------------------------------------------------------------------------------------------


def test_service_ecrit_trace_et_vider_rend_non_saisi(cls, a1):
    lues = etat(cls, 2025)
    saisies = lues | {f"e{a1.pk}_etat": Decimal("60000"), f"r{a1.pk}_etat": Decimal("30000")}
    assert enregistrer(cls, 2025, lues, saisies).modifiees == 1
    execution = Execution.objects.get(action=a1, annee=2025, financeur="etat")
    assert (execution.engage, execution.realise) == (60000, 30000)
    assert execution.history.first().history_user.username == "finances"
    assert execution.history.first().history_change_reason == "Saisie de l'exécution 2025"

    lues = etat(cls, 2025)
    vide = lues | {f"e{a1.pk}_etat": None, f"r{a1.pk}_etat": None}
    assert enregistrer(cls, 2025, lues, vide).modifiees == 1
    assert not Execution.objects.filter(action=a1, annee=2025).exists()
    assert Execution.history.filter(action_id=a1.pk, annee=2025, history_type="-").count() == 1
    lecture = execution_du_contrat(cls)
    assert 2025 in lecture.annees_non_saisies
    assert lecture.sous_consommations_par_annee[2025] is None  # non saisie : pas « aucune sous-consommation »
    assert lecture.budget_total(2025).absent == "non saisi" and lecture.budget_total(2025).engage_total is None


def test_service_cellule_incomplete_refusee_sans_rien_ecrire(cls, a1, a6):
    lues = etat(cls, 2025)
    saisies = lues | {
        f"e{a6.pk}_etat": Decimal("1000"), f"r{a6.pk}_etat": Decimal("1000"),  # valide, mais rien n'est écrit
        f"e{a1.pk}_etat": Decimal("5000"),  # réalisé manquant
        f"j{a1.pk}_collectivite": "Une justification sans montants",
    }  # fmt: skip
    with pytest.raises(ValidationError) as erreur:
        enregistrer(cls, 2025, lues, saisies)
    assert "Saisissez aussi le réalisé (action 1, État)" in erreur.value.message_dict[f"r{a1.pk}_etat"][0]
    justification = erreur.value.message_dict[f"j{a1.pk}_collectivite"][0]
    assert "Une justification accompagne une exécution saisie" in justification
    assert not Execution.objects.filter(action__contrat=cls, annee=2025).exists()


def test_service_fusion_et_conflit(cls, a1, a6):
    lues = etat(cls, 2025)  # deux personnes ouvrent la même année
    enregistrer(cls, 2025, lues, lues | {f"e{a1.pk}_etat": Decimal("100"), f"r{a1.pk}_etat": Decimal("50")})
    # La seconde a changé une autre cellule : fusionnée, la saisie de la première est gardée.
    resultat = enregistrer(
        cls, 2025, lues, lues | {f"e{a6.pk}_etat": Decimal("7"), f"r{a6.pk}_etat": Decimal("7")}, nom="metropole"
    )
    assert set(resultat.repris) == {f"e{a1.pk}_etat", f"r{a1.pk}_etat"}
    assert resultat.auteurs[f"e{a1.pk}_etat"][0] == "Fanny Factice, Dijon métropole"
    assert Execution.objects.get(action=a1, annee=2025, financeur="etat").realise == 50
    assert Execution.objects.get(action=a6, annee=2025, financeur="etat").realise == 7
    # La seconde a changé la même cellule, autrement : conflit, rien n'est écrit.
    with pytest.raises(ConflitExecution) as conflit:
        enregistrer(
            cls,
            2025,
            lues,
            lues | {f"e{a1.pk}_etat": Decimal("100"), f"r{a1.pk}_etat": Decimal("80")},
            nom="metropole",
        )
    assert [c.champ for c in conflit.value.conflits] == [f"r{a1.pk}_etat"]
    message = conflit.value.messages[0]
    assert "L'exécution 2025 a été modifiée entre-temps par Fanny Factice, Dijon métropole" in message
    assert Execution.objects.get(action=a1, annee=2025, financeur="etat").realise == 50


def test_service_annee_validee_verrouillee_puis_rouverte(cls, a1):
    suivi = SuiviAnnuel.objects.create(contrat=cls, annee=2025, statut=StatutSuivi.SOUMIS)
    suivi = suivi_changer_statut(user=utilisateur("ddets"), suivi=suivi, version=suivi.version, transition="valider")
    lues = etat(cls, 2025)
    saisies = lues | {f"e{a1.pk}_etat": Decimal("1"), f"r{a1.pk}_etat": Decimal("1")}
    with pytest.raises(ValidationError, match="L'année 2025 a été validée par Claire Démo"):
        enregistrer(cls, 2025, lues, saisies)
    donnees = {"date": datetime.date(2025, 3, 1), "annee": 2025, "montant": Decimal("10"), "axe": None,
               "imputation": "", "code_activite": "", "compte": ""}  # fmt: skip
    with pytest.raises(ValidationError, match="exécution et ses versements sont en lecture seule"):
        versement_enregistrer(user=utilisateur("finances"), contrat=cls, versement=None, lues={}, saisies=donnees)
    assert not Execution.objects.filter(action=a1, annee=2025).exists() and not Versement.objects.exists()
    # Rouverte avec les indicateurs : l'exécution se saisit de nouveau.
    suivi_changer_statut(
        user=utilisateur("ddets"), suivi=suivi, version=suivi.version, transition="rouvrir", motif="Erreur"
    )
    enregistrer(cls, 2025, lues, saisies)
    assert Execution.objects.filter(action=a1, annee=2025).exists()


# --- Pages ---------------------------------------------------------------------------------------------------------


def test_grille_non_saisie_puis_saisie_a_la_francaise(cls, a1):
    finances = client("finances")
    reponse = finances.get(url())
    texte = page(reponse)
    assert "Enregistrer l'exécution 2025" in texte
    assert 'id="total-engage">non saisi<' in texte and 'id="total-taux">non saisi<' in texte
    assert "0 €" not in texte.split('id="total-engage"')[1].split("</tr>")[0]
    donnees = donnees_de(reponse, GRILLE) | {f"e{a1.pk}_etat": "85 000", f"r{a1.pk}_etat": "42 500,50"}
    reponse = finances.post(url(), donnees, follow=True)
    assert "Exécution 2025 enregistrée : 1 cellule(s) modifiée(s)." in page(reponse)
    execution = Execution.objects.get(action=a1, annee=2025, financeur="etat")
    assert (execution.engage, execution.realise) == (Decimal("85000"), Decimal("42500.50"))
    texte = page(reponse)
    assert 'id="total-engage">85 000 €<' in texte and 'id="total-realise">42 500,50 €<' in texte


def test_grille_d_une_annee_validee_montre_les_montants_enregistres(cls, a1):
    """Année validée : la grille en lecture seule montre l'exécution enregistrée à la française (elle répondait 500
    quand une cellule était saisie : le montant, déjà mis en forme par le champ, était relu comme un nombre)."""
    finances = client("finances")
    donnees = donnees_de(finances.get(url()), GRILLE) | {f"e{a1.pk}_etat": "85 000", f"r{a1.pk}_etat": "42 500,50"}
    finances.post(url(), donnees)
    SuiviAnnuel.objects.create(contrat=cls, annee=2025, statut=StatutSuivi.VALIDE)
    reponse = finances.get(url())
    assert reponse.status_code == 200
    ligne = page(reponse).split(f'id="ligne-{a1.pk}_etat"')[1].split("</tr>")[0]
    assert "85 000 €" in ligne and "42 500,50 €" in ligne and "<input" not in ligne


def test_grille_saisie_illisible_message_par_cellule_rien_ecrit(cls, a1, a6):
    finances = client("finances")
    donnees = donnees_de(finances.get(url()), GRILLE) | {
        f"e{a1.pk}_etat": "1.250", f"r{a1.pk}_etat": "douze",
        f"e{a6.pk}_etat": "10", f"r{a6.pk}_etat": "10",
    }  # fmt: skip
    texte = page(finances.post(url(), donnees))
    assert "Rien n'a été enregistré : corrigez les champs signalés." in texte
    assert "« 1.250 » est ambigu : en français, écrivez 1 250" in texte
    assert "« douze » n'est pas un montant valide" in texte
    assert not Execution.objects.filter(action__contrat=cls, annee=2025).exists()
    # La saisie est rendue telle quelle, rien n'est perdu.
    assert 'value="douze"' in texte
    donnees = donnees_de(finances.get(url()), GRILLE) | {f"e{a1.pk}_etat": "100"}
    texte = page(finances.post(url(), donnees))
    assert "Saisissez aussi le réalisé (action 1, État) : 0 si rien n&#x27;est payé." in texte or (
        "Saisissez aussi le réalisé (action 1, État) : 0 si rien n'est payé." in texte
    )
    assert not Execution.objects.filter(action__contrat=cls, annee=2025).exists()


def test_grille_conflit_rendu_puis_tranche(cls, a1):
    premiere, seconde = client("finances"), client("metropole")
    lue_1 = donnees_de(premiere.get(url()), GRILLE)
    lue_2 = donnees_de(seconde.get(url()), GRILLE)
    premiere.post(url(), lue_1 | {f"e{a1.pk}_etat": "100", f"r{a1.pk}_etat": "90"})
    reponse = seconde.post(url(), lue_2 | {f"e{a1.pk}_etat": "100", f"r{a1.pk}_etat": "60"})
    texte = page(reponse)
    assert "a été modifiée entre-temps par Fanny Factice, Dijon métropole" in texte
    assert "Réalisé – action 1, État</a> : votre saisie 60 ; enregistré par Fanny Factice, Dijon métropole le" in texte
    assert Execution.objects.get(action=a1, annee=2025, financeur="etat").realise == 90
    renvoyee = donnees_de(reponse, GRILLE)
    assert renvoyee[f"r{a1.pk}_etat"] == "60"  # la saisie n'est pas perdue
    assert "Choisissez la valeur à garder" in page(seconde.post(url(), renvoyee))
    reponse = seconde.post(url(), renvoyee | {f"choix-r{a1.pk}_etat": "mienne"}, follow=True)
    assert "Exécution 2025 enregistrée" in page(reponse)
    assert Execution.objects.get(action=a1, annee=2025, financeur="etat").realise == 60


def test_grille_lecture_seule_pour_les_lecteurs_et_annee_validee(cls, a1):
    for nom in ("ddets", "lecteur", "secretariat"):
        c = client(nom)
        texte = page(c.get(url()))
        assert "Enregistrer l'exécution" not in texte and "votre rôle ne saisit pas" in texte
        assert c.post(url(), {}).status_code == 403
    SuiviAnnuel.objects.create(contrat=cls, annee=2024, statut=StatutSuivi.VALIDE)
    finances = client("finances")
    texte = page(finances.get(url(2024)))
    assert "Année 2024 validée par l'État" in texte and "Enregistrer l'exécution" not in texte
    donnees = donnees_de(finances.get(url(2025)), GRILLE) | {f"e{a1.pk}_etat": "1", f"r{a1.pk}_etat": "1"}
    texte = page(finances.post(url(2024), donnees))
    assert "Rien n'a été enregistré : L'année 2024 a été validée" in texte
    assert not Execution.objects.filter(action=a1, annee=2024).exists()


def test_page_execution_manquant_et_engage(cls, a1):
    Execution.objects.create(action=a1, annee=2024, financeur="etat", engage=65000, realise=40000)
    texte = re.sub(r"<[^>]+>", "", page(client("lecteur").get(reverse("finances:execution", args=[CLS]))))
    assert "Manquant" in texte
    assert "2025 : exécution non saisie" in texte
    assert "Engagé" in texte and "65 000 €" in texte


# --- Versements ----------------------------------------------------------------------------------------------------


def test_versement_saisi_liste_modifie_supprime(cls):
    finances = client("finances")
    liste = reverse("finances:versements", args=[CLS])
    axe1 = cls.axes.order_by("numero").first()
    reponse = finances.post(
        liste,
        {"date": "02/07/2024", "annee": "2024", "montant": "85 000", "axe": axe1.pk,
         "imputation": "action 23, sous-action 23", "code_activite": "0304 50 23 23 02",
         "compte": "Trésorerie de Dijon municipale"},
        follow=True,
    )  # fmt: skip
    texte = page(reponse)
    assert "Versement du 02/07/2024 : 85000.00 €" not in texte
    assert "enregistré (exercice 2024)" in texte
    versement = Versement.objects.get(contrat=cls)
    assert versement.montant == 85000 and versement.history.first().history_user.username == "finances"
    assert "0304 50 23 23 02" in texte and "action 23, sous-action 23" in texte
    du = versements_du_contrat(cls, execution_du_contrat(cls))
    ligne = next(d for d in du.par_axe if d.annee == 2024 and d.axe == axe1)
    assert ligne.verse == 85000 and ligne.reste == ligne.du - 85000

    modifier = reverse("finances:versement_modifier", args=[CLS, versement.pk])
    donnees = donnees_de(finances.get(modifier), "versement")
    assert donnees["date"] == "02/07/2024" and donnees["montant"] == "85\u202f000"
    reponse = finances.post(modifier, donnees | {"montant": "85 000,50"}, follow=True)
    versement.refresh_from_db()
    assert versement.montant == Decimal("85000.50")

    reponse = finances.post(reverse("finances:versement_supprimer", args=[CLS, versement.pk]), follow=True)
    assert "supprimé" in page(reponse) and not Versement.objects.exists()


def test_versement_saisie_absurde_rien_ecrit(cls):
    finances = client("finances")
    liste = reverse("finances:versements", args=[CLS])
    texte = page(finances.post(liste, {"date": "2024-07-02", "annee": "2031", "montant": "-3"}))
    assert "Saisissez une date au format jj/mm/aaaa" in texte
    assert "Cet exercice n'est pas du contrat." in texte or "Cet exercice n&#x27;est pas du contrat." in texte
    assert "Un montant ne peut pas être négatif." in texte
    assert not Versement.objects.exists()


def test_versement_modification_concurrente(cls):
    versement = Versement.objects.create(contrat=cls, date=datetime.date(2024, 7, 2), annee=2024, montant=100)
    premiere, seconde = client("finances"), client("metropole")
    modifier = reverse("finances:versement_modifier", args=[CLS, versement.pk])
    lue_1 = donnees_de(premiere.get(modifier), "versement")
    lue_2 = donnees_de(seconde.get(modifier), "versement")
    premiere.post(modifier, lue_1 | {"montant": "200"})
    texte = page(seconde.post(modifier, lue_2 | {"montant": "300"}))
    assert "Ce versement a été modifié entre-temps par Fanny Factice, Dijon métropole" in texte
    versement.refresh_from_db()
    assert versement.montant == 200
    # Un autre champ : fusionné, le montant de la première est gardé.
    seconde.post(modifier, lue_2 | {"compte": "Trésorerie"})
    versement.refresh_from_db()
    assert (versement.montant, versement.compte) == (200, "Trésorerie")
