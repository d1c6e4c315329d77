import datetime
from decimal import Decimal

import factory

from finances.enums import Financeur
from finances.models import LigneBudgetaire, Versement
from tests.actions.factories import ActionFactory
from tests.contrats.factories import ContratFactory


class LigneBudgetaireFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LigneBudgetaire

    action = factory.SubFactory(ActionFactory)
    annee = 2024
    financeur = Financeur.ETAT
    montant = Decimal("10000")


class VersementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Versement

    contrat = factory.SubFactory(ContratFactory)
    annee = 2024
    date = factory.LazyAttribute(lambda v: datetime.date(v.annee, 9, 15))
    montant = Decimal("50000")
    compte = "Trésorerie de la collectivité"
