from django.urls import path, register_converter

from rapports import views
from rapports.cles import CleDeliberationConverter, CleRapportConverter

app_name = "rapports"

# <rapport:cle> : mi-parcours, annuel-2024, deliberation-mi-parcours, deliberation-annuel-2024.
register_converter(CleRapportConverter, "rapport")
register_converter(CleDeliberationConverter, "deliberation")

urlpatterns = [
    path("", views.liste, name="liste"),
    path("versions/<int:pk>.pdf", views.version_telecharger, name="version"),
    path("versions/<int:pk>/transmise/", views.version_transmise, name="version_transmise"),
    path("<deliberation:cle>/vote/", views.vote, name="vote"),
    path("<rapport:cle>.pdf", views.pdf, name="pdf"),
    path("<rapport:cle>/figer/", views.figer, name="figer"),
    path("<rapport:cle>/", views.apercu, name="apercu"),
]
