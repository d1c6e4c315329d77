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
from rapports.forms import FigerForm, TransmissionForm, VoteForm
from rapports.models import DeliberationRapport, VersionRapport
from rapports.pdf import document_contexte
from rapports.selectors import destinataire_par_defaut, preparation_du_rapport, rapport_donnees
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


def _apercu(request, contrat, cle: CleRapport, form_figer: FigerForm | None = None):
    contexte = document_contexte(contrat, cle)
    preparation = preparation_du_rapport(contexte["rapport"])
    peut_transmettre = request.user.has_perm("rapports.transmettre", contrat)
    # L'état réel du document, dit en tête de l'aperçu : la version transmise (une seule par document), sinon la
    # dernière version figée, pas encore transmise.
    versions = list(VersionRapport.objects.du_document(contrat, cle))
    transmise = next((v for v in versions if v.transmise), None)
    contexte |= {
        "pdf": False,
        "peut_transmettre": peut_transmettre,
        "preparation": preparation,
        "form_figer": (form_figer or FigerForm(preparation=preparation)) if peut_transmettre else None,
        "version_transmise": transmise,
        "version_figee": None if transmise else next(iter(versions), None),
        "nombre_versions": len(versions),
    }
    gabarit = "rapports/apercu_deliberation.html" if cle.est_deliberation else "rapports/apercu.html"
    return render(request, gabarit, contexte)


@lecture
def apercu(request, contrat, cle: CleRapport):
    """L'aperçu HTML d'un rapport ou d'un projet de délibération (le même contenu que le PDF), avec ce qui manque
    avant de le figer pour transmission."""
    return _apercu(request, contrat, cle)


@lecture
def pdf(request, contrat, cle: CleRapport):
    """Le PDF tel qu'il est aujourd'hui (variante normale) ; les versions transmises sont figées à part."""
    annees = _annees(contrat, cle)
    contenu = document_pdf_en_cache(contrat, cle)
    return _reponse_pdf(contenu, cle.nom_fichier(contrat, periode(annees[0], annees[-1])))


@require_POST
@transmission
def figer(request, contrat, cle: CleRapport):
    """Figer une version : confirmation cochée, et motif si le document n'est pas prêt (vérifié aussi par le
    service). Un formulaire incomplet réaffiche l'aperçu avec ses erreurs, sans rien perdre de ce qui a été saisi."""
    preparation = preparation_du_rapport(rapport_donnees(contrat, cle))
    form = FigerForm(request.POST, preparation=preparation)
    if form.is_valid():
        try:
            version = version_figer(user=request.user, contrat=contrat, cle=cle, reserve=form.cleaned_data["reserve"])
        except ValidationError as erreur:
            form.add_error("reserve", erreur)
        else:
            reserve = " (figée malgré ce qui manquait : motif conservé avec la version)" if version.manques else ""
            figee_le = f"{timezone.localtime(version.cree_le):%d/%m/%Y à %H:%M}"
            messages.success(
                request,
                f"{version.cle.libelle} {version.periode} figé le {figee_le} "
                f"(PDF/A, SHA-256 {version.sha256}){reserve} : cette version se télécharge à l'identique, même si les "
                "données changent.",
            )
            return redirect(reverse("rapports:liste", args=[contrat.slug]) + "#versions")
    erreurs = " ".join(e for liste in form.errors.values() for e in liste)
    messages.error(request, f"La version n'a pas été figée : {erreurs}")
    return _apercu(request, contrat, cle, form)


@lecture
def version_telecharger(request, contrat, pk):
    version = get_object_or_404(VersionRapport.objects.filter(contrat=contrat).select_related("contrat"), pk=pk)
    reponse = _reponse_pdf(version.pdf, version.nom_fichier, telechargement=True)
    reponse["Digest"] = f"sha-256={version.sha256}"
    return reponse


@transmission
def version_transmise(request, contrat, pk):
    """Enregistrer la transmission au préfet d'une version figée : date réelle, destinataire, moyen, confirmation."""
    version = get_object_or_404(VersionRapport.objects.du_contrat(contrat), pk=pk)
    liste = reverse("rapports:liste", args=[contrat.slug]) + "#versions"
    if version.transmise:
        messages.info(request, f"{version} : déjà transmise le {version.transmise_le:%d/%m/%Y}.")
        return redirect(liste)
    initial = {"date": timezone.localdate(), "destinataire": destinataire_par_defaut(contrat)}
    form = TransmissionForm(request.POST or None, initial=initial, version=version)
    if request.method == "POST" and form.is_valid():
        donnees = form.cleaned_data
        try:
            version = version_transmettre(
                user=request.user,
                version=version,
                date=donnees["date"],
                destinataire=donnees["destinataire"],
                moyen=donnees["moyen"],
            )
        except ValidationError as erreur:
            form.add_error(None, erreur)
        else:
            messages.success(
                request,
                f"{version} : transmise au préfet le {version.transmise_le:%d/%m/%Y} "
                f"({version.get_moyen_display().lower()}, {version.destinataire}).",
            )
            return redirect(liste)
    if request.method == "POST":
        messages.error(request, "La transmission n'a pas été enregistrée : corrigez les erreurs signalées.")
    return render(
        request,
        "rapports/transmission.html",
        {"contrat": contrat, "version": version, "form": form},
    )


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
