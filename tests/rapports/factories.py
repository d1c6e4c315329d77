import hashlib

import factory

from rapports.enums import TypeRapport
from rapports.models import DeliberationRapport, VersionRapport
from tests.contrats.factories import ContratFactory, DeliberationFactory


class VersionRapportFactory(factory.django.DjangoModelFactory):
    """Une version figée, sans passer par WeasyPrint : des octets PDF factices et leur empreinte."""

    class Meta:
        model = VersionRapport

    contrat = factory.SubFactory(ContratFactory)
    type = TypeRapport.MI_PARCOURS
    annee = 2024
    pdf = factory.Sequence(lambda n: f"%PDF-1.7 version factice {n}".encode())
    sha256 = factory.LazyAttribute(lambda v: hashlib.sha256(v.pdf).hexdigest())
    taille = factory.LazyAttribute(lambda v: len(v.pdf))
    variante = "pdf/a-3b"


class DeliberationRapportFactory(factory.django.DjangoModelFactory):
    """Le vote enregistré d'un projet de délibération."""

    class Meta:
        model = DeliberationRapport

    contrat = factory.SubFactory(ContratFactory)
    type = TypeRapport.DELIBERATION_MI_PARCOURS
    annee = 2024
    deliberation = factory.SubFactory(DeliberationFactory, contrat=factory.SelfAttribute("..contrat"))
