from django.urls import path

from finances import views

app_name = "finances"

urlpatterns = [
    path("budget/<int:annee>/", views.budget_annee_modifier, name="budget_annee"),
    path("avenants/nouveau/", views.avenant_creer, name="avenant_creer"),
    path("execution/", views.execution, name="execution"),
    path("budget.xlsx", views.export_xlsx, {"nom": "budget"}, name="budget_xlsx"),
    path("execution.xlsx", views.export_xlsx, {"nom": "execution"}, name="execution_xlsx"),
    path("import/", views.importer, name="import"),
    path("import/modele.xlsx", views.modele, name="modele"),
]
