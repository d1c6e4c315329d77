"""La saisie du budget d'une année dans le navigateur : entrées françaises, refus clairs, rien d'écrit sur erreur."""

import pytest
from django.urls import reverse

from actions.models import Action
from contrats.models import Contrat
from finances.models import LigneBudgetaire
from tests.conftest import CLS
from tests.outils import page


def donnees_actuelles(contrat, annee):
    donnees = {}
    for action in Action.objects.filter(contrat=contrat):
        for financeur in ("etat", "collectivite", "autre"):
            ligne = LigneBudgetaire.objects.filter(action=action, annee=annee, financeur=financeur).first()
            donnees[f"a{action.pk}_{financeur}"] = str(ligne.montant) if ligne else "0"
    return donnees


def etat_du_budget(contrat):
    return sorted(
        LigneBudgetaire.objects.filter(action__contrat=contrat).values_list(
            "action_id", "annee", "financeur", "montant"
        )
    )


@pytest.fixture
def cls():
    return Contrat.objects.get(slug=CLS)


@pytest.mark.parametrize(
    ("saisie", "message"),
    [
        ("-500", "Un montant ne peut pas être négatif."),
        ("abc", "« abc » n'est pas un montant valide"),
        ("12,345", "Au plus 2 chiffres après la virgule."),
        ("1e9", "n'est pas un montant valide"),
        ("99999999999", "Montant trop élevé"),
        ("", "Saisissez un montant (0 si aucun)."),
    ],
)
def test_saisie_invalide_refusee_sans_rien_ecrire(connecte, cls, saisie, message):
    avant = etat_du_budget(cls)
    action = Action.objects.get(contrat=cls, numero="3")
    donnees = donnees_actuelles(cls, 2025) | {f"a{action.pk}_collectivite": saisie}
    reponse = connecte("finances").post(reverse("finances:budget_annee", args=[CLS, 2025]), donnees)
    assert reponse.status_code == 200
    assert message in page(reponse)
    assert "Le budget n'a pas été enregistré" in page(reponse)
    assert etat_du_budget(cls) == avant


def test_part_de_la_collectivite_sous_50_pour_cent_refusee(connecte, cls):
    avant = etat_du_budget(cls)
    action = Action.objects.get(contrat=cls, numero="6")
    donnees = donnees_actuelles(cls, 2026) | {f"a{action.pk}_collectivite": "99 999"}
    reponse = connecte("finances").post(reverse("finances:budget_annee", args=[CLS, 2026]), donnees)
    assert "Action 6, 2026 : la collectivité apporte 99 999 € sur 199 999 €, soit moins de 50 %" in page(reponse)
    assert etat_du_budget(cls) == avant


def test_saisie_francaise_valide_enregistree(connecte, cls):
    action = Action.objects.get(contrat=cls, numero="6")
    donnees = donnees_actuelles(cls, 2026) | {f"a{action.pk}_collectivite": "120 000,50"}
    client = connecte("finances")
    reponse = client.post(reverse("finances:budget_annee", args=[CLS, 2026]), donnees, follow=True)
    assert "Budget 2026 enregistré : 1 ligne(s) modifiée(s)." in page(reponse)
    ligne = LigneBudgetaire.objects.get(action=action, annee=2026, financeur="collectivite")
    assert str(ligne.montant) == "120000.50"
    assert ligne.history.first().history_user.username == "finances"


def test_formulaire_affiche_les_montants_a_la_francaise(connecte):
    reponse = connecte("finances").get(reverse("finances:budget_annee", args=[CLS, 2024]))
    assert 'value="47 500"' in page(reponse)


def test_lecture_seule_pour_les_autres_roles(connecte, cls):
    avant = etat_du_budget(cls)
    for identifiant in ("metropole", "ddets", "secretariat"):
        reponse = connecte(identifiant).post(
            reverse("finances:budget_annee", args=[CLS, 2025]), donnees_actuelles(cls, 2025)
        )
        assert reponse.status_code == 403
    assert connecte("autre-territoire").post(reverse("finances:budget_annee", args=[CLS, 2025]), {}).status_code == 404
    assert etat_du_budget(cls) == avant
