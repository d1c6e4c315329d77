from django.contrib import admin

from rapports.models import DeliberationRapport, VersionRapport


@admin.register(VersionRapport)
class VersionRapportAdmin(admin.ModelAdmin):
    """Une version figée se consulte ; elle ne se modifie ni ne se supprime : c'est une pièce transmise."""

    list_display = ("contrat", "type", "annee", "cree_le", "auteur", "transmise", "transmise_le", "sha256")
    list_filter = ("type", "transmise")
    search_fields = ("contrat__titre", "contrat__slug", "sha256")
    exclude = ("pdf",)
    readonly_fields = (
        "contrat", "type", "annee", "sha256", "taille", "variante", "cree_le", "auteur", "transmise", "transmise_le",
        "transmise_par",
    )  # fmt: skip

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DeliberationRapport)
class DeliberationRapportAdmin(admin.ModelAdmin):
    list_display = ("contrat", "type", "annee", "deliberation")
    list_filter = ("type",)
    search_fields = ("contrat__titre", "deliberation__objet")
    list_select_related = ("contrat", "deliberation")
    readonly_fields = ("contrat", "type", "annee", "deliberation")

    def has_add_permission(self, request):
        return False
