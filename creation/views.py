"""Le parcours de création d'un contrat depuis son annexe signée : parties, type et période, axes, classeur de
l'annexe → aperçu avec les erreurs de chaque cellule → confirmation, puis création tout ou rien. Le brouillon et
l'analyse du classeur restent en session jusqu'à la confirmation ; rien n'est écrit avant."""

import functools

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from actions.models import Action
from commun.excel import reponse_xlsx
from commun.televersement import televersement_limite
from comptes.acces import contrat_requis
from comptes.enums import Role
from contrats.models import Organisation
from creation.brouillon import TYPES_COLLECTIVITE, Brouillon
from creation.forms import AnnexeForm, AxesForm, ContratForm, PartiesForm, piliers_du_type
from creation.lecture import AnalyseAnnexe, annexe_analyser
from creation.modele import classeur_annexe
from creation.services import contrat_creer
from finances.imports import fichier_lire
from finances.imports.fichier import TAILLE_MAX

PERMISSION = "creation.creer_contrat"
REFUS = (
    "Seuls l'administrateur d'une organisation (pour un contrat que son organisation signe) et l'administrateur de "
    "la plateforme créent un contrat."
)
CLE_ANALYSE = "creation_annexe"


def creation_requise(vue):
    @functools.wraps(vue)
    def enveloppe(request, *args, **kwargs):
        if not request.user.has_perm(PERMISSION):
            raise PermissionDenied(REFUS)
        return vue(request, Brouillon.depuis_session(request.session), *args, **kwargs)

    return enveloppe


def _etapes(brouillon: Brouillon, active: str) -> list[dict]:
    etapes = [
        ("parties", "Parties", True, brouillon.parties_faites),
        ("contrat", "Type et période", brouillon.parties_faites, brouillon.contrat_fait),
        ("axes", "Axes", brouillon.contrat_fait, brouillon.axes_faits),
        ("annexe", "Annexe (classeur)", brouillon.axes_faits, False),
    ]
    return [
        {"nom": nom, "libelle": libelle, "url": reverse(f"creation:{nom}"), "ouverte": ouverte, "faite": faite,
         "active": nom == active, "rang": rang}
        for rang, (nom, libelle, ouverte, faite) in enumerate(etapes, start=1)
    ]  # fmt: skip


def _rendre(request, gabarit: str, brouillon: Brouillon, active: str, **contexte):
    return render(
        request,
        gabarit,
        {"brouillon": brouillon, "etapes": _etapes(brouillon, active), "etape_active": active, **contexte},
    )


def _precedente(request, message: str, etape: str):
    messages.info(request, message)
    return redirect(f"creation:{etape}")


def _parties(brouillon: Brouillon) -> dict:
    ids = [i for i in (brouillon.etat_id, brouillon.collectivite_id) if i]
    existantes = {o.pk: o for o in Organisation.objects.filter(pk__in=ids)}
    return {
        "etat": existantes.get(brouillon.etat_id) or (brouillon.etat_nouvelle or {}).get("nom", ""),
        "collectivite": existantes.get(brouillon.collectivite_id)
        or (brouillon.collectivite_nouvelle or {}).get("nom", ""),
        "type_collectivite": (
            existantes[brouillon.collectivite_id].type
            if brouillon.collectivite_id in existantes
            else (brouillon.collectivite_nouvelle or {}).get("type")
        ),
        # Le département du contrat : celui du service de l'État qui le signe, s'il est connu.
        "departement": (
            existantes[brouillon.etat_id].departement
            if brouillon.etat_id in existantes
            else (brouillon.etat_nouvelle or {}).get("departement", "")
        ),
    }


def _partie_verifier(user, brouillon: Brouillon) -> None:
    """À la confirmation encore : l'administrateur d'une organisation ne crée qu'un contrat dont son organisation est
    partie (l'étape des parties l'a vérifié ; son rôle ou le brouillon ont pu changer depuis)."""
    profil = getattr(user, "profil", None)
    if user.is_superuser or (profil is not None and profil.role == Role.ADMINISTRATEUR):
        return
    if profil is None or profil.organisation_id not in (brouillon.etat_id, brouillon.collectivite_id):
        raise PermissionDenied(REFUS)


