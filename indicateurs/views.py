from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_POST

from actions.models import Action
from commun.excel import reponse_xlsx
from commun.formats import nombre
from comptes.acces import annee_du_contrat, contrat_requis
from indicateurs.enums import Appreciation
from indicateurs.exports import classeur_indicateurs
from indicateurs.forms import LIBELLES_RECIT, CibleForm, GrilleSaisieForm, StatutForm
from indicateurs.historique import historique_indicateur
from indicateurs.models import Cible, Indicateur, Realisation, RecitAction, SuiviAnnuel
from indicateurs.selectors import Mesure
from indicateurs.services import (
    CHAMPS_RECIT,
    ConflitEdition,
    cible_definir,
    saisie_enregistrer,
    suivi_changer_statut,
    suivi_obtenir,
)


def _annee(contrat, *, annee, **kwargs):
    """Une année hors de la période du contrat n'existe pas : 404, avant tout contrôle de rôle."""
    annee_du_contrat(contrat, annee)


def _indicateur_et_annee(contrat, *, pk, annee):
    if not Indicateur.objects.filter(action__contrat=contrat, pk=pk).exists():
        raise Http404("Cet indicateur n'existe pas dans ce contrat.")
    annee_du_contrat(contrat, annee)


def _suivi_lu(contrat, annee) -> SuiviAnnuel:
    """Le suivi de l'année, sans l'écrire en base tant que personne n'a rien enregistré (un objet non enregistré,
    au statut brouillon, s'il n'existe pas encore)."""
    suivi = SuiviAnnuel.objects.du_contrat(contrat).filter(annee=annee).first() or SuiviAnnuel(annee=annee)
    suivi.contrat = contrat  # déjà chargé : les permissions du circuit ne coûtent aucune requête
    return suivi


def _donnees_annee(contrat, annee):
    actions = list(Action.objects.du_contrat(contrat).order_by("axe__numero", "ordre", "numero"))
    indicateurs = list(Indicateur.objects.du_contrat(contrat))
    realisations = {
        r.indicateur_id: r for r in Realisation.objects.filter(indicateur__action__contrat=contrat, annee=annee)
    }
    recits = {r.action_id: r for r in RecitAction.objects.filter(action__contrat=contrat, annee=annee)}
    return actions, indicateurs, realisations, recits


def _affiche(valeur) -> str:
    if valeur in (None, ""):
        return "vide"
    return nombre(valeur) if not isinstance(valeur, str) else f"« {valeur} »"


def _changements_concurrents(form, indicateurs, actions, realisations, recits) -> list[str]:
    """Ce que l'autre personne a changé depuis que l'utilisateur a ouvert la page (lu → actuel)."""
    changements = []
    for indicateur in indicateurs:
        actuelle = realisations.get(indicateur.pk)
        resultat = ("a", "appreciation") if indicateur.est_qualitatif else ("v", "valeur")
        for prefixe, attribut in (resultat, ("c", "commentaire")):
            champ = form.fields[f"{prefixe}{indicateur.pk}"]
            lue = (
                champ.to_python(form.data.get(f"initial-{prefixe}{indicateur.pk}"))
                if prefixe == "v"
                else (form.data.get(f"initial-{prefixe}{indicateur.pk}", ""))
            )
            maintenant = getattr(actuelle, attribut) if actuelle else (None if prefixe == "v" else "")
            if (lue or None) != (maintenant or None):
                quoi = {"v": "valeur", "a": "appréciation", "c": "commentaire"}[prefixe]
                if prefixe == "a":
                    lue, maintenant = (Appreciation(x).label if x else None for x in (lue, maintenant))
                changements.append(f"{indicateur.libelle} ({quoi}) : {_affiche(lue)} → {_affiche(maintenant)}")
    for action in actions:
        actuel = recits.get(action.pk)
        for champ in CHAMPS_RECIT:
            lue = form.data.get(f"initial-r{action.pk}_{champ}", "")
            maintenant = getattr(actuel, champ) if actuel else ""
            if lue != maintenant:
                changements.append(f"Action {action.numero} – {LIBELLES_RECIT[champ].lower()} : texte modifié")
    return changements


