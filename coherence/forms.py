from django import forms


class ExamenForm(forms.Form):
    cle = forms.CharField(widget=forms.HiddenInput, max_length=255)
    empreinte = forms.CharField(widget=forms.HiddenInput, max_length=64)
    commentaire = forms.CharField(
        label="Commentaire d'examen",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
        help_text="Pourquoi ce constat n'appelle plus d'action (coquille connue, tranché en comité, avenant prévu…).",
    )
    rouvrir = forms.BooleanField(required=False, widget=forms.HiddenInput)
