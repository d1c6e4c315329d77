"""Documents d'un contrat : liste et dépôt, téléchargement, suppression après confirmation. Chaque vue charge le
contrat visible de l'utilisateur (404 sinon) et vérifie son rôle sur lui (403) ; un fichier ne sort que par
`telecharger`, jamais par une adresse publique."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from commun.televersement import televersement_limite
from comptes.acces import contrat_requis
from documents.formats import taille_max
from documents.forms import DocumentForm
from documents.models import Document
from documents.services import document_deposer, document_supprimer
from documents.tables import DocumentTable

REFUS = "Votre rôle ne permet pas de déposer ni de supprimer les documents de ce contrat."


@televersement_limite(taille_max, quoi="document")
@require_http_methods(["GET", "HEAD", "POST"])
@contrat_requis("documents.voir")
def liste(request, contrat):
    peut_deposer = request.user.has_perm("documents.deposer", contrat)
    form = DocumentForm()
    if request.method == "POST":
        if not peut_deposer:
            raise PermissionDenied(REFUS)
        form = DocumentForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                document = document_deposer(user=request.user, contrat=contrat, **form.cleaned_data)
            except ValidationError as erreur:
                form.add_error(None, erreur)
            else:
                messages.success(request, f"Document « {document.titre} » déposé ({document.taille_lisible}).")
                return redirect("documents:liste", slug=contrat.slug)
    table = DocumentTable(Document.objects.du_contrat(contrat), contrat=contrat, peut_supprimer=peut_deposer)
    return render(
        request,
        "documents/liste.html",
        {"contrat": contrat, "table": table, "form": form, "peut_deposer": peut_deposer},
    )


@require_safe
@contrat_requis("documents.voir")
def telecharger(request, contrat, pk):
    document = get_object_or_404(Document.objects.filter(contrat=contrat), pk=pk)
    try:
        fichier = document.fichier.open("rb")
    except (FileNotFoundError, OSError) as erreur:
        raise Http404("Le fichier de ce document est introuvable sur le serveur.") from erreur
    return FileResponse(fichier, as_attachment=True, filename=document.nom, content_type=document.type_mime)


@require_http_methods(["GET", "HEAD", "POST"])
@contrat_requis("documents.deposer", refus=REFUS)
def supprimer(request, contrat, pk):
    """GET : la page de confirmation (qui nomme le document) ; POST : la suppression."""
    document = get_object_or_404(Document.objects.filter(contrat=contrat).select_related("action"), pk=pk)
    if request.method == "POST":
        try:
            document_supprimer(user=request.user, document=document)
        except ValidationError as erreur:
            messages.error(request, "Le document n'a pas été supprimé : " + " ".join(erreur.messages))
        else:
            messages.success(request, f"Document « {document.titre} » supprimé.")
        return redirect("documents:liste", slug=contrat.slug)
    return render(request, "documents/supprimer.html", {"contrat": contrat, "document": document})
