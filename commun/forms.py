from django import forms

from commun.formats import lire_nombre, nombre


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
