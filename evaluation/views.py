"""L'évaluation à mi-parcours : la synthèse du contrat (une ligne par action), la page d'une action (saisie,
pièces justificatives, examen par l'État). Chaque vue charge le contrat visible (404 sinon) et vérifie le rôle
sur lui (403)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from actions.models import Action
from commun.televersement import televersement_limite
from comptes.acces import contrat_requis
from documents.formats import taille_max
from documents.models import Document
from evaluation.forms import EvaluationForm, PieceForm, StatutForm
from evaluation.models import CHAMPS_EVALUATION, EvaluationAction
from evaluation.selectors import evaluations_des_contrats
from evaluation.services import evaluation_changer_statut, evaluation_enregistrer, piece_deposer, piece_retirer

REFUS_SAISIE = "Seule la collectivité saisit l'évaluation à mi-parcours et ses pièces justificatives."


def _action(contrat, numero) -> Action:
    return get_object_or_404(Action.objects.filter(contrat=contrat).select_related("axe"), numero=numero)


def _evaluation(action) -> EvaluationAction:
    """L'évaluation enregistrée, ou une évaluation vide jamais écrite (une lecture n'écrit rien)."""
    return EvaluationAction.objects.avec_auteurs().filter(action=action).first() or EvaluationAction(action=action)


@require_safe
@contrat_requis("evaluation.voir")
def synthese(request, contrat):
    return render(
        request, "evaluation/synthese.html", {"contrat": contrat, "lignes": evaluations_des_contrats([contrat])}
    )


@require_http_methods(["GET", "HEAD", "POST"])
@contrat_requis("evaluation.voir")
def action(request, contrat, numero):
    action = _action(contrat, numero)
    evaluation = _evaluation(action)
    peut_saisir = request.user.has_perm("evaluation.saisir", contrat)
    lecture_seule = not (peut_saisir and evaluation.modifiable)
    initial = {"version": evaluation.version, **{c: getattr(evaluation, c) for c in CHAMPS_EVALUATION}}
    form = EvaluationForm(initial=initial, lecture_seule=lecture_seule)
    if request.method == "POST":
        if not peut_saisir:
            raise PermissionDenied(REFUS_SAISIE)
        form = EvaluationForm(request.POST, lecture_seule=lecture_seule)
        if form.is_valid():
            donnees = form.cleaned_data
            try:
                evaluation_enregistrer(user=request.user, action=action, version=donnees["version"], champs=donnees)
            except ValidationError as erreur:
                form.add_error(None, erreur)
            else:
                messages.success(request, f"Évaluation de l'action {action.numero} enregistrée.")
                return redirect("evaluation:action", slug=contrat.slug, numero=action.numero)
    transitions = {t.nom: t for t in evaluation.transitions_possibles(request.user, contrat)}
    return render(
        request,
        "evaluation/action.html",
        {
            "contrat": contrat,
            "action": action,
            "evaluation": evaluation,
            "form": form,
            "lecture_seule": lecture_seule,
            "peut_saisir": peut_saisir,
            "pieces": Document.objects.de_l_action(action),
            "piece_form": PieceForm(),
            "statut_form": StatutForm(initial={"version": evaluation.version}),
            "transitions": transitions,
        },
    )


@require_POST
@contrat_requis("evaluation.voir")
def statut(request, contrat, numero):
    action = _action(contrat, numero)
    url = reverse("evaluation:action", args=[contrat.slug, action.numero])
    if not any(request.user.has_perm(t.permission, contrat) for t in EvaluationAction.TRANSITIONS):
        raise PermissionDenied("Votre rôle ne permet pas de changer le statut de l'évaluation.")
    form = StatutForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Demande incomplète : rien n'a changé.")
        return redirect(url)
    try:
        evaluation = evaluation_changer_statut(
            user=request.user, action=action, contrat=contrat, version=form.cleaned_data["version"],
            transition=form.cleaned_data["transition"], motif=form.cleaned_data["motif"],
        )  # fmt: skip
    except ValidationError as erreur:
        messages.error(request, " ".join(erreur.messages) + " Rien n'a changé.")
    else:
        transition = EvaluationAction.transition(form.cleaned_data["transition"])
        messages.success(request, f"Évaluation de l'action {evaluation.action.numero} {transition.participe}.")
    return redirect(url)


@televersement_limite(taille_max, quoi="document")
@require_POST
@contrat_requis("evaluation.saisir", refus=REFUS_SAISIE)
def piece(request, contrat, numero):
    action = _action(contrat, numero)
    url = reverse("evaluation:action", args=[contrat.slug, action.numero])
    form = PieceForm(request.POST, request.FILES)
    if not form.is_valid():
        erreurs = [e for champ in form.errors.values() for e in champ]
        messages.error(request, "La pièce n'a pas été déposée : " + " ".join(erreurs))
        return redirect(url + "#pieces")
    try:
        document = piece_deposer(user=request.user, contrat=contrat, action=action, **form.cleaned_data)
    except ValidationError as erreur:
        messages.error(request, "La pièce n'a pas été déposée : " + " ".join(erreur.messages))
    else:
        messages.success(request, f"Pièce « {document.titre} » déposée ({document.taille_lisible}).")
    return redirect(url + "#pieces")


@require_http_methods(["GET", "HEAD", "POST"])
@contrat_requis("evaluation.saisir", refus=REFUS_SAISIE)
def piece_supprimer(request, contrat, numero, pk):
    """GET : la confirmation ; POST : le retrait (refusé si l'évaluation est soumise ou validée)."""
    action = _action(contrat, numero)
    document = get_object_or_404(Document.objects.filter(contrat=contrat, action=action), pk=pk)
    url = reverse("evaluation:action", args=[contrat.slug, action.numero])
    if request.method == "POST":
        try:
            piece_retirer(user=request.user, action=action, document=document)
        except ValidationError as erreur:
            messages.error(request, "La pièce n'a pas été retirée : " + " ".join(erreur.messages))
        else:
            messages.success(request, f"Pièce « {document.titre} » retirée.")
        return redirect(url + "#pieces")
    return render(
        request, "evaluation/piece_supprimer.html", {"contrat": contrat, "action": action, "document": document}
    )
