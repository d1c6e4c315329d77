import factory

from actions.models import Action
from tests.contrats.factories import AxeFactory, ContratFactory


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    contrat = factory.SubFactory(ContratFactory)
    axe = factory.SubFactory(AxeFactory, contrat=factory.SelfAttribute("..contrat"))
    numero = factory.Sequence(lambda n: str(n + 1))
    ordre = factory.LazyAttribute(lambda a: Action.ordre_depuis_numero(a.numero))
    intitule = factory.Sequence(lambda n: f"Action de test {n}")
