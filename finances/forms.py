from django import forms
from django.core.exceptions import ValidationError

from commun.forms import ChoixModeleField, DateField, EntierField, FormulaireFusion, NombreField
from finances.enums import Financeur
from finances.selectors import Budget
from finances.services import CHAMPS_EXECUTION, champ_execution


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


class ExecutionGrilleForm(FormulaireFusion):
    """La grille d'exécution d'une année : pour chaque action × financeur, engagé, réalisé et justification d'une
    sous-consommation (champs `e<pk>_<financeur>`, `r…`, `j…`), d'un bloc. Un champ vide : non saisi (jamais 0)."""

    LIBELLES = {"e": "Engagé", "r": "Réalisé", "j": "Justification"}

    def __init__(self, *args, execution, lecture_seule=False, conflits=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.execution = execution
        self.annee = execution.annees[0]
        cellules = {(c.action.pk, c.financeur): c for c in execution.cellules}
        for action in execution.actions:
            for financeur in execution.financeurs:
                cellule = cellules.get((action.pk, financeur))
                for prefixe, attribut in CHAMPS_EXECUTION.items():
                    nom = champ_execution(prefixe, action.pk, financeur)
                    label = f"{self.LIBELLES[prefixe]} – action {action.numero}, {Financeur(financeur).label}"
                    initial = getattr(cellule, attribut) if cellule else None
                    if prefixe == "j":
                        self.fields[nom] = forms.CharField(
                            required=False, max_length=2000, label=label, initial=initial or "",
                            show_hidden_initial=True,
                            widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
                        )  # fmt: skip
                    else:
                        self.fields[nom] = MontantField(
                            required=False, label=label, initial=initial, show_hidden_initial=True
                        )
                        self.fields[nom].widget.attrs["data-somme"] = attribut
        self.preparer_fusion(conflits=conflits, lecture_seule=lecture_seule)

    def groupes(self) -> list[dict]:
        """Par axe : les lignes (action × financeur) avec leur cellule du modèle de lecture et leurs champs, puis le
        sous-total de l'axe (finances/selectors.py) ; la page ajoute le total du contrat."""
        execution = self.execution
        cellules = {(c.action.pk, c.financeur): c for c in execution.cellules}
        groupes = []
        for action in execution.actions:
            if not groupes or groupes[-1]["axe"] != action.axe:
                groupes.append(
                    {
                        "axe": action.axe,
                        "cle": action.axe_id or 0,
                        "lignes": [],
                        "sous_total": execution.budget_axe(action.axe_id, self.annee),
                    }
                )
            for rang, financeur in enumerate(execution.financeurs):
                cellule = cellules.get((action.pk, financeur))
                groupes[-1]["lignes"].append(
                    {
                        "action": action,
                        "premiere": rang == 0,
                        "financeur": Financeur(financeur).label,
                        "cellule": cellule,
                        "budget": cellule.budget if cellule else Budget(annee=self.annee),
                        "champs": [self[champ_execution(p, action.pk, financeur)] for p in CHAMPS_EXECUTION],
                        # (champ, valeur enregistrée) : la valeur (Decimal, texte ; None : non saisie) en lecture seule
                        "cases": list(
                            zip(
                                [self[champ_execution(p, action.pk, financeur)] for p in CHAMPS_EXECUTION],
                                [getattr(cellule, a) if cellule else None for a in CHAMPS_EXECUTION.values()],
                                strict=True,
                            )
                        ),
                    }
                )
        return groupes


class VersementForm(FormulaireFusion):
    """Un versement de l'État : date, exercice, montant, pilier (axe), imputation au programme 304, code activité et
    compte crédité."""

    date = DateField(
        label="Date du versement",
        input_formats=["%d/%m/%Y"],
        show_hidden_initial=True,
        error_messages={"invalid": "Saisissez une date au format jj/mm/aaaa, par exemple 15/03/2025.",
                        "required": "Saisissez la date du versement."},
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"class": "form-control", "placeholder": "jj/mm/aaaa"}),
    )  # fmt: skip
    annee = forms.TypedChoiceField(
        label="Exercice", coerce=int, show_hidden_initial=True, widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={"required": "Choisissez l'exercice.", "invalid_choice": "Cet exercice n'est pas du contrat."},
    )  # fmt: skip
    montant = MontantField(
        label="Montant (€)", show_hidden_initial=True, error_messages={"required": "Saisissez le montant versé."}
    )
    axe = ChoixModeleField(
        label="Pilier (axe)", required=False, queryset=None, show_hidden_initial=True,
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={"invalid_choice": "Ce pilier n'est pas du contrat."},
    )  # fmt: skip
    imputation = forms.CharField(
        label="Imputation (programme 304)", required=False, max_length=255, show_hidden_initial=True,
        help_text="Par exemple « action 23, sous-action 23 ».",
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )  # fmt: skip
    code_activite = forms.CharField(
        label="Code activité", required=False, max_length=30, show_hidden_initial=True,
        help_text="Par exemple 0304 50 23 23 02.", widget=forms.TextInput(attrs={"class": "form-control"}),
    )  # fmt: skip
    compte = forms.CharField(
        label="Compte crédité", required=False, max_length=255, show_hidden_initial=True,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )  # fmt: skip

    def __init__(self, *args, contrat, axes, conflits=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["annee"].choices = [("", "—"), *((a, str(a)) for a in contrat.annees)]
        self.fields["axe"].queryset = axes
        self.fields["axe"].empty_label = "Sans pilier précisé"
        self.preparer_fusion(conflits=conflits)
