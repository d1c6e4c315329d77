from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone

from commun.forms import DateField, EntierField
from contrats.enums import Organe
from contrats.models import Deliberation
from rapports.enums import MoyenTransmission

# Plus grande assemblée délibérante plausible ; au-delà, une faute de frappe (et le champ de la base est petit).
MEMBRES_MAX = 999

# Contrainte de la base (message en français) → champ du formulaire qui porte l'erreur.
CHAMP_DE_LA_CONTRAINTE = {
    "deliberation_exercice_le_membres": "membres_en_exercice",
    "deliberation_presents_procurations": "procurations",
    "deliberation_scrutin_votants": "pour",
    "deliberation_quorum": "presents",
    "deliberation_unique": "date",
}


def _champ_nombre(libelle: str, *, required: bool = True, aide: str = "") -> EntierField:
    return EntierField(
        label=libelle,
        required=required,
        min_value=0,
        max_value=MEMBRES_MAX,
        help_text=aide,
        error_messages={
            "required": f"Indiquez le nombre : {libelle.lower()}.",
            "invalid": f"{libelle} : saisissez un nombre entier, par exemple 39.",
            "min_value": f"{libelle} : un nombre ne peut pas être négatif.",
            "max_value": f"{libelle} : {MEMBRES_MAX} au maximum.",
        },
        widget=forms.NumberInput(
            attrs={"class": "form-control", "min": 0, "max": MEMBRES_MAX, "inputmode": "numeric"}
        ),
    )