def _rebaser(form, version, realisations, recits) -> QueryDict:
    """Garde la saisie de l'utilisateur, mais sur la version et les valeurs actuelles : rien n'est perdu."""
    donnees = form.data.copy()
    donnees["version"] = version
    for indicateur in form.indicateurs:
        actuelle = realisations.get(indicateur.pk)
        if indicateur.est_qualitatif:
            donnees[f"initial-a{indicateur.pk}"] = actuelle.appreciation if actuelle else ""
        else:
            donnees[f"initial-v{indicateur.pk}"] = (
                nombre(actuelle.valeur) if actuelle and actuelle.valeur is not None else ""
            )
        donnees[f"initial-c{indicateur.pk}"] = actuelle.commentaire if actuelle else ""
    for action in form.actions:
        actuel = recits.get(action.pk)
        for champ in CHAMPS_RECIT:
            donnees[f"initial-r{action.pk}_{champ}"] = getattr(actuel, champ) if actuel else ""
    return donnees


def _cibles_de_l_annee(indicateurs, annee) -> dict:
    return {cible.indicateur_id: cible for i in indicateurs for cible in i.cibles.all() if cible.annee == annee}


def _formulaire_vierge(contrat, annee, *, version: int, lecture_seule: bool) -> GrilleSaisieForm:
    actions, indicateurs, realisations, recits = _donnees_annee(contrat, annee)
    return GrilleSaisieForm(
        initial={"version": version},
        lecture_seule=lecture_seule,
        actions=actions,
        indicateurs=indicateurs,
        realisations=realisations,
        recits=recits,
    )


@contrat_requis(existe=_annee)
def grille(request, contrat, annee):
    suivi = _suivi_lu(contrat, annee)
    peut_saisir = request.user.has_perm("indicateurs.saisir", contrat)
    changements = []

    if request.method == "POST":
        if not peut_saisir:
            raise PermissionDenied("Seuls les agents de la collectivité saisissent les valeurs.")
        actions, indicateurs, realisations, recits = _donnees_annee(contrat, annee)
        kwargs = {"actions": actions, "indicateurs": indicateurs, "realisations": realisations, "recits": recits}
        form = GrilleSaisieForm(request.POST, **kwargs)
        if not suivi.modifiable:
            messages.error(request, "Rien n'a été enregistré : l'année n'est plus modifiable.")
        elif form.is_valid():
            try:
                suivi = suivi_obtenir(contrat=contrat, annee=annee)
                nb = saisie_enregistrer(
                    user=request.user,
                    suivi=suivi,
                    version=form.cleaned_data["version"],
                    valeurs=form.valeurs(),
                    recits=form.recits(),
                )
            except ConflitEdition as conflit:
                _, _, realisations, recits = _donnees_annee(contrat, annee)
                changements = _changements_concurrents(form, indicateurs, actions, realisations, recits)
                messages.error(request, conflit.messages[0])
                suivi = conflit.suivi
                form = GrilleSaisieForm(
                    _rebaser(form, suivi.version, realisations, recits),
                    **(kwargs | {"realisations": realisations, "recits": recits}),
                )
            except ValidationError as erreur:
                messages.error(request, " ".join(erreur.messages))
            else:
                messages.success(request, f"Saisie {annee} enregistrée : {nb} modification(s).")
                return redirect(reverse("indicateurs:grille", args=[contrat.slug, annee]))
        else:
            messages.error(request, "Rien n'a été enregistré : corrigez les champs signalés.")
        cibles = _cibles_de_l_annee(indicateurs, annee)
        en_cache = None  # la grille renvoyée porte la saisie de l'utilisateur : jamais en cache
    else:
        # Grille vierge : rendue une fois par version des données du contrat et par mode (saisie ou lecture seule)
        # ({% cache_contrat %} du gabarit) ; formulaire et données ne sont construits que s'il faut la rendre.
        lecture_seule = not (peut_saisir and suivi.modifiable)
        form = SimpleLazyObject(
            lambda: _formulaire_vierge(contrat, annee, version=suivi.version, lecture_seule=lecture_seule)
        )
        cibles = SimpleLazyObject(lambda: _cibles_de_l_annee(form.indicateurs, annee))
        en_cache = contrat

    suivi.contrat = contrat  # après un conflit, le suivi est relu : le contrat est déjà chargé
    return render(
        request,
        "indicateurs/grille.html",
        {
            "contrat": contrat,
            "annee": annee,
            "suivi": suivi,
            "form": form,
            "cibles": cibles,
            "contrat_en_cache": en_cache,
            "lecture_seule": not (peut_saisir and suivi.modifiable),
            "peut_saisir": peut_saisir and suivi.modifiable,
            # Les boutons du circuit : ce que le modèle permet à cet utilisateur, maintenant.
            "transitions": {t.nom: t for t in suivi.transitions_possibles(request.user)},
            "changements": changements,
            "statut_form": StatutForm(initial={"version": suivi.version}),
        },
    )


