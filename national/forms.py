from django import forms

from referentiel.models import IndicateurNational


class IndicateurNationalForm(forms.ModelForm):
    class Meta:
        model = IndicateurNational
        fields = ["pilier", "libelle", "unite", "source", "ordre", "actif"]
        widgets = {
            "pilier": forms.Select(attrs={"class": "form-select"}),
            "libelle": forms.TextInput(attrs={"class": "form-control"}),
            "unite": forms.TextInput(attrs={"class": "form-control"}),
            "source": forms.TextInput(attrs={"class": "form-control"}),
            "ordre": forms.NumberInput(attrs={"class": "form-control"}),
            "actif": forms.CheckboxInput(attrs={"class": "form-check-input"}),
        }
