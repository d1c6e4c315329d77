from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone

from commun.cache import cle_ensemble, en_cache
from commun.excel import reponse_xlsx
from comptes.acces import contrats_visibles
from evaluation.exports import classeur_evaluations
from evaluation.selectors import evaluations_des_contrats
from national.exports import classeur_national
from national.filters import ContratNationalFilter
from national.forms import IndicateurNationalForm
from national.selectors import vue_nationale
from referentiel.models import IndicateurNational, Pilier
from referentiel.selectors import version_referentiel
from referentiel.services import indicateur_national_enregistrer

PAR_PAGE = 50
REFUS = (
    "La vue nationale est réservée à l'administration centrale, aux préfectures de région et aux services de l'État."
)


def _exiger(request, permission: str, refus: str = REFUS) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied(refus)


def _annee(request, nom: str, defaut: int) -> int:
    """?annee=2025 : une année illisible ou invraisemblable est signalée, et l'on garde la valeur par défaut."""
    brute = request.GET.get(nom, "")
    if not brute:
        return defaut
    if brute.isascii() and brute.isdigit() and 2000 <= int(brute) <= 2100:
        return int(brute)
    messages.error(request, f"« {brute} » n'est pas une année (entre 2000 et 2100) : {defaut} est affichée.")
    return defaut


def _contrats(request):
    """Les contrats visibles de l'utilisateur, en vigueur l'année demandée et filtrés (une requête, à l'évaluation),
    le filtre, l'année et l'exercice montré."""
    aujourd_hui = timezone.localdate()
    annee = _annee(request, "annee", aujourd_hui.year)
    exercice = _annee(request, "exercice", aujourd_hui.year - 1)
    contrats = (
        contrats_visibles(request.user)
        .avec_collectivite()
        .filter(annee_debut__lte=annee, annee_fin__gte=annee)
        .order_by("collectivite__region", "departement", "titre")
    )
    filtre = ContratNationalFilter(request.GET or None, queryset=contrats)
    contrats = filtre.qs if filtre.is_bound and filtre.is_valid() else contrats
    return filtre, annee, exercice, contrats


def _vue(request):
    """Les contrats visibles de l'utilisateur, en vigueur l'année demandée et filtrés, et leur vue nationale."""
    filtre, annee, exercice, contrats = _contrats(request)
    return filtre, annee, vue_nationale(contrats, exercice=exercice, aujourd_hui=timezone.localdate())


def tableau(request):
    """La vue nationale. Son contenu (tous les chiffres) est mis en cache sous l'empreinte de ce qu'il montre :
    chaque contrat visible et la version de ses données, le référentiel, les filtres, la page et la date du jour
    (commun/cache.py) ; une donnée modifiée, un contrat ajouté ou retiré change la clé."""
    _exiger(request, "national.voir")
    filtre, annee, exercice, contrats = _contrats(request)
    # La clé ne lit que l'identifiant et la version de chaque contrat ; les contrats ne sont lus qu'à défaut de cache.
    versions = list(contrats.values_list("pk", "version_donnees"))
    parametres = request.GET.copy()
    parametres.pop("page", None)
    parametres = parametres.urlencode()
    numero = Paginator(versions, PAR_PAGE).get_page(request.GET.get("page")).number
    peut_modifier = request.user.has_perm("referentiel.modifier")
    cle = cle_ensemble(
        "national-tableau", versions, annee, exercice, numero, parametres, peut_modifier, version_referentiel()
    )

    def contenu():
        vue = vue_nationale(contrats, exercice=exercice, aujourd_hui=timezone.localdate())
        return render_to_string(
            "national/_tableau_contenu.html",
            {
                "annee": annee,
                "vue": vue,
                "page": Paginator(vue.lignes, PAR_PAGE).page(numero),
                "parametres": parametres,
                "peut_modifier": peut_modifier,
            },
        )

    return render(
        request,
        "national/tableau.html",
        {
            "filter": filtre,
            "annee": annee,
            "exercice": exercice,
            "nombre": len(versions),
            "parametres": parametres,
            "contenu": en_cache(cle, contenu),
        },
    )


def tableau_xlsx(request):
    _exiger(request, "national.voir")
    _, annee, vue = _vue(request)
    return reponse_xlsx(classeur_national(vue, annee), f"contrats-des-solidarites-national-{annee}.xlsx")


def evaluations_xlsx(request):
    """L'évaluation à mi-parcours (DIPLP) de chaque action des contrats visibles, filtrés comme la page : un seul
    classeur."""
    _exiger(request, "national.voir")
    _, annee, _, contrats = _contrats(request)
    lignes = evaluations_des_contrats(contrats)
    titre = f"Évaluation à mi-parcours des contrats des solidarités en vigueur en {annee}"
    return reponse_xlsx(classeur_evaluations(lignes, titre), f"evaluation-mi-parcours-national-{annee}.xlsx")


def indicateur(request, pk):
    """Un indicateur national : la valeur de chaque contrat (lien vers lui) et leur somme, année par année."""
    _exiger(request, "national.voir")
    indicateur = get_object_or_404(IndicateurNational.objects.select_related("pilier"), pk=pk)
    _, annee, vue = _vue(request)
    valeurs = dict(next((v for i, v in vue.indicateurs if i.pk == indicateur.pk), {}))
    lignes = [
        (ligne.contrat, [(valeurs.get(a) and valeurs[a].par_contrat.get(ligne.contrat.pk)) for a in vue.annees])
        for ligne in vue.lignes
    ]
    return render(
        request,
        "national/indicateur.html",
        {
            "indicateur": indicateur,
            "vue": vue,
            "annee": annee,
            "totaux": [valeurs.get(a) for a in vue.annees],
            "lignes": [(c, v) for c, v in lignes if any(x is not None for x in v)],
            "peut_modifier": request.user.has_perm("referentiel.modifier"),
        },
    )


def indicateur_modifier(request, pk=None):
    """Créer ou modifier un indicateur national (administration centrale)."""
    _exiger(request, "referentiel.modifier", "Seule l'administration centrale modifie le référentiel national.")
    instance = get_object_or_404(IndicateurNational, pk=pk) if pk else IndicateurNational()
    form = IndicateurNationalForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        indicateur = indicateur_national_enregistrer(user=request.user, indicateur=form.save(commit=False))
        messages.success(request, f"Indicateur national « {indicateur} » enregistré.")
        return redirect("national:indicateur", pk=indicateur.pk)
    return render(request, "national/indicateur_form.html", {"form": form, "indicateur": instance})


def referentiel(request):
    """Le référentiel national : les piliers du Pacte et leurs imputations sur le programme 304, et les indicateurs
    nationaux (retirés compris), chacun avec sa source ; l'administration centrale les ajoute et les modifie ici."""
    _exiger(request, "national.voir")
    return render(
        request,
        "national/referentiel.html",
        {
            "piliers": Pilier.objects.all(),
            "indicateurs": IndicateurNational.objects.select_related("pilier", "modifie_par__profil__organisation"),
            "peut_modifier": request.user.has_perm("referentiel.modifier"),
        },
    )
