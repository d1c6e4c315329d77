from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from contrats.models import (
    Article,
    Axe,
    ChiffreDiagnostic,
    Clause,
    Deliberation,
    Echeance,
    InstanceGouvernance,
    Organisation,
    PartenaireAssocie,
    Quartier,
    Signataire,
    SousAxe,
    Visa,
)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("nom", "sigle", "type", "departement")
    list_filter = ("type", "departement")
    search_fields = ("nom", "sigle", "slug")
    prepopulated_fields = {"slug": ("nom",)}


class SignataireInline(admin.TabularInline):
    model = Signataire
    extra = 0
    autocomplete_fields = ("organisation",)


class VisaInline(admin.TabularInline):
    model = Visa
    extra = 0


class ArticleInline(admin.StackedInline):
    model = Article
    extra = 0


class ClauseInline(admin.TabularInline):
    model = Clause
    extra = 0


class AxeInline(admin.TabularInline):
    model = Axe
    extra = 0
    show_change_link = True


class EcheanceInline(admin.TabularInline):
    model = Echeance
    extra = 0


class PartenaireAssocieInline(admin.TabularInline):
    model = PartenaireAssocie
    extra = 0
    autocomplete_fields = ("organisation",)


class ContratAdmin(SimpleHistoryAdmin):
    list_display = ("titre", "type", "annee_debut", "annee_fin", "collectivite", "departement")
    list_filter = ("type", "departement")
    search_fields = ("titre", "slug", "collectivite__nom")
    prepopulated_fields = {"slug": ("titre",)}
    inlines = [
        SignataireInline,
        PartenaireAssocieInline,
        VisaInline,
        ArticleInline,
        ClauseInline,
        AxeInline,
        EcheanceInline,
    ]


class SousAxeInline(admin.TabularInline):
    model = SousAxe
    extra = 0


@admin.register(Axe)
class AxeAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "contrat", "pilier", "code_activite")
    list_filter = ("contrat",)
    search_fields = ("intitule", "code_activite")
    inlines = [SousAxeInline]


@admin.register(SousAxe)
class SousAxeAdmin(admin.ModelAdmin):
    list_display = ("intitule", "axe")
    list_filter = ("axe__contrat",)
    search_fields = ("intitule",)


@admin.register(Signataire)
class SignataireAdmin(admin.ModelAdmin):
    list_display = ("organisation", "contrat", "role", "representant")
    list_filter = ("role", "contrat")
    search_fields = ("organisation__nom", "representant")


@admin.register(Visa)
class VisaAdmin(admin.ModelAdmin):
    list_display = ("__str__", "contrat")
    list_filter = ("contrat",)
    search_fields = ("texte",)


@admin.register(Quartier)
class QuartierAdmin(admin.ModelAdmin):
    list_display = ("nom", "commune", "categorie", "contrat")
    list_filter = ("categorie", "contrat")
    search_fields = ("nom", "commune")


@admin.register(InstanceGouvernance)
class InstanceGouvernanceAdmin(admin.ModelAdmin):
    list_display = ("nom", "rythme", "contrat")
    list_filter = ("contrat",)
    search_fields = ("nom",)


@admin.register(Deliberation)
class DeliberationAdmin(SimpleHistoryAdmin):
    list_display = ("date", "organe", "objet", "organisation", "pour", "contre", "abstention")
    list_filter = ("organe", "organisation")
    search_fields = ("objet", "expose")
    date_hierarchy = "date"


@admin.register(Echeance)
class EcheanceAdmin(SimpleHistoryAdmin):
    list_display = ("libelle", "contrat", "date", "realisee_le")
    list_filter = ("type", "contrat")
    search_fields = ("libelle",)
    date_hierarchy = "date"


@admin.register(PartenaireAssocie)
class PartenaireAssocieAdmin(admin.ModelAdmin):
    list_display = ("organisation", "contrat")
    list_filter = ("contrat",)
    autocomplete_fields = ("organisation",)


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ("__str__", "contrat")
    list_filter = ("contrat",)
    search_fields = ("numero", "titre", "texte")


@admin.register(Clause)
class ClauseAdmin(admin.ModelAdmin):
    list_display = ("type", "valeur", "article", "contrat")
    list_filter = ("type", "contrat")
    search_fields = ("valeur",)


@admin.register(ChiffreDiagnostic)
class ChiffreDiagnosticAdmin(admin.ModelAdmin):
    list_display = ("libelle", "valeur_texte", "territoire", "periode", "source", "contrat")
    list_filter = ("contrat",)
    search_fields = ("libelle", "theme", "source")
