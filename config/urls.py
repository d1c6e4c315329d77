from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

admin.site.site_header = "Contrats des solidarités – administration"
admin.site.site_title = "Administration"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="contrats:liste", permanent=False), name="accueil"),
    path("connexion/", auth_views.LoginView.as_view(), name="login"),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("contrats/", include("contrats.urls")),
]
