from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from pilotage import views as pilotage_views

admin.site.site_header = "Contrats des solidarités – administration"
admin.site.site_title = "Administration"

urlpatterns = [
    path("", pilotage_views.accueil, name="accueil"),
    path("connexion/", auth_views.LoginView.as_view(), name="login"),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("contrats/", include("pilotage.urls")),
    path("contrats/<slug:slug>/", include("indicateurs.urls")),
    path("contrats/<slug:slug>/", include("finances.urls")),
    path("contrats/<slug:slug>/", include("coherence.urls")),
    path("contrats/<slug:slug>/rapports/", include("rapports.urls")),
]
