from django.urls import path

from finances import views

app_name = "finances"

urlpatterns = [
    path("budget/<int:annee>/", views.budget_annee_modifier, name="budget_annee"),
    path("avenants/nouveau/", views.avenant_creer, name="avenant_creer"),
    path("execution/", views.execution, name="execution"),
    path("execution/<int:annee>/", views.execution_grille, name="execution_grille"),
    path("versements/", views.versements, name="versements"),
    path("versements/<int:pk>/", views.versement_modifier, name="versement_modifier"),
    path("versements/<int:pk>/supprimer/", views.versement_supprimer_vue, name="versement_supprimer"),
    path("budget.xlsx", views.export_xlsx, {"nom": "budget"}, name="budget_xlsx"),
    path("execution.xlsx", views.export_xlsx, {"nom": "execution"}, name="execution_xlsx"),
    path("import/", views.importer, name="import"),
    path("import/modele.xlsx", views.modele, name="modele"),
]
