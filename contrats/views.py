import datetime
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django_filters.views import FilterView
from django_tables2 import RequestConfig, SingleTableMixin

from actions.models import Action
from contrats import coherence
from contrats.enums import TypeEcheance
from contrats.excel import reponse_xlsx
from contrats.exports import classeur_historique
from contrats.filters import ContratFilter
from contrats.historique import historique_contrat
from contrats.models import Contrat, Deliberation, Echeance
from contrats.tables import ContratTable, HistoriqueTable
from finances.forms import AvenantForm, BudgetAnneeForm
from finances.models import Execution, LigneBudgetaire
from finances.services import avenant_appliquer, budget_annee_enregistrer, execution_justifier
from finances.tableaux import changements_des_avenants, lignes_en_vigueur, tableau_budgetaire, tableau_execution
from indicateurs.enums import StatutSuivi
from indicateurs.models import Bilan, SuiviAnnuel
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


def _date_demandee(request):
    """?au=AAAA-MM-JJ : les montants en vigueur à cette date ; une date illisible est signalée, pas une erreur."""
    brute = request.GET.get("au", "")
    if not brute:
        return None
    try:
        return datetime.date.fromisoformat(brute)
    except ValueError:
        messages.error(request, f"« {brute} » n'est pas une date (format attendu : AAAA-MM-JJ) : montants du jour.")
        return None


