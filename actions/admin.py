from django.contrib import admin

from actions.models import Action, Jalon
from contrats.models import Axe


class JalonInline(admin.TabularInline):
    model = Jalon
    extra = 0


@admin.register(Jalon)
class JalonAdmin(admin.ModelAdmin):
    list_display = ("action", "annee", "libelle")
    list_filter = ("annee", "action__contrat")
    search_fields = ("libelle", "action__intitule")


class ActionInline(admin.TabularInline):
    model = Action
    extra = 0
    fields = ("numero", "intitule", "axe", "nature")
    show_change_link = True

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Seuls les axes du contrat édité sont proposés.
        if db_field.name == "axe" and request.resolver_match and request.resolver_match.kwargs.get("object_id"):
            kwargs["queryset"] = Axe.objects.filter(contrat_id=request.resolver_match.kwargs["object_id"])
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
