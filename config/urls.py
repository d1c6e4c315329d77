from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.generic import TemplateView

from commun import views as commun_views
from pilotage import views as pilotage_views

admin.site.site_header = "Contrats des solidarités – administration"
admin.site.site_title = "Administration"

urlpatterns = [
    path("", pilotage_views.accueil, name="accueil"),
    path("sante/", commun_views.sante, name="sante"),
    path("connexion/", auth_views.LoginView.as_view(), name="login"),
    path(
        "accessibilite/",
        login_not_required(TemplateView.as_view(template_name="pilotage/accessibilite.html")),
        name="accessibilite",
    ),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("contrats/", include("pilotage.urls")),
    path("national/", include("national.urls")),
    path("contrats/<slug:slug>/", include("indicateurs.urls")),
    path("contrats/<slug:slug>/", include("finances.urls")),
    path("contrats/<slug:slug>/", include("coherence.urls")),
    path("contrats/<slug:slug>/rapports/", include("rapports.urls")),
]

# Pages d'erreur en français, sans texte interne (commun/views.py).
handler400 = "commun.views.erreur_400"
handler403 = "commun.views.erreur_403"
handler404 = "commun.views.erreur_404"
handler500 = "commun.views.erreur_500"