class VoteForm(forms.Form):
    """Le vote d'un projet de délibération : séance, présences, scrutin. L'arithmétique (présents + procurations
    = votants ≤ membres en exercice, scrutin = votants, quorum) est vérifiée par le modèle (full_clean)."""

    organe = forms.ChoiceField(
        label="Organe délibérant",
        choices=Organe.choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    date = DateField(
        label="Date de la séance",
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        error_messages={"invalid": "Saisissez une date, par exemple 12/09/2024.", "required": "Indiquez la date."},
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
    )
    date_convocation = DateField(
        label="Convocation envoyée le",
        required=False,
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        error_messages={"invalid": "Saisissez une date, par exemple 06/09/2024."},
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
    )
    president = forms.CharField(
        label="Président de séance",
        required=False,
        max_length=255,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    secretaire = forms.CharField(
        label="Secrétaire de séance",
        required=False,
        max_length=255,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    membres = _champ_nombre(
        "Nombre de membres", required=False, aide="Laissez vide s'il égale le nombre de membres en exercice."
    )
    membres_en_exercice = _champ_nombre("Membres en exercice")
    presents = _champ_nombre("Présents participant au vote")
    procurations = _champ_nombre("Procurations")
    pour = _champ_nombre("Pour")
    contre = _champ_nombre("Contre")
    abstention = _champ_nombre("Abstention")
    ne_prend_pas_part = _champ_nombre("Ne se prononce pas", aide="Ne prend pas part au vote.")

    CHAMPS_SEANCE = ("organe", "date", "date_convocation", "president", "secretaire")
    CHAMPS_PRESENCE = ("membres", "membres_en_exercice", "presents", "procurations")
    CHAMPS_SCRUTIN = ("pour", "contre", "abstention", "ne_prend_pas_part")

    @classmethod
    def initial_depuis(cls, deliberation: Deliberation | None) -> dict:
        if deliberation is None:
            return {"organe": Organe.CONSEIL, "contre": 0, "abstention": 0, "ne_prend_pas_part": 0}
        return {nom: getattr(deliberation, nom) for nom in cls.base_fields}

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date > timezone.localdate():
            raise ValidationError(
                "La séance ne peut pas être postérieure à aujourd'hui : le vote est enregistré après."
            )
        return date

    def clean(self):
        donnees = super().clean()
        convocation, date = donnees.get("date_convocation"), donnees.get("date")
        if convocation and date and convocation > date:
            self.add_error("date_convocation", "La convocation précède la séance.")
        return donnees

    def _post_clean(self):
        super()._post_clean()
        self._marquer_invalides()

    def _marquer_invalides(self) -> None:
        for nom in self.errors:
            if nom in self.fields and "is-invalid" not in self.fields[nom].widget.attrs.get("class", ""):
                self.fields[nom].widget.attrs["class"] = self.fields[nom].widget.attrs.get("class", "") + " is-invalid"

    @property
    def champs_seance(self) -> list:
        return [self[nom] for nom in self.CHAMPS_SEANCE if nom != "organe"]

    @property
    def champs_presence(self) -> list:
        return [self[nom] for nom in self.CHAMPS_PRESENCE]

    @property
    def champs_scrutin(self) -> list:
        return [self[nom] for nom in self.CHAMPS_SCRUTIN]

    def donnees(self) -> dict:
        return dict(self.cleaned_data)

    def ajouter_erreurs(self, erreur: ValidationError) -> None:
        """Les erreurs de full_clean() : chacune sur son champ ; celles des contraintes sur le champ concerné."""
        messages_contraintes = {
            str(c.violation_error_message): CHAMP_DE_LA_CONTRAINTE.get(c.name) for c in Deliberation._meta.constraints
        }
        for champ, messages in erreur.message_dict.items():
            for message in messages:
                cible = champ if champ in self.fields else None
                if champ == NON_FIELD_ERRORS:
                    cible = messages_contraintes.get(message)
                self.add_error(cible, message)
        self._marquer_invalides()

    def erreurs_resumees(self) -> list[tuple[str, str, str]]:
        """(id du champ ou « », libellé, message) : le récapitulatif en tête du formulaire."""
        resume = [("", "", message) for message in self.non_field_errors()]
        for nom, champ in self.fields.items():
            for message in self.errors.get(nom, []):
                resume.append((self[nom].id_for_label, champ.label, message))
        return resume


class FigerForm(forms.Form):
    """Figer une version pour transmission : une confirmation explicite, et le motif si le document n'est pas prêt
    (la liste de ce qui manque et ce motif sont conservés avec la version et imprimés en première page)."""

    confirmer = forms.BooleanField(
        label="Je confirme : figer cette version en PDF/A, conservée telle quelle pour la transmission au préfet.",
        error_messages={"required": "Cochez la confirmation pour figer cette version."},
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    reserve = forms.CharField(
        label="Motif (obligatoire si des éléments manquent)",
        required=False,
        max_length=2000,
        help_text="Pourquoi la version est figée malgré ce qui manque ; imprimé en première page de la version.",
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}),
    )

    def __init__(self, *args, preparation=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.preparation = preparation

    def clean_reserve(self):
        reserve = " ".join(self.cleaned_data["reserve"].split())
        if self.preparation is not None and not self.preparation.pret and not reserve:
            manques = len(self.preparation.manques)
            raise ValidationError(
                f"Le document n'est pas prêt ({manques} point{'s' if manques > 1 else ''} à régler) : indiquez "
                "pourquoi vous le figez quand même, ou réglez d'abord ce qui manque."
            )
        return reserve


class TransmissionForm(forms.Form):
    """La transmission au préfet telle qu'elle a eu lieu : sa date réelle, son destinataire, son moyen."""

    date = forms.DateField(
        label="Transmise le",
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        error_messages={
            "invalid": "Saisissez une date au format jj/mm/aaaa, par exemple 15/03/2026.",
            "required": "Indiquez la date de la transmission.",
        },  # fmt: skip
        help_text="Format jj/mm/aaaa ; au plus tard aujourd'hui.",
        widget=forms.DateInput(
            attrs={"class": "form-control", "placeholder": "jj/mm/aaaa", "inputmode": "numeric"}, format="%d/%m/%Y"
        ),
    )
    destinataire = forms.CharField(
        label="Destinataire",
        max_length=255,
        error_messages={"required": "Indiquez le destinataire, par exemple « Préfet de la Côte-d'Or »."},
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    moyen = forms.ChoiceField(
        label="Moyen",
        choices=[("", "— choisir —"), *MoyenTransmission.choices],
        error_messages={"required": "Indiquez le moyen de transmission."},
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    confirmer = forms.BooleanField(
        label="Je confirme que cette version a été transmise au préfet : l'échéance du rapport sera réalisée.",
        error_messages={"required": "Cochez la confirmation pour enregistrer la transmission."},
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args, version=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.version = version

    def clean_date(self):
        date = self.cleaned_data["date"]
        erreur = self.version.erreur_date_transmission(date) if self.version else ""
        if erreur:
            raise ValidationError(erreur)
        return date
