from django.urls import path

from national import views

app_name = "national"

urlpatterns = [
    path("", views.tableau, name="tableau"),
    path("contrats.xlsx", views.tableau_xlsx, name="xlsx"),
    path("evaluation-mi-parcours.xlsx", views.evaluations_xlsx, name="evaluations_xlsx"),
    path("referentiel/", views.referentiel, name="referentiel"),
    path("indicateurs/nouveau/", views.indicateur_modifier, name="indicateur_creer"),
    path("indicateurs/<int:pk>/", views.indicateur, name="indicateur"),
    path("indicateurs/<int:pk>/modifier/", views.indicateur_modifier, name="indicateur_modifier"),
]
