from django.urls import path

from contrats import views
from finances import views as finances_views

app_name = "contrats"

urlpatterns = [
    path("", views.ContratListView.as_view(), name="liste"),
    path("<slug:slug>/", views.contrat_detail, name="detail"),
    path("<slug:slug>/coherence/", views.contrat_coherence, name="coherence"),
    path("<slug:slug>/actions/<str:numero>/", views.action_detail, name="action"),
    path("<slug:slug>/budget/<int:annee>/", finances_views.budget_annee_modifier, name="budget_annee"),
    path("<slug:slug>/avenants/nouveau/", finances_views.avenant_creer, name="avenant_creer"),
    path("<slug:slug>/execution/", finances_views.execution, name="execution"),
    path("<slug:slug>/historique/", views.historique, name="historique"),
    path("<slug:slug>/historique.xlsx", views.historique_xlsx, name="historique_xlsx"),
    path("<slug:slug>/budget.xlsx", finances_views.export_xlsx, {"nom": "budget"}, name="budget_xlsx"),
    path("<slug:slug>/execution.xlsx", finances_views.export_xlsx, {"nom": "execution"}, name="execution_xlsx"),
    path("<slug:slug>/indicateurs.xlsx", finances_views.export_xlsx, {"nom": "indicateurs"}, name="indicateurs_xlsx"),
]
