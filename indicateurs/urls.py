from django.urls import path

from indicateurs import views

app_name = "indicateurs"

urlpatterns = [
    path("suivi/<int:annee>/", views.grille, name="grille"),
    path("suivi/<int:annee>/statut/", views.statut, name="statut"),
    path("suivi/<int:annee>/commentaires/", views.commenter, name="commenter"),
    path("indicateurs/<int:pk>/", views.indicateur_detail, name="detail"),
    path("indicateurs/<int:pk>/cibles/<int:annee>/", views.cible_fixer, name="cible"),
    path("indicateurs.xlsx", views.export_xlsx, name="xlsx"),
    path("indicateurs/rattachement/", views.rattachement, name="rattachement"),
]
