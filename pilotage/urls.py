from django.urls import path, register_converter

from commun.convertisseurs import TexteConverter
from pilotage import views

register_converter(TexteConverter, "texte")

app_name = "pilotage"

urlpatterns = [
    path("", views.ContratListView.as_view(), name="liste"),
    path("<slug:slug>/", views.contrat_detail, name="contrat"),
    path("<slug:slug>/actions/<texte:numero>/", views.action_detail, name="action"),
    path("<slug:slug>/historique/", views.historique, name="historique"),
    path("<slug:slug>/historique.xlsx", views.historique_xlsx, name="historique_xlsx"),
]