def contrat_detail(request, slug):
    contrat = contrat_visible(request, slug)
    initial = request.GET.get("version") == "initiale"
    date = None if initial else _date_demandee(request)
    return render(
        request,
        "contrats/detail.html",
        {
            "contrat": contrat,
            "signataires": contrat.signataires.select_related("organisation"),
            "visas": contrat.visas.all(),
            "axes": contrat.axes.prefetch_related("sous_axes"),
            "tableau": tableau_budgetaire(contrat, date=date, initial=initial),
            "date_budget": date,
            "budget_initial": initial,
            "avenants": changements_des_avenants(contrat),
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
    lignes = LigneBudgetaire.objects.du_contrat(contrat).initiales().filter(annee=annee)
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


def accueil(request):
    """Ce qui est dû, ce qui est en retard, ce qui attend l'action de l'utilisateur, sur ses contrats."""
    contrats = list(Contrat.objects.visibles_par(request.user).avec_collectivite())
    aujourd_hui = timezone.localdate()
    suivis = {(s.contrat_id, s.annee): s for s in SuiviAnnuel.objects.filter(contrat__in=contrats)}
    echeances = []
    for echeance in Echeance.objects.des_contrats(contrats):
        suivi = suivis.get((echeance.contrat_id, echeance.annee))
        faite = echeance.realisee_le is not None or (
            echeance.type == TypeEcheance.VALEURS_ANNUELLES
            and suivi is not None
            and suivi.statut == StatutSuivi.VALIDE
        )
        echeance.faite = faite
        echeance.en_retard = not faite and echeance.date < aujourd_hui
        echeance.suivi = suivi
        echeances.append(echeance)

    peut_saisir = {c.pk for c in contrats if request.user.has_perm("indicateurs.saisir", c)}
    peut_valider = {c.pk for c in contrats if request.user.has_perm("indicateurs.valider", c)}
    a_faire = []
    for contrat in contrats:
        for annee in contrat.annees:
            if annee > aujourd_hui.year:
                continue
            suivi = suivis.get((contrat.pk, annee))
            statut = suivi.statut if suivi else StatutSuivi.BROUILLON
            if contrat.pk in peut_valider and statut == StatutSuivi.SOUMIS:
                a_faire.append((contrat, annee, "Valider ou renvoyer les valeurs soumises", suivi))
            if contrat.pk in peut_saisir and statut in (StatutSuivi.BROUILLON, StatutSuivi.A_CORRIGER):
                libelle = (
                    "Corriger les valeurs renvoyées" if statut == StatutSuivi.A_CORRIGER else "Saisir et soumettre"
                )
                a_faire.append((contrat, annee, libelle, suivi))
    return render(
        request,
        "contrats/accueil.html",
        {
            "a_faire": a_faire,
            "en_retard": [e for e in echeances if e.en_retard],
            "a_venir": [e for e in echeances if not e.faite and not e.en_retard],
            "faites": [e for e in echeances if e.faite],
            "aujourd_hui": aujourd_hui,
        },
    )


def historique(request, slug):
    contrat = contrat_visible(request, slug)
    table = HistoriqueTable(historique_contrat(contrat))
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    return render(request, "contrats/historique.html", {"contrat": contrat, "table": table})


def export_xlsx(request, slug, nom):
    """/contrats/<slug>/budget.xlsx, execution.xlsx, indicateurs.xlsx : pour toute partie au contrat."""
    from finances.exports import classeur_budget, classeur_execution, classeur_indicateurs

    contrat = contrat_visible(request, slug)
    fabriques = {"budget": classeur_budget, "execution": classeur_execution, "indicateurs": classeur_indicateurs}
    return reponse_xlsx(fabriques[nom](contrat), f"{contrat.slug}-{nom}.xlsx")


def historique_xlsx(request, slug):
    contrat = contrat_visible(request, slug)
    return reponse_xlsx(classeur_historique(contrat), f"{contrat.slug}-historique.xlsx")


def avenant_creer(request, slug):
    """Un avenant fixe ou modifie les montants d'une année : seuls les montants changés deviennent des lignes."""
    contrat = contrat_visible(request, slug)
    if not request.user.has_perm("finances.modifier_budget", contrat):
        raise PermissionDenied("Seuls les financiers et administrateurs des parties au contrat saisissent un avenant.")
    try:
        annee = annee_du_contrat(contrat, int(request.GET.get("annee") or contrat.annee_debut))
    except ValueError as erreur:
        raise Http404("Année illisible.") from erreur
    actions = list(Action.objects.du_contrat(contrat).order_by("axe__numero", "ordre", "numero"))
    en_vigueur = [ligne for ligne in lignes_en_vigueur(contrat).values() if ligne.annee == annee]
    en_vigueur_par_cle = {(ligne.action_id, ligne.financeur): ligne.montant for ligne in en_vigueur}
    donnees = request.POST if request.method == "POST" else None
    form = AvenantForm(donnees, contrat=contrat, prefix="avenant")
    montants_form = BudgetAnneeForm(donnees, actions=actions, annee=annee, lignes=en_vigueur)
    if request.method == "POST" and form.is_valid() and montants_form.is_valid():
        changes = {
            cle: montant
            for cle, montant in montants_form.montants().items()
            if en_vigueur_par_cle.get((cle[0].pk, cle[2]), Decimal("0")) != montant
        }
        try:
            avenant = avenant_appliquer(
                user=request.user,
                contrat=contrat,
                numero=form.cleaned_data["numero"],
                date=form.cleaned_data["date"],
                objet=form.cleaned_data["objet"],
                deliberation=form.cleaned_data["deliberation"],
                montants=changes,
            )
        except ValidationError as erreur:
            montants_form.ajouter_erreurs(erreur)
        else:
            messages.success(request, f"{avenant} enregistré : {len(changes)} montant(s) {annee} modifié(s).")
            return redirect(contrat.get_absolute_url() + "#avenants")
    if request.method == "POST":
        messages.error(request, "L'avenant n'a pas été enregistré : corrigez les erreurs signalées.")
    return render(
        request,
        "finances/avenant.html",
        {"contrat": contrat, "annee": annee, "form": form, "montants_form": montants_form},
    )


def execution(request, slug):
    """Exécution budgétaire : taux par action, axe et total ; sous-consommations à justifier ; versements."""
    contrat = contrat_visible(request, slug)
    peut_justifier = request.user.has_perm("finances.modifier_budget", contrat)
    if request.method == "POST":
        if not peut_justifier:
            raise PermissionDenied("Seuls les financiers et administrateurs justifient une sous-consommation.")
        url = reverse("contrats:execution", args=[contrat.slug]) + "#alertes"
        identifiant = request.POST.get("execution", "")
        if not identifiant.isdigit():
            messages.error(request, "Ligne d'exécution non précisée : rien n'a été enregistré.")
            return redirect(url)
        ligne = get_object_or_404(Execution.objects.du_contrat(contrat), pk=int(identifiant))
        try:
            execution_justifier(
                user=request.user, execution=ligne, justification=request.POST.get("justification", "")
            )
        except ValidationError as erreur:
            messages.error(request, "Justification non enregistrée : " + " ".join(erreur.messages))
        else:
            messages.success(
                request, f"Justification enregistrée pour l'action {ligne.action.numero} ({ligne.annee})."
            )
        return redirect(url)
    return render(
        request,
        "finances/execution.html",
        {"contrat": contrat, "tableau": tableau_execution(contrat), "peut_justifier": peut_justifier},
    )
