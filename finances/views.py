"""Vues des finances : budget d'une année, avenant, exécution et justifications, classeurs Excel, et import Excel
(modèle, envoi → aperçu → confirmation ; contrôles dans finances/imports/, écritures dans finances/services.py).
Entre l'aperçu et la confirmation, les lignes validées restent côté serveur, dans la session (avec l'empreinte
SHA-256 du fichier)."""

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from actions.models import Action
from commun.excel import reponse_xlsx
from commun.formats import lire_entier
from commun.forms import FichierEnvoyeField
from commun.televersement import televersement_limite
from comptes.acces import annee_du_contrat, contrat_requis
from comptes.rules import PERMISSIONS_IMPORT as PERMISSIONS
from contrats.models import Axe
from finances.enums import TypeImport
from finances.exports import classeur_budget, classeur_execution
from finances.forms import AvenantForm, BudgetAnneeForm, ExecutionGrilleForm, VersementForm
from finances.imports import Analyse, classeur_analyser, classeur_modele, fichier_lire, types_autorises
from finances.imports.fichier import TAILLE_MAX
from finances.models import Execution, LigneBudgetaire, Versement
from finances.selectors import (
    annees_verrouillees,
    execution_du_contrat,
    execution_par_axe,
    lignes_en_vigueur,
    versements_du_contrat,
)
from finances.services import (
    ConflitExecution,
    ConflitVersement,
    analyse_importer,
    avenant_appliquer,
    budget_annee_enregistrer,
    execution_enregistree,
    execution_grille_enregistrer,
    execution_justifier,
    versement_enregistrer,
    versement_plat,
    versement_supprimer,
)
from indicateurs.services import verrou_message

CLE_SESSION = "finances_import"
REFUS = "Vous n'avez pas le droit d'importer ces données dans ce contrat."


