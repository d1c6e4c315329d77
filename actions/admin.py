from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from simple_history.admin import SimpleHistoryAdmin

from actions.models import Action, Jalon
from finances.models import LigneBudgetaire
from finances.services import regles_budget
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
        montants = {}
        for form in self.forms:
            if not form.cleaned_data or form.cleaned_data.get("DELETE"):
                continue
            cle = (action, form.cleaned_data["annee"], form.cleaned_data["financeur"])
            montants[cle] = montants.get(cle, 0) + form.cleaned_data["montant"]
        # Les lignes des autres actions restent celles en base : la règle par axe porte sur l'ensemble.
        for ligne in (
            LigneBudgetaire.objects.du_contrat(action.contrat).exclude(action=action).select_related("action")
        ):
            montants[(ligne.action, ligne.annee, ligne.financeur)] = ligne.montant
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
