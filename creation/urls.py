from django.urls import path

from creation import views

app_name = "creation"

urlpatterns = [
    path("", views.accueil, name="accueil"),
    path("parties/", views.parties, name="parties"),
    path("contrat/", views.contrat, name="contrat"),
    path("axes/", views.axes, name="axes"),
    path("annexe/", views.annexe, name="annexe"),
    path("annexe/modele.xlsx", views.modele, name="modele"),
    path("confirmer/", views.confirmer, name="confirmer"),
    path("abandonner/", views.abandonner, name="abandonner"),
    path("<slug:slug>/suite/", views.suite, name="suite"),
]
