from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from coherence.models import ExamenConstat


@admin.register(ExamenConstat)
class ExamenConstatAdmin(SimpleHistoryAdmin):
    list_display = ("cle", "contrat", "examine_par", "examine_le")
    list_filter = ("contrat",)
    search_fields = ("cle", "commentaire")
    date_hierarchy = "examine_le"
