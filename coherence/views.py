"""Pages de la cohérence d'un contrat : les constats et leurs preuves, filtrés ; l'examen d'un constat ; le
classeur pour le dialogue de gestion."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from coherence.constats import DEFINITIONS, GRAVITES
from coherence.exports import classeur_coherence
from coherence.forms import ExamenForm
from coherence.regles import REGLES
from coherence.selectors import ETATS, decompte, suivi_des_constats
from coherence.services import constat_examiner, constat_rouvrir
from commun.excel import reponse_xlsx
from comptes.acces import contrat_requis

FILTRES_ETAT = {"ouverts": "Ouverts", "examines": "Examinés", "tous": "Tous"}


def _filtrer(suivis, etat: str, gravite: str):
    if etat == "ouverts":
        suivis = [s for s in suivis if s.ouvert]
    elif etat == "examines":
        suivis = [s for s in suivis if not s.ouvert]
    if gravite in GRAVITES:
        suivis = [s for s in suivis if s.constat.gravite == gravite]
    return suivis


@contrat_requis()
@require_http_methods(["GET", "POST"])
def constats(request, contrat):
    peut_examiner = request.user.has_perm("coherence.examiner", contrat)
    if request.method == "POST":
        if not peut_examiner:
            raise PermissionDenied("Seul un agent de l'une des parties au contrat examine un constat.")
        return _examiner(request, contrat, peut_examiner)
    return _page(request, contrat, peut_examiner)


def _page(request, contrat, peut_examiner, erreur=None):
    """La liste filtrée ; `erreur` : (clé du constat, message, commentaire saisi), réaffiché sans rien perdre."""
    suivis = suivi_des_constats(contrat)
    etat = request.GET.get("etat") if request.GET.get("etat") in FILTRES_ETAT else "ouverts"
    gravite = request.GET.get("gravite", "")
    return render(
        request,
        "coherence/constats.html",
        {
            "contrat": contrat,
            "suivis": _filtrer(suivis, etat, gravite),
            "decompte": decompte(suivis),
            "etat": etat,
            "gravite": gravite,
            "filtres_etat": FILTRES_ETAT,
            "gravites": GRAVITES,
            "definitions": DEFINITIONS,
            "regles": REGLES,
            "etats": ETATS,
            "peut_examiner": peut_examiner,
            "erreur": erreur,
        },
    )


def _examiner(request, contrat, peut_examiner):
    form = ExamenForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Demande incomplète ou commentaire trop long (2 000 caractères au plus).")
        return _page(request, contrat, peut_examiner, (request.POST.get("cle"), "", request.POST.get("commentaire")))
    donnees = form.cleaned_data
    try:
        if donnees["rouvrir"]:
            constat_rouvrir(contrat=contrat, cle=donnees["cle"], user=request.user, motif=donnees["commentaire"])
            messages.success(request, "Constat rouvert : il compte de nouveau parmi les constats ouverts.")
        else:
            constat_examiner(
                contrat=contrat,
                cle=donnees["cle"],
                empreinte=donnees["empreinte"],
                commentaire=donnees["commentaire"],
                user=request.user,
            )
            messages.success(request, "Constat examiné : il ne compte plus parmi les constats ouverts.")
    except ValidationError as erreur:
        return _page(
            request, contrat, peut_examiner, (donnees["cle"], " ".join(erreur.messages), donnees["commentaire"])
        )
    return redirect(request.get_full_path())


@contrat_requis()
def constats_xlsx(request, contrat):
    classeur = classeur_coherence(contrat, suivi_des_constats(contrat))
    return reponse_xlsx(classeur, f"coherence-{contrat.slug}.xlsx")
