from django.urls import path

from documents import views

app_name = "documents"

urlpatterns = [
    path("", views.liste, name="liste"),
    path("<int:pk>/", views.telecharger, name="telecharger"),
    path("<int:pk>/supprimer/", views.supprimer, name="supprimer"),
]
