from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from finances.models import Avenant, Execution, LigneBudgetaire, MontantAnnonce, Versement


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
