"""Liste des contrats : le budget total est celui en vigueur ; un avenant remplace un montant, il ne s'y ajoute pas."""

import datetime
import re
from decimal import Decimal

from django.urls import reverse

from actions.models import Action
from contrats.models import Contrat
from finances.models import Avenant, LigneBudgetaire
from tests.conftest import CLS
from tests.outils import page


def _budget_affiche(texte: str, titre: str) -> str:
    ligne = texte[texte.index(titre) :]
    return re.search(r"([\d ]+) €", ligne).group(1).strip()


def test_budget_total_en_vigueur_apres_avenant(connecte):
    cls = Contrat.objects.get(slug=CLS)
    client = connecte("finances")
    assert _budget_affiche(page(client.get(reverse("pilotage:liste"))), cls.titre) == "2 765 000"
    avenant = Avenant.objects.create(contrat=cls, numero=1, date=datetime.date(2025, 4, 15), objet="Montant 2025")
    LigneBudgetaire.objects.create(
        action=Action.objects.get(contrat=cls, numero="6"), annee=2025, financeur="etat",
        montant=Decimal("90000"), avenant=avenant,
    )  # fmt: skip
    # 100 000 € remplacés par 90 000 € : 2 755 000 €, et non 2 855 000 € (les deux lignes additionnées).
    assert _budget_affiche(page(client.get(reverse("pilotage:liste"))), cls.titre) == "2 755 000"
