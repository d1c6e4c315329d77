from django import forms
from django.core.exceptions import ValidationError

from commun.formats import chiffres_non_ascii, lire_nombre, nombre


class ChiffresAsciiMixin:
    """Refuse les chiffres autres que 0-9 avant la conversion de Django : IntegerField (int()), DecimalField
    (Decimal()) et DateField (strptime) acceptent « ٣ » ou « ３ » ; une clé de ModelChoiceField aussi."""

    def to_python(self, value):
        if isinstance(value, str) and chiffres_non_ascii(value):
            raise ValidationError(
                f"« {value} » : seuls les chiffres de 0 à 9 sont acceptés.", code="chiffres_non_ascii"
            )
        return super().to_python(value)


class EntierField(ChiffresAsciiMixin, forms.IntegerField):
    pass


class DateField(ChiffresAsciiMixin, forms.DateField):
    pass


class ChoixModeleField(ChiffresAsciiMixin, forms.ModelChoiceField):
    pass


class NombreField(forms.Field):
    """Nombre saisi à la française (« 1 234 », « 1 234,5 »), rendu en Decimal ; refus en français sinon.

    Base commune des montants (finances) et des valeurs d'indicateurs."""

    widget = forms.TextInput
    libelle = "nombre"

    def __init__(self, *, decimales: int = 2, **kwargs):
        self.decimales = decimales
        super().__init__(**kwargs)
        self.widget.attrs.update(
            {"inputmode": "decimal", "maxlength": "30", "class": "form-control form-control-sm text-end"}
        )

    def prepare_value(self, value):
        if value is None or isinstance(value, str):
            return value
        return nombre(value)

    def to_python(self, value):
        if value in self.empty_values or not str(value).strip():
            return None
        return lire_nombre(str(value), decimales=self.decimales, libelle=self.libelle)
