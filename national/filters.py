import django_filters
from django import forms

from contrats.enums import TypeOrganisation
from contrats.models import Contrat
from referentiel.enums import Region

TYPES_COLLECTIVITE = [
    (TypeOrganisation.METROPOLE.value, "Métropole (quatre axes)"),
    (TypeOrganisation.DEPARTEMENT.value, "Département (trois axes)"),
]


class ContratNationalFilter(django_filters.FilterSet):
    region = django_filters.ChoiceFilter(
        label="Région",
        field_name="collectivite__region",
        choices=Region.choices,
        empty_label="Toutes les régions",
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    departement = django_filters.CharFilter(
        label="Département (code)",
        field_name="departement",
        widget=forms.TextInput(attrs={"class": "form-control largeur-7", "placeholder": "ex. 21"}),
    )
    type = django_filters.ChoiceFilter(
        label="Type de contrat",
        field_name="collectivite__type",
        choices=TYPES_COLLECTIVITE,
        empty_label="Tous les types",
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    class Meta:
        model = Contrat
        fields = ["region", "departement", "type"]
