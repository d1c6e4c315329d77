from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.boite, name="boite"),
    path("tout-lire/", views.tout_lire, name="tout_lire"),
    path("<int:pk>/ouvrir/", views.ouvrir, name="ouvrir"),
]