@require_POST
@contrat_requis(existe=_annee)
def statut(request, contrat, annee):
    """Une transition du circuit de l'année. Tant que personne n'a rien enregistré, le suivi reste non enregistré :
    une transition refusée n'écrit rien, pas même la ligne de l'année."""
    suivi = _suivi_lu(contrat, annee)
    if not suivi.transitions_permises(request.user):
        raise PermissionDenied("Vous n'avez pas le droit de changer le statut de cette année.")
    form = StatutForm(request.POST)
    url = reverse("indicateurs:grille", args=[contrat.slug, annee])
    if not form.is_valid():
        messages.error(request, "Demande incomplète : rien n'a changé.")
        return redirect(url)
    transition = SuiviAnnuel.transition(form.cleaned_data["transition"])
    if not suivi.a_le_droit(request.user, transition):
        raise PermissionDenied(SuiviAnnuel.REFUS)
    try:
        suivi_changer_statut(
            user=request.user,
            suivi=suivi,
            version=form.cleaned_data["version"],
            transition=transition.nom,
            motif=form.cleaned_data["motif"],
        )
    except ValidationError as erreur:
        # Statut qui ne le permet pas, motif manquant, ou changement fait entre-temps : rien n'est écrit.
        messages.error(request, " ".join(erreur.messages) + " Rien n'a changé.")
    else:
        messages.success(request, f"Année {annee} {transition.participe}.")
    return redirect(url)


@contrat_requis()
def indicateur_detail(request, contrat, pk):
    indicateur = get_object_or_404(Indicateur.objects.du_contrat(contrat), pk=pk)
    realisations = {r.annee: r for r in indicateur.realisations.all()}
    cibles = {c.annee: c for c in indicateur.cibles.all()}
    return render(
        request,
        "indicateurs/detail.html",
        {
            "contrat": contrat,
            "indicateur": indicateur,
            "mesures": [Mesure(a, cibles.get(a), realisations.get(a), indicateur=indicateur) for a in contrat.annees],
            "historique": historique_indicateur(indicateur),
            "peut_definir_cible": request.user.has_perm("indicateurs.definir_cible", contrat),
            "cible_form": CibleForm(),
        },
    )


@require_POST
@contrat_requis(
    "indicateurs.definir_cible", refus="Vous n'avez pas le droit de fixer une cible.", existe=_indicateur_et_annee
)
def cible_fixer(request, contrat, pk, annee):
    indicateur = get_object_or_404(Indicateur.objects.du_contrat(contrat), pk=pk)
    cible = Cible.objects.filter(indicateur=indicateur, annee=annee).first() or Cible(
        indicateur=indicateur, annee=annee
    )
    form = CibleForm(request.POST)
    form.fields["valeur"].decimales = indicateur.decimales
    form.fields["valeur"].unite = indicateur.unite
    url = reverse("indicateurs:detail", args=[contrat.slug, indicateur.pk])
    if not form.is_valid():
        erreurs = " ".join(e for liste in form.errors.values() for e in liste)
        messages.error(request, f"Cible {annee} non enregistrée : {erreurs}")
        return redirect(url)
    try:
        cible_definir(user=request.user, cible=cible, **form.cleaned_data)
    except ValidationError as erreur:
        messages.error(request, f"Cible {annee} non enregistrée : {' '.join(erreur.messages)}")
    else:
        messages.success(request, f"Cible {annee} fixée à {nombre(cible.valeur)}.")
    return redirect(url)


@contrat_requis()
def export_xlsx(request, contrat):
    """/contrats/<slug>/indicateurs.xlsx : la matrice des indicateurs, pour toute partie au contrat."""
    return reponse_xlsx(classeur_indicateurs(contrat), f"{contrat.slug}-indicateurs.xlsx")
