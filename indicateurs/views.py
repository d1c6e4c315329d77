from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_POST

from actions.models import Action
from commun.excel import reponse_xlsx
from commun.formats import nombre
from comptes.acces import annee_du_contrat, contrat_requis
from indicateurs.controles_saisie import ecarts_sans_commentaire, manques_avant_soumission
from indicateurs.exports import classeur_indicateurs
from indicateurs.forms import CibleForm, GrilleSaisieForm, RattachementForm, StatutForm
from indicateurs.grille import completude_de_la_grille, fils_de_l_annee, lignes_de_la_grille
from indicateurs.historique import historique_indicateur
from indicateurs.models import Cible, Indicateur, Realisation, RecitAction, SuiviAnnuel
from indicateurs.selectors import Mesure
from indicateurs.services import (
    ConflitEdition,
    cible_definir,
    commentaire_ajouter,
    etat_enregistre,
    grille_enregistrer,
    indicateurs_rattacher,
    suivi_changer_statut,
)
from referentiel.models import IndicateurNational


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


def _valeurs_precedentes(contrat, annee) -> dict:
    """indicateur → valeur de l'an passé (une requête)."""
    return dict(
        Realisation.objects.filter(
            indicateur__action__contrat=contrat, annee=annee - 1, valeur__isnull=False
        ).values_list("indicateur_id", "valeur")
    )


@contrat_requis(existe=_annee)
def grille(request, contrat, annee):
    suivi = _suivi_lu(contrat, annee)
    peut_saisir = request.user.has_perm("indicateurs.saisir", contrat)
    conflits, repris = {}, []

    if request.method == "POST":
        if not peut_saisir:
            raise PermissionDenied("Seuls les agents de la collectivité saisissent les valeurs.")
        soumettre = "soumettre" in request.POST
        if soumettre and not request.user.has_perm("indicateurs.soumettre", contrat):
            raise PermissionDenied(SuiviAnnuel.REFUS)
        actions, indicateurs, realisations, recits = _donnees_annee(contrat, annee)
        kwargs = {"actions": actions, "indicateurs": indicateurs, "realisations": realisations, "recits": recits}
        form = GrilleSaisieForm(request.POST, **kwargs)
        cibles = _cibles_de_l_annee(indicateurs, annee)
        precedentes = _valeurs_precedentes(contrat, annee)
        if not suivi.modifiable:
            messages.error(request, "Rien n'a été enregistré : l'année n'est plus modifiable.")
        elif form.is_valid():
            try:
                saisies = form.saisies()
                resultat = grille_enregistrer(
                    user=request.user, contrat=contrat, annee=annee, version=form.cleaned_data["version"],
                    lues=form.lues(), saisies=saisies, indicateurs=indicateurs, actions=actions,
                    soumettre=soumettre, cibles=cibles, precedentes=precedentes,
                )  # fmt: skip
            except ConflitEdition as conflit:
                enregistrees = etat_enregistre(annee=annee, indicateurs=indicateurs, actions=actions)
                _, _, realisations, recits = _donnees_annee(contrat, annee)
                messages.error(request, conflit.messages[0])
                conflits = form.conflits_affiches(conflit)
                repris = form.repris_affiches(conflit.repris, conflit.auteurs, enregistrees)
                suivi = conflit.suivi
                form = GrilleSaisieForm(
                    form.rebasee(conflit, enregistrees, version=conflit.suivi.version),
                    conflits=conflit.conflits,
                    **(kwargs | {"realisations": realisations, "recits": recits}),
                )
                form.is_valid()  # les erreurs de choix ne s'affichent qu'après un nouvel envoi
                form._errors = {}
            except ValidationError as erreur:
                messages.error(request, " ".join(erreur.messages))
            else:
                _messages_apres_enregistrement(request, form, saisies, resultat, soumettre, annee, indicateurs,
                                               cibles, precedentes)  # fmt: skip
                return redirect(reverse("indicateurs:grille", args=[contrat.slug, annee]))
        else:
            messages.error(request, "Rien n'a été enregistré : corrigez les champs signalés.")
        en_cache = None  # la grille renvoyée porte la saisie de l'utilisateur : jamais en cache
    else:
        # Grille vierge : rendue une fois par version des données du contrat et par mode (saisie ou lecture seule)
        # ({% cache_contrat %} du gabarit) ; formulaire et données ne sont construits que s'il faut la rendre.
        lecture_seule = not (peut_saisir and suivi.modifiable)
        form = SimpleLazyObject(
            lambda: _formulaire_vierge(contrat, annee, version=suivi.version, lecture_seule=lecture_seule)
        )
        cibles = SimpleLazyObject(lambda: _cibles_de_l_annee(form.indicateurs, annee))
        precedentes = SimpleLazyObject(lambda: _valeurs_precedentes(contrat, annee))
        en_cache = contrat

    suivi.contrat = contrat  # après un conflit, le suivi est relu : le contrat est déjà chargé
    lecture_seule = not (peut_saisir and suivi.modifiable)
    return render(
        request,
        "indicateurs/grille.html",
        {
            "contrat": contrat,
            "annee": annee,
            "suivi": suivi,
            "form": form,
            "cibles": cibles,
            "precedentes": precedentes,
            "lignes": SimpleLazyObject(lambda: lignes_de_la_grille(form, cibles, precedentes, suivi, annee)),
            "completude": SimpleLazyObject(lambda: completude_de_la_grille(form)),
            "contrat_en_cache": en_cache,
            "lecture_seule": lecture_seule,
            "peut_saisir": not lecture_seule,
            # Les boutons du circuit : ce que le modèle permet à cet utilisateur, maintenant.
            "transitions": {t.nom: t for t in suivi.transitions_possibles(request.user)},
            "conflits": conflits,
            "repris": repris,
            "peut_commenter": request.user.has_perm("indicateurs.commenter", contrat),
            "fils": SimpleLazyObject(lambda: fils_de_l_annee(contrat, annee)),
            "statut_form": StatutForm(initial={"version": suivi.version}),
        },
    )


