from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from actions.models import Action
from contrats import coherence
from contrats.filters import ContratFilter
from contrats.models import Contrat, Deliberation
from contrats.tables import ContratTable
from finances.forms import BudgetAnneeForm
from finances.models import LigneBudgetaire
from finances.services import budget_annee_enregistrer
from finances.tableaux import tableau_budgetaire
from indicateurs.models import Bilan
from indicateurs.tableaux import tableau_indicateurs


def contrat_visible(request, slug) -> Contrat:
    """Le contrat, s'il est visible de l'utilisateur ; sinon 404, pour ne rien révéler de son existence."""
    return get_object_or_404(Contrat.objects.visibles_par(request.user).avec_collectivite(), slug=slug)


def annee_du_contrat(contrat: Contrat, annee: int) -> int:
    if not contrat.contient_annee(annee):
        raise Http404(f"L'année {annee} est hors de la période du contrat ({contrat.periode}).")
    return annee


class ContratListView(SingleTableMixin, FilterView):
    table_class = ContratTable
    filterset_class = ContratFilter
    template_name = "contrats/liste.html"

    def get_queryset(self):
        return Contrat.objects.visibles_par(self.request.user).avec_collectivite().avec_totaux()


def contrat_detail(request, slug):
    contrat = contrat_visible(request, slug)
    return render(
        request,
        "contrats/detail.html",
        {
            "contrat": contrat,
            "signataires": contrat.signataires.select_related("organisation"),
            "visas": contrat.visas.all(),
            "axes": contrat.axes.prefetch_related("sous_axes"),
            "tableau": tableau_budgetaire(contrat),
            "indicateurs": tableau_indicateurs(contrat),
            "deliberations": Deliberation.objects.du_contrat(contrat),
            "bilans": Bilan.objects.filter(contrat=contrat).prefetch_related(
                "rubriques__chiffres", "rubriques__action"
            ),
            "quartiers": contrat.quartiers.all(),
            "instances": contrat.instances.all(),
            "peut_modifier_budget": request.user.has_perm("finances.modifier_budget", contrat),
        },
    )


def action_detail(request, slug, numero):
    contrat = contrat_visible(request, slug)
    action = get_object_or_404(
        Action.objects.du_contrat(contrat).prefetch_related("jalons", "interactions", "citee_par"), numero=numero
    )
    return render(
        request,
        "actions/detail.html",
        {
            "contrat": contrat,
            "action": action,
            "indicateurs": tableau_indicateurs(contrat, actions=[action]),
            "lignes": LigneBudgetaire.objects.filter(action=action).order_by("annee", "financeur"),
            "tableau": tableau_budgetaire(contrat),
        },
    )


def contrat_coherence(request, slug):
    contrat = contrat_visible(request, slug)
    anomalies = coherence.controles(contrat)
    return render(
        request,
        "contrats/coherence.html",
        {
            "contrat": contrat,
            "anomalies": anomalies,
            "nb_par_gravite": {
                libelle: sum(1 for a in anomalies if a.gravite == gravite)
                for gravite, libelle in coherence.GRAVITES.items()
            },
        },
    )


def budget_annee_modifier(request, slug, annee):
    contrat = contrat_visible(request, slug)
    annee = annee_du_contrat(contrat, annee)
    if not request.user.has_perm("finances.modifier_budget", contrat):
        raise PermissionDenied("Seuls les financiers et administrateurs des parties au contrat modifient le budget.")
    actions = list(Action.objects.du_contrat(contrat).order_by("axe__numero", "ordre", "numero"))
    lignes = LigneBudgetaire.objects.du_contrat(contrat).filter(annee=annee)
    form = BudgetAnneeForm(request.POST or None, actions=actions, annee=annee, lignes=lignes)
    if request.method == "POST" and form.is_valid():
        try:
            enregistrees = budget_annee_enregistrer(
                user=request.user, contrat=contrat, annee=annee, montants=form.montants()
            )
        except ValidationError as erreur:
            form.ajouter_erreurs(erreur)
        else:
            messages.success(request, f"Budget {annee} enregistré : {len(enregistrees)} ligne(s) modifiée(s).")
            return redirect(contrat.get_absolute_url() + "#tableau-budgetaire")
    if request.method == "POST" and not form.is_valid():
        messages.error(request, "Le budget n'a pas été enregistré : corrigez les erreurs signalées.")
    return render(request, "finances/budget_annee.html", {"contrat": contrat, "annee": annee, "form": form})