@creation_requise
def accueil(request, brouillon):
    parties = _parties(brouillon) if brouillon.parties_faites else {}
    return _rendre(request, "creation/accueil.html", brouillon, "", parties=parties,
                   type_libelle=TYPES_COLLECTIVITE.get(brouillon.type_collectivite, ""))  # fmt: skip


@creation_requise
def parties(request, brouillon):
    initial = {
        "etat": brouillon.etat_id, "etat_representant": brouillon.etat_representant,
        "etat_qualite": brouillon.etat_qualite, "collectivite": brouillon.collectivite_id,
        "collectivite_representant": brouillon.collectivite_representant,
        "collectivite_qualite": brouillon.collectivite_qualite,
    }  # fmt: skip
    for partie in ("etat", "collectivite"):
        for cle, valeur in (getattr(brouillon, f"{partie}_nouvelle") or {}).items():
            initial[f"{partie}_{cle}"] = valeur
    form = PartiesForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        brouillon.etat_id = d["etat"].pk if d["etat"] else None
        brouillon.etat_nouvelle = form.nouvelle("etat")
        brouillon.collectivite_id = d["collectivite"].pk if d["collectivite"] else None
        brouillon.collectivite_nouvelle = form.nouvelle("collectivite")
        for champ in ("etat_representant", "etat_qualite", "collectivite_representant", "collectivite_qualite"):
            setattr(brouillon, champ, d[champ].strip())
        brouillon.en_session(request.session)
        return redirect("creation:contrat")
    return _rendre(request, "creation/parties.html", brouillon, "parties", form=form)


@creation_requise
def contrat(request, brouillon):
    if not brouillon.parties_faites:
        return _precedente(request, "Commencez par les parties du contrat.", "parties")
    parties = _parties(brouillon)
    type_collectivite = parties["type_collectivite"]
    initial = {
        "type_collectivite": brouillon.type_collectivite or type_collectivite, "titre": brouillon.titre,
        "annee_debut": brouillon.annee_debut or 2024, "annee_fin": brouillon.annee_fin or 2027,
        "departement": brouillon.departement or parties["departement"], "date_signature": brouillon.date_signature_lue,
        "lieu_signature": brouillon.lieu_signature,
        "annees_provisoires": ", ".join(str(a) for a in brouillon.annees_provisoires),
    }  # fmt: skip
    form = ContratForm(request.POST or None, initial=initial, type_collectivite=type_collectivite)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if (d["type_collectivite"], d["annee_debut"], d["annee_fin"]) != (
            brouillon.type_collectivite, brouillon.annee_debut, brouillon.annee_fin,
        ):  # fmt: skip
            brouillon.axes = []  # le nombre d'axes ou les années ont changé : les axes se revoient
        brouillon.type_collectivite = d["type_collectivite"]
        brouillon.titre = d["titre"].strip()
        brouillon.annee_debut, brouillon.annee_fin = d["annee_debut"], d["annee_fin"]
        brouillon.departement = d["departement"].strip()
        brouillon.date_signature = d["date_signature"].isoformat() if d["date_signature"] else ""
        brouillon.lieu_signature = d["lieu_signature"].strip()
        brouillon.annees_provisoires = d["annees_provisoires"]
        brouillon.en_session(request.session)
        request.session.pop(CLE_ANALYSE, None)
        return redirect("creation:axes")
    return _rendre(request, "creation/contrat.html", brouillon, "contrat", form=form)


@creation_requise
def axes(request, brouillon):
    if not brouillon.contrat_fait:
        return _precedente(request, "Précisez d'abord le type et la période du contrat.", "contrat")
    piliers = piliers_du_type(brouillon.type_collectivite)
    form = AxesForm(request.POST or None, brouillon=brouillon, piliers=piliers)
    if request.method == "POST" and form.is_valid():
        brouillon.axes = form.axes()
        brouillon.en_session(request.session)
        request.session.pop(CLE_ANALYSE, None)
        return redirect("creation:annexe")
    return _rendre(request, "creation/axes.html", brouillon, "axes", form=form, piliers=piliers)


