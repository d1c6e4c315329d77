from django import forms
from django.core.exceptions import ValidationError

from commun.forms import ChoixModeleField, DateField, EntierField, NombreField
from finances.enums import Financeur


class MontantField(NombreField):
    """Montant en euros saisi à la française (« 12 500 », « 12 500,50 »)."""

    libelle = "montant"
    default_error_messages = {"required": "Saisissez un montant (0 si aucun)."}


class BudgetAnneeForm(forms.Form):
    """Toutes les lignes d'une année, saisies et enregistrées d'un seul bloc."""

    FINANCEURS = (Financeur.ETAT, Financeur.COLLECTIVITE, Financeur.AUTRE)

    def __init__(self, *args, actions, annee, lignes, **kwargs):
        super().__init__(*args, **kwargs)
        self.actions = actions
        self.annee = annee
        existants = {(ligne.action_id, ligne.financeur): ligne.montant for ligne in lignes}
        self.rangees = []
        for action in actions:
            champs = []
            for financeur in self.FINANCEURS:
                nom = f"a{action.pk}_{financeur}"
                self.fields[nom] = MontantField(
                    label=f"Action {action.numero} – {Financeur(financeur).label}",
                    initial=existants.get((action.pk, financeur), 0),
                )
                champs.append(nom)
            self.rangees.append((action, champs))

    def montants(self):
        return {
            (action, self.annee, financeur): self.cleaned_data[f"a{action.pk}_{financeur}"]
            for action in self.actions
            for financeur in self.FINANCEURS
        }

    def lignes_formulaire(self):
        return [(action, [self[nom] for nom in champs]) for action, champs in self.rangees]

    def ajouter_erreurs(self, erreur: ValidationError):
        for message in erreur.messages:
            self.add_error(None, message)


class AvenantForm(forms.Form):
    numero = EntierField(
        label="Numéro de l'avenant",
        min_value=1,
        max_value=999,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )
    date = DateField(
        label="Date de signature",
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        error_messages={"invalid": "Saisissez une date, par exemple 15/03/2025."},
        widget=forms.DateInput(attrs={"class": "form-control", "placeholder": "jj/mm/aaaa"}),
    )
    objet = forms.CharField(
        label="Objet", max_length=2000, widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"})
    )
    deliberation = ChoixModeleField(
        label="Délibération", required=False, queryset=None, widget=forms.Select(attrs={"class": "form-select"})
    )

    def __init__(self, *args, contrat, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deliberation"].queryset = contrat.deliberations.all()
        self.fields["deliberation"].empty_label = "Aucune"
