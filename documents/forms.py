from django import forms
from django.core.exceptions import ValidationError

from commun.forms import FichierEnvoyeField
from documents.enums import NatureDocument
from documents.formats import EXTENSIONS_ACCEPTEES, fichier_verifier

NATURES_DU_CONTRAT = [(v, libelle) for v, libelle in NatureDocument.choices if v != NatureDocument.PIECE_JUSTIFICATIVE]


class FichierField(FichierEnvoyeField):
    """Un document : taille (dès l'envoi, puis une fois reçu), type (extension et contenu) vérifiés, refus en
    français."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Fichier")
        kwargs.setdefault("help_text", f"Formats acceptés : {EXTENSIONS_ACCEPTEES}.")
        kwargs.setdefault(
            "error_messages",
            {"required": "Choisissez le fichier à déposer.", "empty": "Le fichier est vide.",
             "invalid": "Aucun fichier n'a été reçu : choisissez le fichier à déposer."},
        )  # fmt: skip
        kwargs.setdefault("allow_empty_file", True)  # refusé par fichier_verifier, avec le nom du fichier
        super().__init__(**kwargs)
        self.widget.attrs["accept"] = ",".join(f".{e.strip('. ')}" for e in EXTENSIONS_ACCEPTEES.split(","))

    def clean(self, data, initial=None):
        fichier = super().clean(data, initial)
        if fichier:
            try:
                fichier_verifier(fichier)
            except ValidationError as erreur:
                raise ValidationError(erreur.messages) from erreur
        return fichier


class DocumentForm(forms.Form):
    nature = forms.ChoiceField(label="Nature", choices=NATURES_DU_CONTRAT)
    titre = forms.CharField(
        label="Titre", max_length=255, required=False,
        help_text="Par exemple « Avenant n° 1 signé le 12/03/2025 » ; à défaut, le nom du fichier.",
    )  # fmt: skip
    fichier = FichierField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nature"].widget.attrs["class"] = "form-select"
        for nom in ("titre", "fichier"):
            self.fields[nom].widget.attrs["class"] = "form-control"
