from django.urls import path, register_converter
from django.urls.converters import get_converters

from commun.convertisseurs import TexteConverter
from evaluation import views

if "texte" not in get_converters():  # déjà déclaré par pilotage quand ses adresses sont lues d'abord
    register_converter(TexteConverter, "texte")

app_name = "evaluation"

urlpatterns = [
    path("", views.synthese, name="synthese"),
    path("actions/<texte:numero>/", views.action, name="action"),
    path("actions/<texte:numero>/statut/", views.statut, name="statut"),
    path("actions/<texte:numero>/pieces/", views.piece, name="piece"),
    path("actions/<texte:numero>/pieces/<int:pk>/supprimer/", views.piece_supprimer, name="piece_supprimer"),
]
