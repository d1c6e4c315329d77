from django.urls import path

from comptes import views

app_name = "comptes"

urlpatterns = [
    path("", views.liste, name="liste"),
    path("inviter/", views.inviter, name="inviter"),
    path("<int:pk>/desactiver/", views.activer, {"actif": False}, name="desactiver"),
    path("<int:pk>/reactiver/", views.activer, {"actif": True}, name="reactiver"),
    path("<int:pk>/inviter-a-nouveau/", views.reinviter, name="reinviter"),
    path("session/", views.session, name="session"),
    path("session/reprise/", views.reprise, name="reprise"),
]
