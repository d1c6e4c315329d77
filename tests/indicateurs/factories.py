from decimal import Decimal

import factory

from indicateurs.enums import NatureIndicateur
from indicateurs.models import Cible, Indicateur
from tests.actions.factories import ActionFactory


class IndicateurFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicateur

    action = factory.SubFactory(ActionFactory)
    libelle = factory.Sequence(lambda n: f"Nombre de personnes accompagnées {n}")
    unite = "personnes"
    t0 = Decimal("10")

    class Params:
        qualitatif = factory.Trait(nature=NatureIndicateur.QUALITATIF, unite="", t0=None, cible_chiffree=False)
        sans_cible = factory.Trait(cible_chiffree=False, t0=None)


class CibleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cible

    indicateur = factory.SubFactory(IndicateurFactory)
    annee = 2024
    valeur = Decimal("20")

    class Params:
        non_definie = factory.Trait(valeur=None, nd=True, nd_motif="Action en cours de définition")
