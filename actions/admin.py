from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from simple_history.admin import SimpleHistoryAdmin

from actions.models import Action, Jalon
from finances.models import LigneBudgetaire
from finances.services import regles_budget
from finances.tableaux import lignes_en_vigueur
from indicateurs.models import Indicateur


class JalonInline(admin.TabularInline):
    model = Jalon
    extra = 0


class LigneBudgetaireFormSet(BaseInlineFormSet):
    """Applique aux lignes de l'action les règles de cofinancement du contrat (part de la collectivité…)."""

    def get_unique_error_message(self, unique_check):
        return "Une seule ligne par action, année et financeur : cette combinaison figure deux fois."

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        action = self.instance
        lignes = [f.cleaned_data for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        vues = set()
        for ligne in lignes:
            cle = (ligne["annee"], ligne["financeur"], ligne.get("avenant"))
            if cle in vues:
                raise ValidationError(self.get_unique_error_message([]))
            vues.add(cle)
        # Règles appliquées aux montants qui seront en vigueur ; ceux des autres actions restent ceux en base.
        en_vigueur = {}
        for ligne in sorted(
            lignes, key=lambda c: (c["avenant"].date, c["avenant"].numero) if c.get("avenant") else ()
        ):
            en_vigueur[(action, ligne["annee"], ligne["financeur"])] = ligne["montant"]
        montants = {
            (ligne.action, ligne.annee, ligne.financeur): ligne.montant
            for ligne in lignes_en_vigueur(action.contrat).values()
            if ligne.action_id != action.pk
        } | en_vigueur
        erreurs = regles_budget(contrat=action.contrat, montants=montants)
        if erreurs:
            raise ValidationError(erreurs)


class LigneBudgetaireInline(admin.TabularInline):
    model = LigneBudgetaire
    formset = LigneBudgetaireFormSet
    extra = 0


class IndicateurInline(admin.TabularInline):
    model = Indicateur
    extra = 0
    fields = ("ordre", "libelle", "unite", "portee", "t0")
    show_change_link = True


@admin.register(Action)
class ActionAdmin(SimpleHistoryAdmin):
    list_display = ("numero", "intitule", "contrat", "axe", "nature")
    list_filter = ("contrat", "nature", "axe__numero")
    search_fields = ("intitule", "numero", "constats", "partenaires")
    autocomplete_fields = ("interactions",)
    inlines = [JalonInline, IndicateurInline, LigneBudgetaireInline]
    readonly_fields = ("ordre",)

    def save_model(self, request, obj, form, change):
        obj.ordre = Action.ordre_depuis_numero(obj.numero)
        super().save_model(request, obj, form, change)


@admin.register(Jalon)
class JalonAdmin(admin.ModelAdmin):
    list_display = ("action", "annee", "libelle")
    list_filter = ("annee", "action__contrat")
    search_fields = ("libelle", "action__intitule")
