from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from commun.formats import periode
from comptes.acces import contrat_requis
from rapports.cache_pdf import document_pdf_en_cache
from rapports.cles import CleRapport, RapportIndisponible, cles_du_contrat
from rapports.forms import VoteForm
from rapports.models import DeliberationRapport, VersionRapport
from rapports.pdf import document_contexte
from rapports.services import deliberation_enregistrer, version_figer, version_transmettre
from rapports.tables import VersionRapportTable

REFUS_TRANSMISSION = (
    "Seuls le secrétariat du conseil et les administrateurs des parties au contrat figent une version pour "
    "transmission et enregistrent le vote d'une délibération."
)


def _annees(contrat, cle: CleRapport | None = None, **_) -> list[int]:
    """Les années du document ; 404 si le contrat n'a pas ce document."""
    try:
        return cle.annees(contrat) if cle else contrat.annees
    except RapportIndisponible as erreur:
        raise Http404(str(erreur)) from erreur


lecture = contrat_requis("rapports.voir", refus="Vous n'avez pas accès aux rapports de ce contrat.", existe=_annees)
transmission = contrat_requis("rapports.transmettre", refus=REFUS_TRANSMISSION, existe=_annees)


def _reponse_pdf(contenu: bytes, nom: str, *, telechargement: bool = False) -> HttpResponse:
    reponse = HttpResponse(bytes(contenu), content_type="application/pdf")
    reponse["Content-Disposition"] = f'{"attachment" if telechargement else "inline"}; filename="{nom}"'
    reponse["Cache-Control"] = "private, no-store"
    return reponse


@lecture
def liste(request, contrat):
    documents = []
    for cle in cles_du_contrat(contrat):
        annees = cle.annees(contrat)
        documents.append({"cle": cle, "annee": annees[0], "periode": periode(annees[0], annees[-1])})
    table = VersionRapportTable(VersionRapport.objects.du_contrat(contrat))
    RequestConfig(request, paginate={"per_page": 25}).configure(table)
    votes = {
        (lien.type, lien.annee): lien.deliberation
        for lien in DeliberationRapport.objects.filter(contrat=contrat).select_related("deliberation")
    }
    for document in documents:
        cle = document["cle"]
        document["vote"] = votes.get((cle.type, document["annee"])) if cle.est_deliberation else None
    return render(
        request,
        "rapports/liste.html",
        {
            "contrat": contrat,
            "documents": documents,
            "table": table,
            "peut_transmettre": request.user.has_perm("rapports.transmettre", contrat),
        },
    )


@lecture
def apercu(request, contrat, cle: CleRapport):
    """L'aperçu HTML d'un rapport ou d'un projet de délibération : le même contenu que le PDF."""
    contexte = document_contexte(contrat, cle) | {
        "pdf": False,
        "peut_transmettre": request.user.has_perm("rapports.transmettre", contrat),
    }
    gabarit = "rapports/apercu_deliberation.html" if cle.est_deliberation else "rapports/apercu.html"
    return render(request, gabarit, contexte)


@lecture
def pdf(request, contrat, cle: CleRapport):
    """Le PDF tel qu'il est aujourd'hui (variante normale) ; les versions transmises sont figées à part."""
    annees = _annees(contrat, cle)
    contenu = document_pdf_en_cache(contrat, cle)
    return _reponse_pdf(contenu, cle.nom_fichier(contrat, periode(annees[0], annees[-1])))


@require_POST
@transmission
def figer(request, contrat, cle: CleRapport):
    version = version_figer(user=request.user, contrat=contrat, cle=cle)
    messages.success(
        request,
        f"{version.cle.libelle} {version.periode} figé le {timezone.localtime(version.cree_le):%d/%m/%Y à %H:%M} "
        f"(PDF/A, SHA-256 {version.sha256}) : cette version se télécharge à l'identique, même si les données "
        "changent.",
    )
    return redirect(reverse("rapports:liste", args=[contrat.slug]) + "#versions")


@lecture
def version_telecharger(request, contrat, pk):
    version = get_object_or_404(VersionRapport.objects.filter(contrat=contrat).select_related("contrat"), pk=pk)
    reponse = _reponse_pdf(version.pdf, version.nom_fichier, telechargement=True)
    reponse["Digest"] = f"sha-256={version.sha256}"
    return reponse


@require_POST
@transmission
def version_transmise(request, contrat, pk):
    version = get_object_or_404(VersionRapport.objects.du_contrat(contrat), pk=pk)
    try:
        version = version_transmettre(user=request.user, version=version)
    except ValidationError as erreur:
        messages.error(request, " ".join(erreur.messages))
    else:
        messages.success(
            request,
            f"{version} : marquée comme transmise au préfet le {timezone.localtime(version.transmise_le):%d/%m/%Y}.",
        )
    return redirect(reverse("rapports:liste", args=[contrat.slug]) + "#versions")


@transmission
def vote(request, contrat, cle: CleRapport):
    """Enregistrer (ou corriger) le vote du projet de délibération : secrétariat du conseil et administrateurs."""
    annees = _annees(contrat, cle)
    lien = (
        DeliberationRapport.objects.filter(contrat=contrat, type=cle.type, annee=annees[0])
        .select_related("deliberation")
        .first()
    )
    form = VoteForm(request.POST or None, initial=VoteForm.initial_depuis(lien.deliberation if lien else None))
    if request.method == "POST":
        if form.is_valid():
            try:
                deliberation_enregistrer(user=request.user, contrat=contrat, cle=cle, donnees=form.donnees())
            except ValidationError as erreur:
                form.ajouter_erreurs(erreur)
            else:
                messages.success(
                    request, "Vote enregistré : le projet de délibération porte le scrutin et les présences."
                )
                return redirect("rapports:apercu", contrat.slug, cle)
        messages.error(request, "Le vote n'a pas été enregistré : corrigez les erreurs signalées.")
    return render(
        request,
        "rapports/vote.html",
        {
            "contrat": contrat,
            "cle": cle,
            "periode": periode(annees[0], annees[-1]),
            "form": form,
            "deliberation": lien.deliberation if lien else None,
        },
    )
