from django.contrib import admin

from notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["titre", "destinataire", "type", "cree_le", "lue_le", "courriel", "courriel_le"]
    list_filter = ["type", "courriel"]
    search_fields = ["titre", "cle", "destinataire__last_name"]
    raw_id_fields = ["destinataire", "contrat"]