class ImportForm(forms.Form):
    # Formulaire propre à cette vue : finances/forms.py porte celui du budget.
    type = forms.ChoiceField(
        label="Données à importer",
        choices=TypeImport.choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        error_messages={"required": "Choisissez les données à importer.", "invalid_choice": "Choix inconnu."},
    )
    fichier = FichierEnvoyeField(
        label="Classeur Excel (.xlsx)",
        allow_empty_file=True,  # un fichier vide est refusé par imports.fichier_verifier, avec son message
        widget=forms.FileInput(
            attrs={
                "class": "form-control",
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "aria-describedby": "aide-fichier",
            }
        ),
        error_messages={"required": "Choisissez le fichier .xlsx à importer.", "empty": "Le fichier est vide."},
    )

    def __init__(self, *args, types: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = [(v, libelle) for v, libelle in TypeImport.choices if v in types]
        if len(types) == 1:
            self.fields["type"].initial = types[0]


@contrat_requis("finances.importer", refus=REFUS)
def modele(request, contrat):
    return reponse_xlsx(classeur_modele(contrat), f"{contrat.slug}-modele-import.xlsx")


@televersement_limite(TAILLE_MAX, quoi="classeur")
@contrat_requis("finances.importer", refus=REFUS)
def importer(request, contrat):
    types = types_autorises(request.user, contrat)
    if request.method == "POST" and request.POST.get("etape") == "confirmer":
        return _confirmer(request, contrat)

    if request.method == "POST":
        demande = request.POST.get("type")
        if demande in TypeImport.values and demande not in types:
            raise PermissionDenied(REFUS)
        form = ImportForm(request.POST, request.FILES, types=types)
        if form.is_valid():
            fichier = form.cleaned_data["fichier"]
            analyse = classeur_analyser(
                contrat=contrat,
                type_import=form.cleaned_data["type"],
                donnees=fichier_lire(fichier),
                nom=fichier.name,
            )
            if analyse.erreurs or not analyse.a_ecrire:
                request.session.pop(CLE_SESSION, None)
            else:
                request.session[CLE_SESSION] = analyse.en_session(contrat)
            return _apercu(request, contrat, analyse)
    else:
        form = ImportForm(types=types)
    return render(request, "finances/import.html", {"contrat": contrat, "form": form})


def _apercu(request, contrat, analyse: Analyse, erreurs_confirmation: list[str] | None = None):
    return render(
        request,
        "finances/import_apercu.html",
        {
            "contrat": contrat,
            "analyse": analyse,
            "erreurs_confirmation": erreurs_confirmation or [],
            "peut_confirmer": not analyse.erreurs and bool(analyse.a_ecrire) and not erreurs_confirmation,
            # Tout ce qui changerait porte sur des années fermées : le bouton reste, désactivé, et dit pourquoi.
            "rien_d_importable": not (analyse.erreurs or analyse.a_ecrire or erreurs_confirmation)
            and bool(analyse.non_importees),
        },
    )


def _confirmer(request, contrat):
    en_attente = request.session.get(CLE_SESSION)
    if (
        not en_attente
        or en_attente.get("contrat") != contrat.pk
        or en_attente.get("empreinte") != request.POST.get("empreinte")
    ):
        messages.error(
            request,
            "Aucun import en attente de confirmation pour ce fichier (aperçu expiré ou remplacé) : "
            "rien n'a été importé. Envoyez de nouveau le fichier.",
        )
        return redirect(reverse("finances:import", args=[contrat.slug]))
    analyse = Analyse.depuis_session(en_attente)
    if not request.user.has_perm(PERMISSIONS[analyse.type_import], contrat):
        raise PermissionDenied(REFUS)
    try:
        ecrites = analyse_importer(user=request.user, contrat=contrat, analyse=analyse)
    except ValidationError as erreur:
        request.session.pop(CLE_SESSION, None)
        return _apercu(request, contrat, analyse, erreurs_confirmation=erreur.messages)
    request.session.pop(CLE_SESSION, None)
    messages.success(request, f"Import de « {analyse.nom} » terminé : {ecrites} ligne(s) enregistrée(s).")
    return redirect(reverse("finances:import", args=[contrat.slug]))


@contrat_requis(
    "finances.modifier_budget",
    refus="Seuls les financiers et administrateurs des parties au contrat modifient le budget.",
    existe=lambda contrat, annee: annee_du_contrat(contrat, annee),
)
def budget_annee_modifier(request, contrat, annee):
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


@contrat_requis(
    "finances.modifier_budget",
    refus="Seuls les financiers et administrateurs des parties au contrat saisissent un avenant.",
)
def avenant_creer(request, contrat):
    """Un avenant fixe ou modifie les montants d'une année : seuls les montants changés deviennent des lignes."""
    demandee = request.GET.get("annee")
    lue = lire_entier(demandee) if demandee else contrat.annee_debut
    if lue is None:  # « deux mille », « ²⁰²⁵ », « ٢٠٢٥ » : chiffres ASCII seulement
        raise Http404("Année illisible.")
    annee = annee_du_contrat(contrat, lue)
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


@contrat_requis()
def execution(request, contrat):
    """Exécution budgétaire : taux par action, axe et total ; sous-consommations à justifier ; versements."""
    peut_justifier = request.user.has_perm("finances.modifier_budget", contrat)
    if request.method == "POST":
        if not peut_justifier:
            raise PermissionDenied("Seuls les financiers et administrateurs justifient une sous-consommation.")
        url = reverse("finances:execution", args=[contrat.slug]) + "#alertes"
        identifiant = request.POST.get("execution", "")
        if not (identifiant.isascii() and identifiant.isdigit()):
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
    execution = execution_du_contrat(contrat)
    groupes, total = execution_par_axe(execution)
    return render(
        request,
        "finances/execution.html",
        {
            "contrat": contrat,
            "execution": execution,
            "groupes": groupes,
            "total": total,
            "versements": versements_du_contrat(contrat, execution),
            "peut_justifier": peut_justifier,
            "peut_saisir": request.user.has_perm("finances.saisir_execution", contrat),
        },
    )


@contrat_requis()
def export_xlsx(request, contrat, nom):
    """/contrats/<slug>/budget.xlsx, execution.xlsx : pour toute partie au contrat."""
    fabriques = {"budget": classeur_budget, "execution": classeur_execution}
    return reponse_xlsx(fabriques[nom](contrat), f"{contrat.slug}-{nom}.xlsx")


REFUS_EXECUTION = (
    "Seuls les financiers et les agents de la collectivité des parties au contrat saisissent l'exécution."
)


def _annee(contrat, *, annee, **kwargs):
    """Une année hors de la période du contrat n'existe pas : 404, avant tout contrôle de rôle."""
    annee_du_contrat(contrat, annee)


@contrat_requis(existe=_annee)
def execution_grille(request, contrat, annee):
    """La grille d'exécution d'une année (action × financeur : engagé, réalisé, justification), enregistrée d'un bloc
    avec fusion à trois voies ; en lecture seule une fois l'année validée par l'État, ou pour qui ne saisit pas."""
    peut_saisir = request.user.has_perm("finances.saisir_execution", contrat)
    verrou = annees_verrouillees(contrat=contrat, annees=[annee]).get(annee)
    execution = execution_du_contrat(contrat, [annee])
    conflits, repris = {}, []
    lecture_seule = not peut_saisir or verrou is not None
    if request.method == "POST":
        if not peut_saisir:
            raise PermissionDenied(REFUS_EXECUTION)
        form = ExecutionGrilleForm(request.POST, execution=execution)
        if verrou is not None:
            messages.error(request, f"Rien n'a été enregistré : {verrou_message(verrou)}")
        elif form.is_valid():
            try:
                resultat = execution_grille_enregistrer(
                    user=request.user, contrat=contrat, annee=annee, actions=execution.actions,
                    financeurs=execution.financeurs, lues=form.lues(), saisies=form.saisies(),
                )  # fmt: skip
            except ConflitExecution as conflit:
                messages.error(request, conflit.messages[0])
                enregistrees = execution_enregistree(
                    contrat=contrat, annee=annee, actions=execution.actions, financeurs=execution.financeurs
                )
                conflits = form.conflits_affiches(conflit)
                repris = form.repris_affiches(conflit.repris, conflit.auteurs, enregistrees)
                execution = execution_du_contrat(contrat, [annee])
                form = ExecutionGrilleForm(
                    form.rebasee(conflit, enregistrees), execution=execution, conflits=conflit.conflits
                )
                form.is_valid()  # les choix à faire ne s'affichent en erreur qu'après un nouvel envoi
                form._errors = {}
            except ValidationError as erreur:
                form.ajouter_erreurs(erreur)
                messages.error(request, "Rien n'a été enregistré : corrigez les champs signalés.")
            else:
                messages.success(
                    request, f"Exécution {annee} enregistrée : {resultat.modifiees} cellule(s) modifiée(s)."
                )
                if resultat.repris:
                    messages.info(
                        request,
                        "Modifications faites entre-temps, gardées avec les vôtres : "
                        f"{form.repris_resume(resultat.repris, resultat.auteurs)}.",
                    )
                return redirect(reverse("finances:execution_grille", args=[contrat.slug, annee]))
        else:
            messages.error(request, "Rien n'a été enregistré : corrigez les champs signalés.")
    else:
        form = ExecutionGrilleForm(execution=execution, lecture_seule=lecture_seule)
    return render(
        request,
        "finances/execution_grille.html",
        {
            "contrat": contrat,
            "annee": annee,
            "execution": execution,
            "form": form,
            "total": execution.budget_total(annee),
            "verrou": verrou,
            "lecture_seule": lecture_seule,
            "peut_saisir": not lecture_seule,
            "conflits": conflits,
            "repris": repris,
        },
    )


def _axes(contrat):
    return Axe.objects.filter(contrat=contrat).order_by("numero")


@contrat_requis()
def versements(request, contrat):
    """Les versements de l'État : la liste face aux montants dus par exercice et par pilier, et la saisie d'un
    versement (pour les financiers et la collectivité ; exercice non validé par l'État)."""
    peut_saisir = request.user.has_perm("finances.saisir_execution", contrat)
    form = VersementForm(request.POST or None, contrat=contrat, axes=_axes(contrat))
    if request.method == "POST":
        if not peut_saisir:
            raise PermissionDenied(REFUS_EXECUTION)
        if form.is_valid():
            try:
                versement = versement_enregistrer(
                    user=request.user, contrat=contrat, versement=None, lues={}, saisies=form.saisies()
                )
            except ValidationError as erreur:
                form.ajouter_erreurs(erreur)
            else:
                messages.success(request, f"{versement} enregistré (exercice {versement.annee}).")
                return redirect(reverse("finances:versements", args=[contrat.slug]))
        messages.error(request, "Le versement n'a pas été enregistré : corrigez les champs signalés.")
    execution = execution_du_contrat(contrat)
    liste = versements_du_contrat(contrat, execution)
    verrouillees = annees_verrouillees(contrat=contrat, annees=contrat.annees)
    return render(
        request,
        "finances/versements.html",
        {
            "contrat": contrat,
            "versements": liste,
            "form": form,
            "peut_saisir": peut_saisir,
            "verrouillees": sorted(verrouillees),
        },
    )


@contrat_requis("finances.saisir_execution", refus=REFUS_EXECUTION)
def versement_modifier(request, contrat, pk):
    versement = get_object_or_404(Versement.objects.filter(contrat=contrat).select_related("axe"), pk=pk)
    axes = _axes(contrat)
    conflits = {}
    if request.method == "POST":
        form = VersementForm(request.POST, contrat=contrat, axes=axes)
        if form.is_valid():
            try:
                versement = versement_enregistrer(
                    user=request.user, contrat=contrat, versement=versement, lues=form.lues(), saisies=form.saisies()
                )
            except ConflitVersement as conflit:
                messages.error(request, conflit.messages[0])
                versement.refresh_from_db()
                enregistre = versement_plat(versement)
                conflits = form.conflits_affiches(conflit)
                form = VersementForm(
                    form.rebasee(conflit, enregistre), contrat=contrat, axes=axes, conflits=conflit.conflits
                )
                form.is_valid()
                form._errors = {}
            except ValidationError as erreur:
                form.ajouter_erreurs(erreur)
                messages.error(request, "Le versement n'a pas été modifié : corrigez les champs signalés.")
            else:
                messages.success(request, f"{versement} modifié.")
                return redirect(reverse("finances:versements", args=[contrat.slug]))
        else:
            messages.error(request, "Le versement n'a pas été modifié : corrigez les champs signalés.")
    else:
        form = VersementForm(initial=versement_plat(versement), contrat=contrat, axes=axes)
    return render(
        request,
        "finances/versement.html",
        {"contrat": contrat, "versement": versement, "form": form, "conflits": conflits, "repris": []},
    )


@require_POST
@contrat_requis("finances.saisir_execution", refus=REFUS_EXECUTION)
def versement_supprimer_vue(request, contrat, pk):
    versement = get_object_or_404(Versement.objects.filter(contrat=contrat), pk=pk)
    try:
        versement_supprimer(user=request.user, contrat=contrat, versement=versement)
    except ValidationError as erreur:
        messages.error(request, "Le versement n'a pas été supprimé : " + " ".join(erreur.messages))
    else:
        messages.success(request, f"{versement} supprimé.")
    return redirect(reverse("finances:versements", args=[contrat.slug]))
