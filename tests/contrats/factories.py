import datetime

import factory

from comptes.enums import Role
from comptes.models import Profil
from contrats.enums import Organe, RoleSignataire, TypeContrat, TypeOrganisation
from contrats.models import Axe, Contrat, Deliberation, Organisation, Signataire


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


class DeliberationFactory(factory.django.DjangoModelFactory):
    """Une séance du conseil de la collectivité du contrat, au scrutin cohérent (41 membres, 33 présents,
    6 procurations, 39 voix pour)."""

    class Meta:
        model = Deliberation

    contrat = factory.SubFactory(ContratFactory)
    organisation = factory.SelfAttribute("contrat.collectivite")
    organe = Organe.CONSEIL
    date = datetime.date(2024, 3, 28)
    objet = factory.Sequence(lambda n: f"Délibération de test n°{n}")
    membres = 41
    membres_en_exercice = 41
    presents = 33
    procurations = 6
    pour = 39
    contre = 0
    abstention = 0
    ne_prend_pas_part = 0


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
