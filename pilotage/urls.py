from django.urls import path

from pilotage import views

app_name = "pilotage"

urlpatterns = [
    path("", views.ContratListView.as_view(), name="liste"),
    path("<slug:slug>/", views.contrat_detail, name="contrat"),
    path("<slug:slug>/actions/<str:numero>/", views.action_detail, name="action"),
    path("<slug:slug>/historique/", views.historique, name="historique"),
    path("<slug:slug>/historique.xlsx", views.historique_xlsx, name="historique_xlsx"),
]
