"""Les formulaires des étapes : parties, type et période, axes, classeur de l'annexe."""

import re

from django import forms

from commun.forms import ChoixModeleField, DateField, EntierField, FichierEnvoyeField, NombreField
from comptes.enums import Role
from contrats.enums import TYPES_ETAT, TypeOrganisation
from contrats.models import Organisation
from creation.brouillon import TYPES_COLLECTIVITE, AxeBrouillon
from referentiel.enums import Region
from referentiel.models import Pilier

TYPES_COLLECTIVITES = [TypeOrganisation.METROPOLE, TypeOrganisation.DEPARTEMENT]
NB_ANNEES_MAX = 10


def _choix(types):
    return [(t.value, t.label) for t in types]


# Les deux parties, décrites une fois : (préfixe des champs, intitulé, types d'organisation, exemple de qualité).
PARTIES = (
    ("etat", "l'État", TYPES_ETAT, "Ex. préfet de …"),
    ("collectivite", "la collectivité", TYPES_COLLECTIVITES, "Ex. Président"),
)


def _champs_d_une_partie(types, exemple_qualite: str) -> dict[str, forms.Field]:
    """Les champs d'une partie, sans préfixe : l'organisation existante, ou de quoi en créer une."""
    return {
        "": ChoixModeleField(
            label="Organisation existante",
            required=False,
            queryset=Organisation.objects.filter(type__in=types).order_by("nom"),
            empty_label="— choisir —",
        ),  # fmt: skip
        "_nom": forms.CharField(label="Ou nouvelle organisation : nom", max_length=255, required=False),
        "_type": forms.ChoiceField(label="Type", choices=_choix(types), required=False),
        "_departement": forms.CharField(label="Département (code)", max_length=3, required=False),
        "_region": forms.ChoiceField(
            label="Région", choices=[("", "— non précisée —")] + Region.choices, required=False
        ),
        "_representant": forms.CharField(label="Représentée par", max_length=255, required=False),
        "_qualite": forms.CharField(label="Qualité", max_length=500, required=False, help_text=exemple_qualite),
    }


