from django.urls import path

from finances import views

app_name = "finances"

urlpatterns = [
    path("import/", views.importer, name="import"),
    path("import/modele.xlsx", views.modele, name="modele"),
]
