from django import forms

from commun.forms import EntierField, FormulaireFusion, NombreField
from indicateurs.enums import Appreciation, SourceCible, TransitionSuivi
from indicateurs.services import CHAMPS_RECIT

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


class GrilleSaisieForm(FormulaireFusion):
    """La grille d'une année : valeur (ou appréciation, pour un indicateur qualitatif) et commentaire de chaque
    indicateur, récit de chaque action, d'un bloc. Champs : `v<pk>` valeur, `a<pk>` appréciation, `c<pk>`
    commentaire."""

    version = EntierField(widget=forms.HiddenInput)
    BOOLEENS = ("non disponible", "disponible")

    def __init__(
        self, *args, actions, indicateurs, realisations, recits, lecture_seule=False, conflits=None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.actions = actions
        self.indicateurs = indicateurs
        self.realisations = realisations
        self.recits_existants = recits
        self.lecture_seule = lecture_seule
        for indicateur in indicateurs:
            realisation = realisations.get(indicateur.pk)
            self.fields[f"n{indicateur.pk}"] = forms.BooleanField(
                required=False,
                label=f"Non disponible – {indicateur.libelle}",
                initial=bool(realisation and realisation.non_disponible),
                show_hidden_initial=True,
                widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
            )
            if indicateur.est_qualitatif:
                self.fields[f"a{indicateur.pk}"] = forms.ChoiceField(
                    required=False,
                    choices=[("", "Non apprécié"), *Appreciation.choices],
                    label=f"Appréciation – {indicateur.libelle}",
                    initial=realisation.appreciation if realisation else "",
                    show_hidden_initial=True,
                    widget=forms.Select(attrs={"class": "form-select form-select-sm largeur-16"}),
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
        self.preparer_fusion(conflits=conflits, lecture_seule=lecture_seule)

    def clean(self):
        donnees = super().clean()
        for indicateur in self.indicateurs:
            pk = indicateur.pk
            if donnees.get(f"n{pk}") and (donnees.get(f"v{pk}") is not None or donnees.get(f"a{pk}")):
                self.add_error(
                    f"n{pk}", "« Non disponible » et une valeur à la fois : videz la valeur ou décochez la case."
                )
        return donnees

    @staticmethod
    def champ_resultat(indicateur) -> str:
        """Le nom du champ qui porte le résultat de l'année : appréciation (qualitatif) ou valeur."""
        return f"a{indicateur.pk}" if indicateur.est_qualitatif else f"v{indicateur.pk}"


class StatutForm(forms.Form):
    version = EntierField(widget=forms.HiddenInput)
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


NON_RATTACHE = "— non rattaché —"


class RattachementForm(forms.Form):
    """Une liste déroulante par indicateur chiffré du contrat : l'indicateur national auquel il se rattache, parmi
    ceux du pilier de son axe (tous, si l'axe n'est rattaché à aucun pilier). La valeur lue est renvoyée avec le
    formulaire (champ caché) : seuls les rattachements changés par l'utilisateur sont écrits, et un rattachement
    changé entre-temps par quelqu'un d'autre est signalé au lieu d'être écrasé."""

    motif = forms.CharField(
        label="Motif (facultatif, gardé dans l'historique)",
        required=False,
        max_length=500,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )

    def __init__(self, *args, indicateurs, nationaux, **kwargs):
        super().__init__(*args, **kwargs)
        self.lignes = []  # (indicateur, champ lié ou None pour un indicateur qualitatif)
        for indicateur in indicateurs:
            if indicateur.est_qualitatif:
                self.lignes.append((indicateur, None))
                continue
            axe = indicateur.action.axe if indicateur.action.axe_id else None
            pilier = axe.pilier_national_id if axe is not None else None
            proposes = [
                n
                for n in nationaux
                if (n.actif and pilier in (None, n.pilier_id)) or n.pk == indicateur.indicateur_national_id
            ]
            nom = f"i{indicateur.pk}"
            self.fields[nom] = forms.TypedChoiceField(
                label=f"Action {indicateur.action.numero} – {indicateur.libelle}",
                choices=[("", NON_RATTACHE)]
                + [
                    (n.pk, f"Pilier {n.pilier.numero} – {n.libelle}{'' if n.actif else ' (retiré)'}") for n in proposes
                ],
                coerce=int,
                empty_value=None,
                required=False,
                initial=indicateur.indicateur_national_id,
                show_hidden_initial=True,
                widget=forms.Select(attrs={"class": "form-select form-select-sm largeur-16"}),
            )
            self.lignes.append((indicateur, self[nom]))

    @property
    def choix_possible(self) -> bool:
        """Au moins un indicateur a un indicateur national à choisir (ou un rattachement à retirer) : sinon, la page
        n'a rien à enregistrer et n'offre ni liste ni bouton."""
        return any(len(champ.field.choices) > 1 for _, champ in self.lignes if champ is not None)

    def changements(self) -> dict[int, tuple[int | None, int | None]]:
        """indicateur → (rattachement lu par l'utilisateur, rattachement choisi), pour ceux qu'il a changés."""
        resultat = {}
        for nom in self.changed_data:
            if not nom.startswith("i"):
                continue
            lu = self.data.get(self[nom].html_initial_name, "")
            resultat[int(nom[1:])] = (int(lu) if lu.isascii() and lu.isdigit() else None, self.cleaned_data[nom])
        return resultat
