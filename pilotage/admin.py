"""L'administration d'une action réunit ses jalons, ses indicateurs et ses lignes budgétaires."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from actions.admin import ActionInline, JalonInline
from actions.models import Action
from contrats.admin import ContratAdmin as ContratAdminBase
from contrats.models import Contrat
from finances.admin import LigneBudgetaireInline, MontantAnnonceInline
from indicateurs.admin import IndicateurInline


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


@admin.register(Contrat)
class ContratAdmin(ContratAdminBase):
    inlines = [*ContratAdminBase.inlines[:4], ActionInline, MontantAnnonceInline, *ContratAdminBase.inlines[4:]]
