import factory

from comptes.enums import Role
from comptes.models import Profil
from contrats.enums import RoleSignataire, TypeContrat, TypeOrganisation
from contrats.models import Axe, Contrat, Organisation, Signataire


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"organisation-{n}")
    nom = factory.Sequence(lambda n: f"Organisation {n}")
    type = TypeOrganisation.METROPOLE
    departement = "21"

    class Params:
        prefecture = factory.Trait(type=TypeOrganisation.PREFECTURE)
        ddets = factory.Trait(type=TypeOrganisation.SERVICE_ETAT)


class ContratFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contrat
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"contrat-{n}")
    type = TypeContrat.CLS
    titre = factory.Sequence(lambda n: f"Contrat local des solidarités n°{n}")
    annee_debut = 2024
    annee_fin = 2027
    departement = "21"
    collectivite = factory.SubFactory(OrganisationFactory)

    @factory.post_generation
    def parties(self, create, extracted, **kwargs):
        if not create:
            return
        Signataire.objects.create(contrat=self, organisation=self.collectivite, role=RoleSignataire.COLLECTIVITE)
        etat = OrganisationFactory(slug=f"prefecture-{self.departement}", type=TypeOrganisation.PREFECTURE)
        Signataire.objects.create(contrat=self, organisation=etat, role=RoleSignataire.ETAT)


class AxeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Axe

    contrat = factory.SubFactory(ContratFactory)
    numero = factory.Sequence(lambda n: n + 1)
    intitule = factory.Sequence(lambda n: f"Axe {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "auth.User"
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"agent{n}")
    password = factory.django.Password("mot-de-passe")


class ProfilFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Profil

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.AGENT_COLLECTIVITE
