from decimal import Decimal

import factory

from finances.enums import Financeur
from finances.models import LigneBudgetaire
from tests.actions.factories import ActionFactory


class LigneBudgetaireFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LigneBudgetaire

    action = factory.SubFactory(ActionFactory)
    annee = 2024
    financeur = Financeur.ETAT
    montant = Decimal("10000")
