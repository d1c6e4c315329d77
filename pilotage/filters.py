import django_filters
from django import forms
from django.db.models import Q

from commun.forms import EntierField
from contrats.enums import TypeContrat
from contrats.models import Contrat


class AnneeFilter(django_filters.NumberFilter):
    """Une année en chiffres ASCII (DecimalField, le champ par défaut, lit aussi « ٢٠٢٤ »)."""

    field_class = EntierField


class ContratFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Rechercher",
        method="rechercher",
        widget=forms.TextInput(attrs={"class": "form-control", "placeholder": "Titre ou collectivité"}),
    )
    type = django_filters.ChoiceFilter(
        label="Type",
        choices=TypeContrat.choices,
        empty_label="Tous les types",
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    annee = AnneeFilter(
        label="En vigueur en",
        method="en_vigueur",
        min_value=2000,
        max_value=2100,
        widget=forms.NumberInput(attrs={"class": "form-control", "placeholder": "Année"}),
    )

    class Meta:
        model = Contrat
        fields = ["q", "type", "annee"]

    def rechercher(self, queryset, name, value):
        return queryset.filter(Q(titre__icontains=value) | Q(collectivite__nom__icontains=value))

    def en_vigueur(self, queryset, name, value):
        return queryset.filter(annee_debut__lte=value, annee_fin__gte=value)