def _messages_apres_enregistrement(
    request, form, saisies, resultat, soumettre, annee, indicateurs, cibles, precedentes
):
    if soumettre:
        messages.success(
            request,
            f"Saisie {annee} enregistrée ({resultat.modifies} modification(s)) et soumise à la validation de l'État.",
        )
    else:
        messages.success(request, f"Saisie {annee} enregistrée : {resultat.modifies} modification(s).")
    if resultat.repris:
        detail = form.repris_resume(resultat.repris, resultat.auteurs)
        messages.info(request, f"Modifications faites entre-temps, gardées avec les vôtres : {detail}.")
    ecarts = ecarts_sans_commentaire(indicateurs, saisies, cibles, precedentes)
    if ecarts:
        noms = {i.pk: i.libelle for i in indicateurs}
        messages.warning(
            request,
            "À justifier avant de soumettre : " + " ; ".join(f"« {noms[pk]} » : {m}" for pk, m in ecarts.items()),
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
    if transition.nom == "soumettre" and suivi.statut in transition.depart:
        # Soumettre sans passer par la grille : les mêmes contrôles de complétude et de plausibilité, sur ce qui est
        # enregistré.
        actions, indicateurs, _, _ = _donnees_annee(contrat, annee)
        enregistre = etat_enregistre(annee=annee, indicateurs=indicateurs, actions=actions)
        manques = manques_avant_soumission(
            actions,
            indicateurs,
            enregistre,
            _cibles_de_l_annee(indicateurs, annee),
            _valeurs_precedentes(contrat, annee),
        )
        if manques:
            messages.error(request, " ".join(["L'année ne peut pas être soumise :", *manques, "Rien n'a changé."]))
            return redirect(url)
    try:
        suivi_changer_statut(
            user=request.user,
            suivi=suivi,
            version=form.cleaned_data["version"],
            transition=transition.nom,
            motif=form.cleaned_data["motif"],
            lignes=_lignes_du_contrat(contrat, request.POST.getlist("lignes")),
        )
    except ValidationError as erreur:
        # Statut qui ne le permet pas, motif manquant, ou changement fait entre-temps : rien n'est écrit.
        messages.error(request, " ".join(erreur.messages) + " Rien n'a changé.")
    else:
        messages.success(request, f"Année {annee} {transition.participe}.")
    return redirect(url)


def _lignes_du_contrat(contrat, cles) -> list[str]:
    """Les lignes (« i12 » indicateur, « a3 » récit d'action) qui existent dans ce contrat ; le reste est ignoré."""
    indicateurs = {f"i{pk}" for pk in Indicateur.objects.du_contrat(contrat).values_list("pk", flat=True)}
    actions = {f"a{pk}" for pk in Action.objects.du_contrat(contrat).values_list("pk", flat=True)}
    return [c for c in dict.fromkeys(cles) if c in indicateurs | actions]


@require_POST
@contrat_requis("indicateurs.commenter", refus="Seuls les agents des parties au contrat écrivent dans le fil.",
                existe=_annee)  # fmt: skip
def commenter(request, contrat, annee):
    """Un message dans le fil d'une ligne (valeur d'un indicateur, récit d'une action) de l'année."""
    ligne = request.POST.get("ligne", "")
    texte = request.POST.get(f"texte-{ligne}", request.POST.get("texte", ""))
    url = reverse("indicateurs:grille", args=[contrat.slug, annee]) + f"#fil-{ligne}"
    indicateur = action = None
    if ligne.startswith("i") and ligne[1:].isascii() and ligne[1:].isdigit():
        indicateur = Indicateur.objects.du_contrat(contrat).filter(pk=int(ligne[1:])).first()
    elif ligne.startswith("a") and ligne[1:].isascii() and ligne[1:].isdigit():
        action = Action.objects.du_contrat(contrat).filter(pk=int(ligne[1:])).first()
    if indicateur is None and action is None:
        messages.error(request, "Ligne inconnue : le commentaire n'a pas été enregistré.")
        return redirect(url)
    try:
        commentaire_ajouter(
            user=request.user, contrat=contrat, annee=annee, texte=texte,
            indicateur=indicateur, action=action,
        )  # fmt: skip
    except ValidationError as erreur:
        messages.error(request, "Commentaire non enregistré : " + " ".join(erreur.messages))
    else:
        messages.success(request, "Commentaire ajouté au fil.")
    return redirect(url)


@contrat_requis()
def indicateur_detail(request, contrat, pk):
    indicateur = get_object_or_404(
        Indicateur.objects.du_contrat(contrat).select_related("indicateur_national__pilier"), pk=pk
    )
    realisations = {r.annee: r for r in indicateur.realisations.all()}
    cibles = {c.annee: c for c in indicateur.cibles.all()}
    mesures = [Mesure(a, cibles.get(a), realisations.get(a), indicateur=indicateur) for a in contrat.annees]
    return render(
        request,
        "indicateurs/detail.html",
        {
            "contrat": contrat,
            "indicateur": indicateur,
            "mesures": mesures,
            "historique": historique_indicateur(indicateur),
            # Le formulaire « Fixer la cible » sert aux cibles restées « nd » (README) : sa colonne n'apparaît que
            # s'il en reste une.
            "peut_definir_cible": request.user.has_perm("indicateurs.definir_cible", contrat)
            and any(m.cible is not None and m.cible.nd for m in mesures),
            "peut_rattacher": request.user.has_perm("indicateurs.rattacher", contrat),
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


@contrat_requis(
    "indicateurs.rattacher",
    refus="Seuls les agents du contrat (collectivité, État) et l'administration centrale rattachent ses indicateurs "
    "aux indicateurs nationaux.",
)
def rattachement(request, contrat):
    """/contrats/<slug>/indicateurs/rattachement/ : rattacher les indicateurs du contrat aux indicateurs nationaux,
    pour que leurs valeurs s'additionnent d'un contrat à l'autre dans la vue nationale."""
    indicateurs = list(Indicateur.objects.a_rattacher(contrat))
    nationaux = list(IndicateurNational.objects.select_related("pilier"))
    form = RattachementForm(request.POST or None, indicateurs=indicateurs, nationaux=nationaux)
    if request.method == "POST" and form.is_valid():
        changements = form.changements()
        try:
            modifies = indicateurs_rattacher(
                user=request.user, contrat=contrat, changements=changements, motif=form.cleaned_data["motif"]
            )
        except ValidationError as erreur:
            for champ, messages_champ in erreur.message_dict.items():
                form.add_error(champ if champ in form.fields else None, messages_champ)
        else:
            if modifies:
                messages.success(request, f"{len(modifies)} rattachement{'s' if len(modifies) > 1 else ''} enregistré"
                                 f"{'s' if len(modifies) > 1 else ''}.")  # fmt: skip
            else:
                messages.info(request, "Aucun rattachement n'a changé : rien n'a été enregistré.")
            return redirect("indicateurs:rattachement", contrat.slug)
    return render(
        request,
        "indicateurs/rattachement.html",
        {
            "contrat": contrat,
            "form": form,
            "nationaux_actifs": any(n.actif for n in nationaux),
            "peut_modifier_referentiel": request.user.has_perm("referentiel.modifier"),
        },
    )
