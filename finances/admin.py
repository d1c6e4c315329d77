from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from finances.models import LigneBudgetaire, MontantAnnonce


@admin.register(LigneBudgetaire)
class LigneBudgetaireAdmin(SimpleHistoryAdmin):
    list_display = ("action", "annee", "financeur", "montant")
    list_filter = ("financeur", "annee", "action__contrat")
    search_fields = ("action__intitule", "action__numero")


@admin.register(MontantAnnonce)
class MontantAnnonceAdmin(admin.ModelAdmin):
    list_display = ("contrat", "annee", "axe", "financeur", "montant", "provisoire", "source")
    list_filter = ("contrat", "annee", "financeur", "provisoire")
