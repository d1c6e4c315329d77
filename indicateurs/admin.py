from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from indicateurs.models import (
    Bilan,
    BilanChiffre,
    BilanRubrique,
    Cible,
    Commentaire,
    Indicateur,
    Realisation,
    RecitAction,
    SuiviAnnuel,
)


class CibleInline(admin.TabularInline):
    model = Cible
    extra = 0


@admin.register(Indicateur)
class IndicateurAdmin(SimpleHistoryAdmin):
    list_display = ("libelle", "action", "nature", "cible_chiffree", "unite", "portee", "t0")
    list_filter = ("nature", "cible_chiffree", "portee", "action__contrat")
    search_fields = ("libelle", "action__intitule")
    inlines = [CibleInline]


@admin.register(Cible)
class CibleAdmin(SimpleHistoryAdmin):
    list_display = ("indicateur", "annee", "valeur", "nd", "nd_date_limite")
    list_filter = ("nd", "annee", "indicateur__action__contrat")
    search_fields = ("indicateur__libelle",)


class BilanRubriqueInline(admin.StackedInline):
    model = BilanRubrique
    extra = 0


@admin.register(Bilan)
class BilanAdmin(admin.ModelAdmin):
    list_display = ("annee", "contrat", "montant_etat", "depenses_collectivite")
    list_filter = ("contrat",)
    inlines = [BilanRubriqueInline]


class BilanChiffreInline(admin.TabularInline):
    model = BilanChiffre
    extra = 0


@admin.register(BilanRubrique)
class BilanRubriqueAdmin(admin.ModelAdmin):
    list_display = ("intitule", "bilan", "action")
    search_fields = ("intitule", "texte")
    inlines = [BilanChiffreInline]


@admin.register(BilanChiffre)
class BilanChiffreAdmin(admin.ModelAdmin):
    list_display = ("libelle", "valeur", "rubrique")
    search_fields = ("libelle",)


@admin.register(SuiviAnnuel)
class SuiviAnnuelAdmin(SimpleHistoryAdmin):
    list_display = ("contrat", "annee", "statut", "version", "statut_par", "statut_le")
    list_filter = ("statut", "annee", "contrat")
    readonly_fields = ("version", "modifie_par", "modifie_le", "statut_par", "statut_le")


@admin.register(Realisation)
class RealisationAdmin(SimpleHistoryAdmin):
    list_display = ("indicateur", "annee", "valeur", "appreciation")
    list_filter = ("annee", "indicateur__action__contrat")
    search_fields = ("indicateur__libelle", "commentaire")


@admin.register(RecitAction)
class RecitActionAdmin(SimpleHistoryAdmin):
    list_display = ("action", "annee")
    list_filter = ("annee", "action__contrat")
    search_fields = ("action__intitule", "resultats")


class IndicateurInline(admin.TabularInline):
    model = Indicateur
    extra = 0
    fields = ("ordre", "libelle", "unite", "portee", "t0")
    show_change_link = True


@admin.register(Commentaire)
class CommentaireAdmin(SimpleHistoryAdmin):
    list_display = ("contrat", "annee", "indicateur", "action", "auteur", "cree_le")
    list_filter = ("contrat", "annee")
    search_fields = ("texte",)
    date_hierarchy = "cree_le"
