from django import forms

from commun.forms import EntierField
from documents.forms import FichierField
from indicateurs.enums import TransitionSuivi


class EvaluationForm(forms.Form):
    version = EntierField(widget=forms.HiddenInput)
    questions = forms.CharField(
        label="Questions évaluatives", required=False, max_length=20000,
        help_text="Les questions auxquelles l'évaluation de l'action répond (guide méthodologique de la DIPLP).",
    )  # fmt: skip
    methodes = forms.CharField(
        label="Méthodes utilisées", required=False, max_length=20000,
        help_text="Données de suivi, enquêtes, entretiens, groupes de parole, comparaisons…",
    )  # fmt: skip
    constats = forms.CharField(label="Constats", required=False, max_length=20000)
    recommandation = forms.CharField(label="Recommandation", required=False, max_length=20000)

    def __init__(self, *args, lecture_seule: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        for nom in ("questions", "methodes", "constats", "recommandation"):
            self.fields[nom].widget = forms.Textarea(attrs={"rows": 4, "class": "form-control"})
            if lecture_seule:
                self.fields[nom].widget.attrs["readonly"] = True


class StatutForm(forms.Form):
    version = EntierField(widget=forms.HiddenInput)
    transition = forms.ChoiceField(choices=TransitionSuivi.choices)
    motif = forms.CharField(
        required=False, max_length=2000, label="Motif",
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )  # fmt: skip


class PieceForm(forms.Form):
    titre = forms.CharField(
        label="Titre", max_length=255, required=False, widget=forms.TextInput(attrs={"class": "form-control"}),
        help_text="Par exemple « Questionnaire aux bénéficiaires, mars 2026 » ; à défaut, le nom du fichier.",
    )  # fmt: skip
    fichier = FichierField(widget=forms.FileInput(attrs={"class": "form-control"}))
