from django.contrib import admin

from comptes.models import JournalAcces, Profil


@admin.register(Profil)
class ProfilAdmin(admin.ModelAdmin):
    list_display = ("user", "organisation", "role")
    list_filter = ("role", "organisation")
    search_fields = ("user__username", "organisation__nom")
    autocomplete_fields = ("organisation",)


@admin.register(JournalAcces)
class JournalAccesAdmin(admin.ModelAdmin):
    list_display = ("date", "evenement", "identifiant", "adresse", "chemin")
    list_filter = ("evenement",)
    search_fields = ("identifiant", "adresse")
    readonly_fields = ("date", "evenement", "user", "identifiant", "adresse", "chemin")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
