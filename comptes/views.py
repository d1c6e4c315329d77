"""Comptes : blocage après échecs, mot de passe, session (prolonger, reprendre une saisie), comptes d'une
organisation, pages légales."""

from axes.helpers import get_cool_off
from axes.utils import reset as axes_reinitialiser
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import PasswordResetConfirmView
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from commun.formats import nom_de
from comptes.acces import comptes_geres
from comptes.enums import Role
from comptes.forms import InvitationForm
from comptes.services import compte_activer, compte_inviter, invitation_envoyer
from comptes.session import activite_noter, saisie_gardee, saisie_oublier, secondes_restantes

# --- Connexion ------------------------------------------------------------------------------------------------------


def connexion_bloquee(request, original_response=None, credentials=None):
    """La page rendue par django-axes après trop d'échecs (AXES_LOCKOUT_CALLABLE) : en français, avec la durée du
    blocage et le chemin de retour (réinitialiser son mot de passe débloque le compte)."""
    duree = get_cool_off(request)
    minutes = int(duree.total_seconds() // 60) if duree else None
    contexte = {"minutes": minutes, "echecs": settings.AXES_FAILURE_LIMIT}
    return render(request, "registration/verrouillage.html", contexte, status=settings.AXES_HTTP_RESPONSE_CODE)


class MotDePasseNouveauView(PasswordResetConfirmView):
    """Le lien reçu par courriel (réinitialisation ou invitation) : le nouveau mot de passe débloque aussi le compte
    (les échecs enregistrés pour cet identifiant sont effacés)."""

    def form_valid(self, form):
        reponse = super().form_valid(form)
        axes_reinitialiser(username=form.user.get_username())
        return reponse


# --- Session --------------------------------------------------------------------------------------------------------


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def session(request):
    """GET : les secondes qui restent avant l'expiration (sans prolonger) ; POST : prolonge la session. Répond
    {"restant": 0} quand la session a déjà expiré."""
    if not request.user.is_authenticated:
        return JsonResponse({"restant": 0})
    if request.method == "POST":
        activite_noter(request.session, forcer=True)
    return JsonResponse({"restant": secondes_restantes(request.session)})


@require_http_methods(["GET", "POST"])
def reprise(request):
    """Après une reconnexion : ce qu'un formulaire contenait quand la session a expiré, prêt à être renvoyé à la même
    adresse (champs cachés, nouveau jeton CSRF). Les contrôles de la page d'origine (droits, version lue, fusion des
    saisies concurrentes) s'appliquent à ce renvoi comme au premier envoi. POST : abandonner la saisie gardée."""
    gardee = saisie_gardee(request.session)
    if request.method == "POST":
        saisie_oublier(request.session)
        messages.info(request, "La saisie gardée a été abandonnée.")
        return redirect("accueil")
    if gardee is None:
        return redirect("accueil")
    return render(request, "comptes/reprise.html", {"gardee": gardee})


# --- Comptes d'une organisation -------------------------------------------------------------------------------------


def _gestionnaire(request):
    if not request.user.has_perm("comptes.gerer_comptes"):
        raise PermissionDenied("La gestion des comptes est réservée aux administrateurs.")


def _plateforme(user) -> bool:
    profil = getattr(user, "profil", None)
    return user.is_superuser or (profil is not None and profil.role == Role.ADMINISTRATEUR)


@require_safe
def liste(request):
    _gestionnaire(request)
    return render(request, "comptes/liste.html", {"comptes": comptes_geres(request.user), "moi": request.user.pk})


@require_http_methods(["GET", "POST"])
def inviter(request):
    _gestionnaire(request)
    plateforme = _plateforme(request.user)
    form = InvitationForm(request.POST or None, plateforme=plateforme)
    if request.method == "POST" and form.is_valid():
        donnees = form.cleaned_data
        organisation = donnees["organisation"] if plateforme else request.user.profil.organisation
        try:
            user = compte_inviter(
                par=request.user, prenom=donnees["prenom"], nom=donnees["nom"], email=donnees["email"],
                role=donnees["role"], organisation=organisation, adresse_site=request.build_absolute_uri("/")[:-1],
            )  # fmt: skip
        except ValidationError as erreur:
            form.add_error(None, erreur)
        else:
            messages.success(request, f"{nom_de(user)} est invité(e) : un lien pour choisir son mot de passe a été "
                             f"envoyé à {user.email}.")  # fmt: skip
            return redirect("comptes:liste")
    return render(request, "comptes/inviter.html", {"form": form})


def _compte_gere(request, pk):
    """Le compte, s'il fait partie de ceux que l'utilisateur gère ; 404 sinon (rien n'est révélé d'un autre
    compte) ; 403 si l'utilisateur ne gère aucun compte."""
    _gestionnaire(request)
    cible = get_object_or_404(comptes_geres(request.user), pk=pk)
    if not request.user.has_perm("comptes.gerer_compte", cible):
        raise PermissionDenied("Ce compte ne relève pas de votre organisation.")
    return cible


@require_POST
def activer(request, pk, actif):
    cible = _compte_gere(request, pk)
    try:
        compte_activer(par=request.user, user=cible, actif=actif)
    except ValidationError as erreur:
        messages.error(request, erreur.messages[0])
    else:
        etat = "réactivé : la personne peut de nouveau se connecter" if actif else "désactivé : plus aucune connexion"
        messages.success(request, f"Compte de {nom_de(cible)} {etat}.")
    return redirect("comptes:liste")


@require_POST
def reinviter(request, pk):
    cible = _compte_gere(request, pk)
    if cible.has_usable_password() or not cible.is_active or not cible.email:
        messages.error(request, f"{nom_de(cible)} a déjà choisi son mot de passe, ou son compte est désactivé.")
    else:
        invitation_envoyer(user=cible, par=request.user, adresse_site=request.build_absolute_uri("/")[:-1])
        messages.success(request, f"Invitation envoyée de nouveau à {cible.email}.")
    return redirect("comptes:liste")


# --- Pages légales --------------------------------------------------------------------------------------------------


@login_not_required
@require_safe
def mentions_legales(request):
    return render(request, "comptes/mentions_legales.html")


@login_not_required
@require_safe
def donnees_personnelles(request):
    """Ce qui est gardé, pourquoi, combien de temps (les durées appliquées par `manage.py purger_journaux`, lues
    dans les réglages), à qui s'adresser."""
    contexte = {
        "conservation_mois": settings.CONSERVATION_JOURNAUX_MOIS,
        "inactivite_minutes": settings.SESSION_COOKIE_AGE // 60,
        "blocage_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        "echecs": settings.AXES_FAILURE_LIMIT,
        "notifications_jours": settings.NOTIFICATIONS_CONSERVATION_JOURS,
    }
    return render(request, "comptes/donnees_personnelles.html", contexte)
