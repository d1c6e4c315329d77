from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from documents.models import Document


@admin.register(Document)
class DocumentAdmin(SimpleHistoryAdmin):
    list_display = ("titre", "nature", "contrat", "nom", "taille", "depose_par", "depose_le")
    list_filter = ("nature",)
    readonly_fields = ("fichier", "nom", "taille", "type_mime", "empreinte", "depose_par", "depose_le")
