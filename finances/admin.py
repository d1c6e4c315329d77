from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from simple_history.admin import SimpleHistoryAdmin

from finances.models import Avenant, Execution, LigneBudgetaire, MontantAnnonce, Versement
from finances.selectors import montants_apres, retenir_en_vigueur
from finances.services import regles_budget


@admin.register(LigneBudgetaire)
class LigneBudgetaireAdmin(SimpleHistoryAdmin):
    list_display = ("action", "annee", "financeur", "montant")
    list_filter = ("financeur", "annee", "action__contrat")
    search_fields = ("action__intitule", "action__numero")


@admin.register(MontantAnnonce)
class MontantAnnonceAdmin(admin.ModelAdmin):
    list_display = ("contrat", "annee", "axe", "financeur", "montant", "provisoire", "source")
    list_filter = ("contrat", "annee", "financeur", "provisoire")


class LigneAvenantInline(admin.TabularInline):
    model = LigneBudgetaire
    extra = 0
    fields = ("action", "annee", "financeur", "montant")


@admin.register(Avenant)
class AvenantAdmin(SimpleHistoryAdmin):
    list_display = ("numero", "date", "contrat", "objet")
    list_filter = ("contrat",)
    search_fields = ("objet",)
    inlines = [LigneAvenantInline]


@admin.register(Execution)
class ExecutionAdmin(SimpleHistoryAdmin):
    list_display = ("action", "annee", "financeur", "engage", "realise")
    list_filter = ("annee", "financeur", "action__contrat")
    search_fields = ("action__intitule", "justification")


@admin.register(Versement)
class VersementAdmin(SimpleHistoryAdmin):
    list_display = ("date", "contrat", "annee", "montant", "code_activite")
    list_filter = ("annee", "contrat")
    date_hierarchy = "date"


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
        saisies = [
            LigneBudgetaire(
                action=action,
                annee=c["annee"],
                financeur=c["financeur"],
                montant=c["montant"],
                avenant=c.get("avenant"),
            )
            for c in lignes
        ]
        changements = {(action, s.annee, s.financeur): s.montant for s in retenir_en_vigueur(saisies).values()}
        montants = montants_apres(action.contrat, changements, action_remplacee=action)
        erreurs = regles_budget(contrat=action.contrat, montants=montants)
        if erreurs:
            raise ValidationError(erreurs)


class LigneBudgetaireInline(admin.TabularInline):
    model = LigneBudgetaire
    formset = LigneBudgetaireFormSet
    extra = 0


class MontantAnnonceInline(admin.TabularInline):
    model = MontantAnnonce
    extra = 0