class PartiesForm(forms.Form):
    """Les deux parties : l'État (préfecture ou service de l'État) et la collectivité, chacune choisie parmi les
    organisations existantes ou créée ici (mêmes champs, préfixés « etat » et « collectivite »). L'administrateur
    d'une organisation crée un contrat dont son organisation est partie, et seulement celui-là."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        for partie, _, types, exemple in PARTIES:
            for suffixe, champ in _champs_d_une_partie(types, exemple).items():
                self.fields[partie + suffixe] = champ

    def groupes(self):
        """Pour le gabarit : chaque partie, son intitulé et ses champs liés."""
        for partie, libelle, _, _ in PARTIES:
            yield {
                "legende": libelle[0].upper() + libelle[1:],  # « L'État », « La collectivité »
                "organisation": self[partie],
                "creation": [self[f"{partie}_{nom}"] for nom in ("nom", "type", "departement", "region")],
                "signataire": [self[f"{partie}_{nom}"] for nom in ("representant", "qualite")],
            }

    def clean(self):
        donnees = super().clean()
        for partie, libelle, _, _ in PARTIES:
            existante, nom = donnees.get(partie), (donnees.get(f"{partie}_nom") or "").strip()
            if existante and nom:
                self.add_error(f"{partie}_nom", f"Choisissez une organisation existante ou nommez-en une nouvelle "
                                                f"pour {libelle}, pas les deux.")  # fmt: skip
            elif not existante and not nom:
                self.add_error(partie, f"Choisissez l'organisation qui signe pour {libelle}, ou créez-la.")
            elif nom and not donnees.get(f"{partie}_type"):
                self.add_error(f"{partie}_type", "Précisez le type de la nouvelle organisation.")
            elif nom and Organisation.objects.filter(nom__iexact=nom).exists():
                self.add_error(f"{partie}_nom", f"L'organisation « {nom} » existe déjà : choisissez-la dans la liste.")
        profil = getattr(self.user, "profil", None)
        if not self.errors and not self.user.is_superuser and profil and profil.role != Role.ADMINISTRATEUR:
            parties = {donnees.get("etat"), donnees.get("collectivite")}
            if profil.organisation not in parties:
                raise forms.ValidationError(
                    f"Votre organisation ({profil.organisation}) doit être l'une des deux parties : vous ne créez que "
                    "les contrats qu'elle signe."
                )
        return donnees

    def nouvelle(self, partie: str) -> dict | None:
        d = self.cleaned_data
        if d.get(partie):
            return None
        return {"nom": d[f"{partie}_nom"].strip(), "type": d[f"{partie}_type"],
                "departement": d[f"{partie}_departement"].strip(), "region": d[f"{partie}_region"]}  # fmt: skip


class ContratForm(forms.Form):
    type_collectivite = forms.ChoiceField(
        label="Type de contrat", choices=list(TYPES_COLLECTIVITE.items()), widget=forms.RadioSelect
    )
    titre = forms.CharField(label="Titre du contrat", max_length=255)
    annee_debut = EntierField(label="Première année", min_value=2000, max_value=2100)
    annee_fin = EntierField(label="Dernière année", min_value=2000, max_value=2100)
    departement = forms.CharField(label="Département (code)", max_length=3, help_text="Ex. 21.")
    date_signature = DateField(label="Date de signature", required=False, help_text="jj/mm/aaaa ; vide si inconnue.")
    lieu_signature = forms.CharField(label="Lieu de signature", max_length=100, required=False)
    annees_provisoires = forms.CharField(
        label="Années dont le montant de l'État est prévisionnel", required=False, max_length=100,
        help_text="À fixer par avenant, ex. « 2025, 2026, 2027 » ; vide si tous les montants sont fermes.",
    )  # fmt: skip

    def __init__(self, *args, type_collectivite: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.type_de_la_collectivite = type_collectivite

    def clean(self):
        d = super().clean()
        debut, fin = d.get("annee_debut"), d.get("annee_fin")
        if debut and fin:
            if fin < debut:
                self.add_error("annee_fin", "La dernière année ne peut pas précéder la première.")
            elif fin - debut + 1 > NB_ANNEES_MAX:
                self.add_error("annee_fin", f"Un contrat dure {NB_ANNEES_MAX} ans au plus.")
        type_ = d.get("type_collectivite")
        if type_ and self.type_de_la_collectivite and type_ != self.type_de_la_collectivite:
            self.add_error(
                "type_collectivite",
                f"La collectivité choisie est de type « {TypeOrganisation(self.type_de_la_collectivite).label} » : "
                "le type du contrat est le sien.",
            )
        brut = d.get("annees_provisoires") or ""
        annees = []
        for morceau in filter(None, re.split(r"[\s,;]+", brut)):
            if not re.fullmatch(r"[0-9]{4}", morceau, re.ASCII):
                self.add_error("annees_provisoires", f"« {morceau} » n'est pas une année sur quatre chiffres.")
                break
            annee = int(morceau)
            if debut and fin and not debut <= annee <= fin:
                self.add_error("annees_provisoires", f"L'année {annee} est hors de la période du contrat.")
                break
            annees.append(annee)
        d["annees_provisoires"] = sorted(set(annees))
        return d


def piliers_du_type(type_collectivite: str) -> list[Pilier]:
    """Les piliers du référentiel contractualisés avec ce type de collectivité : quatre avec une métropole, trois avec
    un département (l'emploi traité à part)."""
    piliers = Pilier.objects.order_by("numero")
    if type_collectivite == TypeOrganisation.DEPARTEMENT:
        piliers = piliers.filter(contrats_departementaux=True)
    return list(piliers)


class AxesForm(forms.Form):
    """Un groupe de champs par axe : intitulé, pilier du Pacte, imputation sur le programme 304 (pré-remplis depuis
    le référentiel national), et les crédits de l'État que l'article financier annonce pour l'axe, année par
    année (facultatif : quand ils sont donnés, les lignes de l'État du tableau budgétaire doivent les totaliser)."""

    def __init__(self, *args, brouillon, piliers: list[Pilier], **kwargs):
        super().__init__(*args, **kwargs)
        self.annees = brouillon.annees
        self.piliers = piliers
        existants = {a.numero: a for a in brouillon.axes}
        # Tous les piliers, lus une fois : un département peut rattacher un axe à un autre pilier que les siens.
        self.tous_les_piliers = {p.numero: p for p in Pilier.objects.order_by("numero")}
        choix_piliers = [(numero, str(p)) for numero, p in self.tous_les_piliers.items()]
        for numero, pilier in enumerate(piliers, start=1):
            axe = existants.get(numero)
            metropole = brouillon.type_collectivite == TypeOrganisation.METROPOLE
            self.fields[f"axe{numero}_intitule"] = forms.CharField(
                label="Intitulé de l'axe", max_length=500, initial=axe.intitule if axe else pilier.intitule
            )
            self.fields[f"axe{numero}_pilier"] = forms.TypedChoiceField(
                label="Pilier du Pacte des solidarités", coerce=int, choices=choix_piliers,
                initial=axe.pilier_numero if axe else pilier.numero,
            )  # fmt: skip
            self.fields[f"axe{numero}_sous_action_304"] = forms.CharField(
                label="Sous-action du programme 304", max_length=10, required=False,
                initial=axe.sous_action_304 if axe else pilier.sous_action_304,
            )  # fmt: skip
            self.fields[f"axe{numero}_code_activite"] = forms.CharField(
                label="Code activité", max_length=30, required=False,
                initial=axe.code_activite if axe else (pilier.code_activite_metropoles if metropole else ""),
                help_text="Ex. 0304 50 23 23 02.",
            )  # fmt: skip
            for annee in self.annees:
                self.fields[f"axe{numero}_etat_{annee}"] = NombreField(
                    label=f"{annee}", required=False, initial=(axe.etat.get(str(annee)) if axe else None)
                )

    def groupes(self):
        """Les champs, axe par axe, pour le gabarit."""
        for numero in range(1, len(self.piliers) + 1):
            yield {
                "numero": numero,
                "champs": [
                    self[f"axe{numero}_{nom}"] for nom in ("intitule", "pilier", "sous_action_304", "code_activite")
                ],  # fmt: skip
                "credits": [self[f"axe{numero}_etat_{annee}"] for annee in self.annees],
            }

    def clean(self):
        d = super().clean()
        vus = {}
        for numero in range(1, len(self.piliers) + 1):
            pilier = d.get(f"axe{numero}_pilier")
            if pilier is None:
                continue
            if pilier in vus:
                self.add_error(f"axe{numero}_pilier", f"Ce pilier est déjà celui de l'axe {vus[pilier]}.")
            vus[pilier] = numero
        return d

    def axes(self) -> list[AxeBrouillon]:
        d = self.cleaned_data
        resultat = []
        for numero in range(1, len(self.piliers) + 1):
            pilier = self.tous_les_piliers[d[f"axe{numero}_pilier"]]
            resultat.append(
                AxeBrouillon(
                    numero=numero,
                    intitule=d[f"axe{numero}_intitule"].strip(),
                    pilier_numero=pilier.numero,
                    pilier=pilier.libelle_sous_action,
                    sous_action_304=d[f"axe{numero}_sous_action_304"].strip() or pilier.sous_action_304,
                    code_activite=d[f"axe{numero}_code_activite"].strip(),
                    etat={
                        str(annee): str(d[f"axe{numero}_etat_{annee}"])
                        for annee in self.annees
                        if d.get(f"axe{numero}_etat_{annee}") is not None
                    },
                )
            )
        return resultat


class AnnexeForm(forms.Form):
    fichier = FichierEnvoyeField(
        label="Classeur de l'annexe (.xlsx)",
        allow_empty_file=True,  # un fichier vide est refusé par fichier_verifier, avec son message
        widget=forms.FileInput(attrs={"accept": ".xlsx", "class": "form-control"}),
        error_messages={"required": "Choisissez le classeur à envoyer."},
    )
