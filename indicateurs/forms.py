from django import forms

from commun.forms import NombreField
from indicateurs.enums import Appreciation, SourceCible, TransitionSuivi
from indicateurs.services import CHAMPS_RECIT, Valeur

LIBELLES_RECIT = {
    "resultats": "Résultats obtenus",
    "difficultes": "Difficultés",
    "perspectives": "Perspectives",
    "impact_social": "Impact social",
}


class ValeurField(NombreField):
    """Valeur d'indicateur : « 1 234 » ; « 1 234,5 » seulement si l'indicateur admet des décimales."""

    def __init__(self, *, decimales=0, unite="", **kwargs):
        self.unite = unite
        super().__init__(decimales=decimales, **kwargs)

    def to_python(self, value):
        try:
            return super().to_python(value)
        except forms.ValidationError as erreur:
            if erreur.code == "decimales" and self.decimales == 0:
                raise forms.ValidationError(
                    f"Un nombre entier est attendu ({self.unite or 'comptage'}) : pas de décimales.", code="decimales"
                ) from erreur
            raise


class GrilleSaisieForm(forms.Form):
    """La grille d'une année : valeur (ou appréciation, pour un indicateur qualitatif) et commentaire de chaque
    indicateur, récit de chaque action, d'un bloc. Champs : `v<pk>` valeur, `a<pk>` appréciation, `c<pk>`
    commentaire."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, actions, indicateurs, realisations, recits, lecture_seule=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.actions = actions
        self.indicateurs = indicateurs
        self.lecture_seule = lecture_seule
        for indicateur in indicateurs:
            realisation = realisations.get(indicateur.pk)
            if indicateur.est_qualitatif:
                self.fields[f"a{indicateur.pk}"] = forms.ChoiceField(
                    required=False,
                    choices=[("", "Non apprécié"), *Appreciation.choices],
                    label=f"Appréciation – {indicateur.libelle}",
                    initial=realisation.appreciation if realisation else "",
                    show_hidden_initial=True,
                    widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
                )
            else:
                self.fields[f"v{indicateur.pk}"] = ValeurField(
                    required=False,
                    decimales=indicateur.decimales,
                    unite=indicateur.unite,
                    label=f"Valeur – {indicateur.libelle}",
                    initial=realisation.valeur if realisation else None,
                    show_hidden_initial=True,
                )
            self.fields[f"c{indicateur.pk}"] = forms.CharField(
                required=False,
                max_length=2000,
                label=f"Commentaire – {indicateur.libelle}",
                initial=realisation.commentaire if realisation else "",
                show_hidden_initial=True,
                widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
            )
        for action in actions:
            recit = recits.get(action.pk)
            for champ in CHAMPS_RECIT:
                self.fields[f"r{action.pk}_{champ}"] = forms.CharField(
                    required=False,
                    max_length=10000,
                    label=f"{LIBELLES_RECIT[champ]} – action {action.numero}",
                    initial=getattr(recit, champ) if recit else "",
                    show_hidden_initial=True,
                    widget=forms.Textarea(attrs={"rows": 2, "class": "form-control form-control-sm"}),
                )
        if lecture_seule:
            for nom, champ in self.fields.items():
                if nom != "version":
                    champ.disabled = True

    @staticmethod
    def champ_resultat(indicateur) -> str:
        """Le nom du champ qui porte le résultat de l'année : appréciation (qualitatif) ou valeur."""
        return f"a{indicateur.pk}" if indicateur.est_qualitatif else f"v{indicateur.pk}"

    def valeurs(self) -> dict:
        return {
            i: Valeur(
                valeur=None if i.est_qualitatif else self.cleaned_data[f"v{i.pk}"],
                commentaire=self.cleaned_data[f"c{i.pk}"].strip(),
                appreciation=self.cleaned_data[f"a{i.pk}"] if i.est_qualitatif else "",
            )
            for i in self.indicateurs
        }

    def recits(self) -> dict:
        return {a: {c: self.cleaned_data[f"r{a.pk}_{c}"].strip() for c in CHAMPS_RECIT} for a in self.actions}

    def par_action(self):
        """Pour le gabarit : chaque action avec ses indicateurs (champ valeur ou appréciation, champ commentaire) et
        son récit."""
        indicateurs = {}
        for indicateur in self.indicateurs:
            indicateurs.setdefault(indicateur.action_id, []).append(
                (indicateur, self[self.champ_resultat(indicateur)], self[f"c{indicateur.pk}"])
            )
        return [
            (action, indicateurs.get(action.pk, []), [self[f"r{action.pk}_{c}"] for c in CHAMPS_RECIT])
            for action in self.actions
        ]


class StatutForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    transition = forms.ChoiceField(choices=TransitionSuivi.choices)
    motif = forms.CharField(
        required=False,
        max_length=2000,
        label="Motif",
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )


class CibleForm(forms.Form):
    valeur = ValeurField(label="Valeur cible", decimales=2)
    source = forms.ChoiceField(
        label="Fixée par", choices=SourceCible.choices, widget=forms.Select(attrs={"class": "form-select"})
    )
    justification = forms.CharField(
        label="Justification (référence de l'avenant ou du compte rendu du dialogue de gestion)",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )
