from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict

from commun.formats import chiffres_non_ascii, lire_nombre, nombre
from commun.televersement import TeleversementRefuse


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


class FichierEnvoyeField(forms.FileField):
    """Un fichier envoyé par formulaire : refusé, avec son nom et la limite, s'il a dépassé la taille maximale de
    sa page (commun/televersement.py), que le serveur a cessé de recevoir."""

    def to_python(self, data):
        if isinstance(data, TeleversementRefuse):
            raise ValidationError(data.message, code="trop_lourd")
        return super().to_python(data)


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


class FormulaireFusion(forms.Form):
    """Un formulaire de saisie protégé par la fusion à trois voies (commun/fusion.py) : chaque champ saisi porte,
    caché, la valeur lue à l'ouverture de la page (`show_hidden_initial`, « initial-<nom> ») ; un champ en conflit
    reçoit un choix « choix-<nom> » (garder ma saisie / prendre la valeur enregistrée).

    La sous-classe déclare ses champs (avec `show_hidden_initial=True`), puis appelle `preparer_fusion()`."""

    conflits = forms.CharField(required=False, widget=forms.HiddenInput)
    CHOIX = [("mienne", "Garder ma saisie"), ("enregistree", "Prendre la valeur enregistrée")]
    TECHNIQUES = ("version", "conflits")
    BOOLEENS = ("oui", "non")  # une case cochée, une case décochée, dans les messages de conflit

    def preparer_fusion(self, *, conflits=None, lecture_seule: bool = False) -> None:
        # Les champs en conflit à trancher : ceux de l'exception qui vient d'être levée (page renvoyée), ou ceux que
        # la page renvoyée déclare (champ caché « conflits ») quand l'utilisateur enregistre de nouveau.
        self.conflits_a_trancher = {c.champ: c for c in conflits or []}
        noms = list(self.conflits_a_trancher) or [n for n in (self.data.get("conflits") or "").split(",") if n]
        for nom in noms:
            if nom in self.fields:
                self.fields[f"choix-{nom}"] = forms.ChoiceField(
                    choices=self.CHOIX,
                    widget=forms.RadioSelect,
                    label=f"Valeur à garder – {self.fields[nom].label}",
                    error_messages={"required": "Choisissez la valeur à garder : rien n'est enregistré avant."},
                )
        self.initial.setdefault("conflits", ",".join(noms))
        if self.conflits_a_trancher:
            self.data = self.data.copy()
            self.data["conflits"] = ",".join(noms)
        if lecture_seule:
            for nom, champ in self.fields.items():
                if nom != "version":
                    champ.disabled = True

    def ajouter_erreurs(self, erreur: forms.ValidationError) -> None:
        """Les erreurs d'un service : sur leur champ quand le service en nomme un, sinon générales."""
        if hasattr(erreur, "error_dict"):
            for champ, liste in erreur.error_dict.items():
                for e in liste:
                    self.add_error(champ if champ in self.fields else None, e.messages)
        else:
            for message in erreur.messages:
                self.add_error(None, message)

    def noms_saisis(self) -> list[str]:
        return [n for n in self.fields if n not in self.TECHNIQUES and not n.startswith("choix-")]

    def lues(self) -> dict:
        """Ce que l'utilisateur a lu en ouvrant la page (valeurs cachées « initial-… »), lu par les mêmes champs."""
        lues = {}
        for nom in self.noms_saisis():
            try:
                lues[nom] = self.fields[nom].to_python(self.data.get(f"initial-{nom}"))
            except forms.ValidationError:
                lues[nom] = None
            if isinstance(lues[nom], str):
                lues[nom] = lues[nom].strip()
        return lues

    def saisies(self) -> dict:
        """Ce que l'utilisateur a saisi (après validation), choix des conflits appliqués : « enregistrée » reprend la
        valeur lue, que la page renvoyée a remise à la valeur enregistrée."""
        saisies = {}
        lues = self.lues()
        for nom in self.noms_saisis():
            valeur = self.cleaned_data.get(nom)
            saisies[nom] = valeur.strip() if isinstance(valeur, str) else valeur
            if self.cleaned_data.get(f"choix-{nom}") == "enregistree":
                saisies[nom] = lues[nom]
        return saisies

    def brut(self, nom: str, valeur) -> str:
        """Une valeur telle que le champ l'affiche (nombre à la française, case cochée)."""
        champ = self.fields[nom]
        if isinstance(champ, forms.BooleanField):
            return "True" if valeur else "False"
        if valeur is None:
            return ""
        return champ.prepare_value(valeur) if isinstance(champ, NombreField) else str(valeur)

    def affiche(self, nom: str, valeur) -> str:
        """Une valeur telle qu'un message la cite."""
        champ = self.fields[nom]
        if isinstance(champ, forms.BooleanField):
            return self.BOOLEENS[0] if valeur else self.BOOLEENS[1]
        if valeur in (None, ""):
            return "vide"
        if isinstance(champ, NombreField):
            return nombre(valeur)
        if isinstance(champ, forms.ChoiceField):
            return str(dict(champ.choices).get(valeur, valeur))
        return f"« {valeur} »"

    def rebasee(self, conflit, enregistrees: dict, **remplacer) -> QueryDict:
        """La saisie renvoyée après un conflit : celle de l'utilisateur gardée, lue désormais contre ce qui est
        enregistré (valeurs « initial-… » à jour) ; les champs que seul l'autre a changés en reprennent la valeur.
        Rien n'est perdu, rien n'est écrasé sans avoir été montré. `remplacer` : d'autres champs (la version)."""
        donnees = self.data.copy()
        for nom, valeur in remplacer.items():
            donnees[nom] = valeur
        for nom in self.noms_saisis():
            donnees[f"initial-{nom}"] = self.brut(nom, enregistrees.get(nom))
            if nom in conflit.repris:
                if isinstance(self.fields[nom], forms.BooleanField):
                    if enregistrees.get(nom):
                        donnees[nom] = "on"
                    else:
                        donnees.pop(nom, None)
                else:
                    donnees[nom] = self.brut(nom, enregistrees.get(nom))
        return donnees

    def conflits_affiches(self, conflit) -> dict:
        """champ → ce que la page dit du conflit : libellé, les deux valeurs, qui a écrit l'autre et quand."""
        affiches = {}
        for c in conflit.conflits:
            qui, quand = conflit.auteurs.get(c.champ, ("une autre personne", None))
            affiches[c.champ] = {
                "libelle": self.fields[c.champ].label, "saisie": self.affiche(c.champ, c.saisie),
                "enregistree": self.affiche(c.champ, c.enregistree), "qui": qui, "quand": quand,
            }  # fmt: skip
        return affiches

    def repris_affiches(self, champs, auteurs: dict, enregistrees: dict) -> list[str]:
        """Les champs changés par un autre, repris tels qu'enregistrés : une ligne lisible chacun."""
        lignes = []
        for champ in champs:
            qui, quand = auteurs.get(champ, ("une autre personne", None))
            moment = f" le {quand:%d/%m/%Y à %H:%M}" if quand else ""
            libelle = self.fields[champ].label if champ in self.fields else champ
            lignes.append(f"{libelle} : {self.affiche(champ, enregistrees.get(champ))} ({qui}{moment})")
        return lignes

    def repris_resume(self, champs, auteurs: dict) -> str:
        """« Valeur – X (Paul Exemple, Dijon métropole) ; … » : pour le message après un enregistrement fusionné."""
        return "; ".join(
            f"{self.fields[c].label if c in self.fields else c} ({auteurs.get(c, ('une autre personne',))[0]})"
            for c in champs
        )
