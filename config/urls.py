from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.generic import TemplateView

from commun import views as commun_views
from comptes import views as comptes_views
from pilotage import views as pilotage_views

urlpatterns = [
    path("", pilotage_views.accueil, name="accueil"),
    path("sante/", commun_views.sante, name="sante"),
    path("connexion/", auth_views.LoginView.as_view(), name="login"),
    path(
        "accessibilite/",
        login_not_required(TemplateView.as_view(template_name="pilotage/accessibilite.html")),
        name="accessibilite",
    ),
    path("mentions-legales/", comptes_views.mentions_legales, name="mentions_legales"),
    path("donnees-personnelles/", comptes_views.donnees_personnelles, name="donnees_personnelles"),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    # Mot de passe : changement (connecté), réinitialisation par courriel (aussi le lien d'invitation).
    path("comptes/mot-de-passe/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("comptes/mot-de-passe/change/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path(
        "comptes/mot-de-passe/oublie/",
        auth_views.PasswordResetView.as_view(email_template_name="registration/password_reset_email.txt"),
        name="password_reset",
    ),
    path(
        "comptes/mot-de-passe/oublie/envoye/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"
    ),
    path(
        "comptes/mot-de-passe/nouveau/<uidb64>/<token>/",
        comptes_views.MotDePasseNouveauView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "comptes/mot-de-passe/nouveau/fait/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("comptes/", include("comptes.urls")),
    path("admin/", admin.site.urls),
    path("notifications/", include("notifications.urls")),
    path("rapports/lots/", include("rapports.urls_lots")),
    # Avant « contrats/<slug>/ » : « nouveau » n'est le slug d'aucun contrat (creation/services.py).
    path("contrats/nouveau/", include("creation.urls")),
    path("contrats/", include("pilotage.urls")),
    path("national/", include("national.urls")),
    path("contrats/<slug:slug>/", include("indicateurs.urls")),
    path("contrats/<slug:slug>/", include("finances.urls")),
    path("contrats/<slug:slug>/", include("coherence.urls")),
    path("contrats/<slug:slug>/rapports/", include("rapports.urls")),
    path("contrats/<slug:slug>/documents/", include("documents.urls")),
    path("contrats/<slug:slug>/evaluation/", include("evaluation.urls")),
]

# Pages d'erreur en français, sans texte interne (commun/views.py).
handler400 = "commun.views.erreur_400"
handler403 = "commun.views.erreur_403"
handler404 = "commun.views.erreur_404"
handler500 = "commun.views.erreur_500"
