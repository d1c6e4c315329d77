"""Page d'exécution : taux, sous-consommations à justifier, versements comparés aux montants dus."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from actions.models import Action
from contrats.models import Contrat
from finances.models import Execution, Versement
from tests.conftest import CLS
from tests.outils import page


@pytest.fixture
def cls():
    contrat = Contrat.objects.get(slug=CLS)
    action1 = Action.objects.get(contrat=contrat, numero="1")
    action6 = Action.objects.get(contrat=contrat, numero="6")
    Execution.objects.create(action=action1, annee=2024, financeur="etat", engage=65000, realise=40000)
    Execution.objects.create(action=action6, annee=2024, financeur="etat", engage=100000, realise=95000)
    Versement.objects.create(
        contrat=contrat, date=datetime.date(2024, 7, 2), annee=2024, montant=Decimal("332500"),
        code_activite="0304 50 23 23 02", compte="Trésorerie de Dijon municipale",
    )  # fmt: skip
    return contrat


def test_taux_alertes_et_versements(connecte, cls):
    texte = page(connecte("finances").get(reverse("finances:execution", args=[CLS])))
    assert "61,5 %" in texte  # 40 000 / 65 000
    assert "95 %" in texte
    assert "Sous-consommations (1)" in texte
    assert "action 1 (2024, État)" in texte  # non justifiée, listée pour le dialogue de gestion
    assert "332 500 €" in texte and "02/07/2024" in texte
    assert "350 000 €" in texte  # dû 2025, rien versé


def test_justification_enregistree_et_tracee(connecte, cls):
    client = connecte("finances")
    execution = Execution.objects.get(action__numero="1", action__contrat=cls)
    reponse = client.post(
        reverse("finances:execution", args=[CLS]),
        {"execution": execution.pk, "justification": "Recrutement décalé au 2e semestre"},
        follow=True,
    )
    assert "Justification enregistrée pour l'action 1 (2024)." in page(reponse)
    execution.refresh_from_db()
    assert execution.justification == "Recrutement décalé au 2e semestre"
    assert execution.history.first().history_user.username == "finances"
    assert "action 1 (2024, État)" not in page(client.get(reverse("finances:execution", args=[CLS])))


def test_justification_trop_longue_ou_etrangere_refusee(connecte, cls):
    client = connecte("finances")
    execution = Execution.objects.get(action__numero="1", action__contrat=cls)
    reponse = client.post(
        reverse("finances:execution", args=[CLS]),
        {"execution": execution.pk, "justification": "x" * 2001},
        follow=True,
    )
    assert "limitée à 2 000 caractères" in page(reponse)
    execution.refresh_from_db()
    assert execution.justification == ""
    reponse = client.post(reverse("finances:execution", args=[CLS]), {"execution": "abc"}, follow=True)
    assert "Ligne d'exécution non précisée : rien n'a été enregistré." in page(reponse)
    autre = Execution.objects.create(
        action=Action.objects.filter(contrat__slug="dijon-calpae-2020").first(),
        annee=2020, financeur="etat", engage=1, realise=1,
    )  # fmt: skip
    assert client.post(reverse("finances:execution", args=[CLS]), {"execution": autre.pk}).status_code == 404
    assert connecte("metropole").post(reverse("finances:execution", args=[CLS]), {}).status_code == 403