@creation_requise
def modele(request, brouillon):
    if not brouillon.axes_faits:
        return _precedente(request, "Le modèle de l'annexe reprend les axes : saisissez-les d'abord.", "axes")
    classeur = classeur_annexe(titre=brouillon.titre, annees=brouillon.annees, axes=brouillon.axes)
    return reponse_xlsx(classeur, "annexe-modele.xlsx")


@televersement_limite(TAILLE_MAX, quoi="classeur")
@creation_requise
def annexe(request, brouillon):
    if not brouillon.axes_faits:
        return _precedente(request, "Saisissez d'abord les axes du contrat.", "axes")
    form = AnnexeForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        fichier = form.cleaned_data["fichier"]
        analyse = annexe_analyser(brouillon=brouillon, donnees=fichier_lire(fichier), nom=fichier.name)
        if analyse.valide:
            request.session[CLE_ANALYSE] = analyse.en_session()
        else:
            request.session.pop(CLE_ANALYSE, None)
        return _apercu(request, brouillon, analyse)
    return _rendre(request, "creation/annexe.html", brouillon, "annexe", form=form)


def _apercu(request, brouillon, analyse: AnalyseAnnexe, erreurs_confirmation=None):
    par_action = {}
    for indicateur in analyse.indicateurs:
        par_action.setdefault(indicateur.action, []).append(indicateur)
    return _rendre(
        request, "creation/apercu.html", brouillon, "annexe", analyse=analyse, parties=_parties(brouillon),
        totaux=analyse.totaux(brouillon.annees), erreurs_confirmation=erreurs_confirmation or [],
        peut_confirmer=analyse.valide and not erreurs_confirmation,
        lignes=[
            (a, [(e + c, e, c) for _, (e, c) in sorted(a.montants.items())], par_action.get(a.numero, []))
            for a in analyse.actions
        ],
    )  # fmt: skip


@require_POST
@creation_requise
def confirmer(request, brouillon):
    en_attente = request.session.get(CLE_ANALYSE)
    if not en_attente or en_attente.get("empreinte") != request.POST.get("empreinte") or not brouillon.axes_faits:
        messages.error(request, "Aucune annexe en attente de confirmation (aperçu expiré ou remplacé) : rien n'a été "
                                "créé. Envoyez de nouveau le classeur.")  # fmt: skip
        return redirect("creation:annexe" if brouillon.axes_faits else "creation:accueil")
    analyse = AnalyseAnnexe.depuis_session(en_attente)
    _partie_verifier(request.user, brouillon)
    try:
        cree = contrat_creer(user=request.user, brouillon=brouillon, analyse=analyse)
    except ValidationError as erreur:
        return _apercu(request, brouillon, analyse, erreurs_confirmation=erreur.messages)
    Brouillon.effacer(request.session)
    request.session.pop(CLE_ANALYSE, None)
    messages.success(
        request,
        f"Contrat « {cree.titre} » créé : {len(analyse.actions)} action(s), {len(analyse.indicateurs)} indicateur(s), "
        "son tableau budgétaire et ses cibles. Complétez maintenant les fiches actions.",
    )
    return redirect("creation:suite", slug=cree.slug)


@require_POST
@creation_requise
def abandonner(request, brouillon):
    Brouillon.effacer(request.session)
    request.session.pop(CLE_ANALYSE, None)
    messages.info(request, "Création abandonnée : rien n'a été enregistré.")
    return redirect("creation:accueil")


@contrat_requis(PERMISSION, refus=REFUS)
def suite(request, contrat):
    """Après la création : les fiches à compléter, chacune avec sa page et, pour l'administrateur, son formulaire
    dans l'administration."""
    return render(request, "creation/suite.html", {
        "contrat": contrat, "actions": Action.objects.du_contrat(contrat).order_by("ordre", "numero"),
    })  # fmt: skip
