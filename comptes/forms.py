from django import forms

from commun.forms import ChoixModeleField
from comptes.enums import Role
from contrats.models import Organisation


class InvitationForm(forms.Form):
    """Inviter une personne : son nom, son adresse électronique (son identifiant de connexion) et son rôle ; son
    organisation est celle de l'administrateur qui l'invite, ou choisie par l'administrateur de la plateforme."""

    prenom = forms.CharField(label="Prénom", max_length=150)
    nom = forms.CharField(label="Nom", max_length=150)
    email = forms.EmailField(
        label="Adresse électronique",
        max_length=150,
        help_text=(
            "Elle servira d'identifiant ; le lien pour choisir un mot de passe y sera envoyé, maintenant et en cas "
            "d'oubli."
        ),
    )
    role = forms.ChoiceField(label="Rôle")
    organisation = ChoixModeleField(label="Organisation", queryset=Organisation.objects.order_by("nom"))

    def __init__(self, *args, plateforme: bool, **kwargs):
        super().__init__(*args, **kwargs)
        # Seul l'administrateur de la plateforme nomme un administrateur de la plateforme ou choisit l'organisation.
        self.fields["role"].choices = [(v, nom) for v, nom in Role.choices if plateforme or v != Role.ADMINISTRATEUR]
        if not plateforme:
            del self.fields["organisation"]
