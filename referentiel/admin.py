from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from referentiel.models import IndicateurNational, Pilier


@admin.register(Pilier)
class PilierAdmin(SimpleHistoryAdmin):
    list_display = ("numero", "intitule", "sous_action_304", "code_activite_metropoles", "contrats_departementaux")


@admin.register(IndicateurNational)
class IndicateurNationalAdmin(SimpleHistoryAdmin):
    list_display = ("libelle", "pilier", "unite", "source", "actif")
    list_filter = ("pilier", "actif")
    search_fields = ("libelle", "source")
