import datetime

from django.contrib import messages
from django.db.models import prefetch_related_objects
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django_filters.views import FilterView
from django_tables2 import RequestConfig, SingleTableMixin

from actions.models import Action
from commun.cache import cle, en_cache
from commun.excel import reponse_xlsx
from comptes.acces import contrat_requis, contrats_visibles
from contrats.enums import TypeEcheance
from contrats.models import Deliberation, Echeance
from finances.models import LigneBudgetaire
from finances.selectors import changements_des_avenants, tableau_budgetaire
from indicateurs.models import Bilan, SuiviAnnuel
from indicateurs.tableaux import tableau_indicateurs
from pilotage.exports import classeur_historique
from pilotage.filters import ContratFilter
from pilotage.historique import historique_contrat
from pilotage.selectors import clauses_du_contrat, contrats_avec_totaux
from pilotage.tables import ContratTable, HistoriqueTable
from rapports.selectors import rapports_a_preparer


class ContratListView(SingleTableMixin, FilterView):
    table_class = ContratTable
    filterset_class = ContratFilter
    template_name = "pilotage/liste.html"

    def get_queryset(self):
        return contrats_visibles(self.request.user).avec_collectivite()

    def get_table_data(self):
        return contrats_avec_totaux(super().get_table_data())


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


@contrat_requis()
def contrat_detail(request, contrat):
    initial = request.GET.get("version") == "initiale"
    date = None if initial else _date_demandee(request)
    # Données paresseuses : calculées seulement si le fragment qui les montre n'est pas déjà en cache pour cette
    # version des données du contrat ({% cache_contrat %} du gabarit) ; les boutons (droits) restent calculés.
    return render(
        request,
        "pilotage/detail.html",
        {
            "contrat": contrat,
            "signataires": contrat.signataires.select_related("organisation"),
            "visas": contrat.visas.all(),
            "articles": contrat.articles.all(),
            "clauses": SimpleLazyObject(lambda: clauses_du_contrat(contrat)),
            "diagnostic": contrat.chiffres_diagnostic.all(),
            "tableau": SimpleLazyObject(lambda: tableau_budgetaire(contrat, date=date, initial=initial)),
            "date_budget": date,
            "budget_initial": initial,
            "avenants": SimpleLazyObject(lambda: changements_des_avenants(contrat)),
            "indicateurs": SimpleLazyObject(lambda: tableau_indicateurs(contrat)),
            "deliberations": Deliberation.objects.du_contrat(contrat),
            "bilans": Bilan.objects.filter(contrat=contrat).prefetch_related(
                "rubriques__chiffres", "rubriques__action"
            ),
            "quartiers": contrat.quartiers.all(),
            "instances": contrat.instances.all(),
            "peut_modifier_budget": request.user.has_perm("finances.modifier_budget", contrat),
            # Un bouton qu'un rôle ne peut pas utiliser n'est pas montré.
            "peut_importer": request.user.has_perm("finances.importer", contrat),
            "peut_rattacher": request.user.has_perm("indicateurs.rattacher", contrat),
        },
    )


def _avec_relations(action):
    prefetch_related_objects([action], "jalons", "interactions", "citee_par")
    return action


@contrat_requis()
def action_detail(request, contrat, numero):
    action = get_object_or_404(Action.objects.du_contrat(contrat), numero=numero)
    # La fiche ne montre que des données : rendue une fois par version des données du contrat ({% cache_contrat %}
    # du gabarit), ce qu'elle lit n'est calculé (paresseusement) que si elle n'est pas en cache.
    return render(
        request,
        "actions/detail.html",
        {
            "contrat": contrat,
            "action": action,
            "fiche": SimpleLazyObject(lambda: _avec_relations(action)),
            "indicateurs": SimpleLazyObject(lambda: tableau_indicateurs(contrat, actions=[action])),
            "lignes": LigneBudgetaire.objects.filter(action=action).order_by("annee", "financeur"),
        },
    )


def accueil(request):
    """Ce qui est dû, ce qui est en retard, ce qui attend l'action de l'utilisateur, sur ses contrats."""
    contrats = list(contrats_visibles(request.user).avec_collectivite())
    aujourd_hui = timezone.localdate()
    suivis = {(s.contrat_id, s.annee): s for s in SuiviAnnuel.objects.filter(contrat__in=contrats)}
    echeances = []
    for echeance in Echeance.objects.des_contrats(contrats):
        suivi = suivis.get((echeance.contrat_id, echeance.annee))
        faite = echeance.realisee_le is not None or (
            echeance.type == TypeEcheance.VALEURS_ANNUELLES and suivi is not None and suivi.verrouille
        )
        echeance.faite = faite
        echeance.en_retard = not faite and echeance.date < aujourd_hui
        echeance.suivi = suivi
        # Rendue après la date due : dite en retard, jamais parmi les échéances tenues.
        faite_le = echeance.realisee_le or (timezone.localdate(suivi.statut_le) if faite and suivi.statut_le else None)
        echeance.retard = echeance.jours_de_retard(faite_le) if faite else 0
        echeance.faite_le = faite_le
        echeances.append(echeance)

    a_faire = []
    for contrat in contrats:
        for annee in contrat.annees:
            if annee > aujourd_hui.year:
                continue
            # Une année sans suivi enregistré est un brouillon (objet non enregistré) ; le contrat, déjà chargé, lui
            # est rattaché : les permissions ne coûtent aucune requête, quel que soit le nombre de contrats.
            suivi = suivis.get((contrat.pk, annee)) or SuiviAnnuel(annee=annee)
            suivi.contrat = contrat
            if libelle := suivi.a_faire(request.user):
                a_faire.append((contrat, annee, libelle, suivi))
    return render(
        request,
        "pilotage/accueil.html",
        {
            "a_faire": a_faire,
            "en_retard": [e for e in echeances if e.en_retard],
            "a_venir": [e for e in echeances if not e.faite and not e.en_retard],
            "faites": [e for e in echeances if e.faite and not e.retard],
            "rendues_en_retard": [e for e in echeances if e.faite and e.retard],
            "rapports": rapports_a_preparer(request.user, echeances),
        },
    )


@contrat_requis()
def historique(request, contrat):
    # Les lignes de l'historique sont des données : calculées une fois par version des données du contrat
    # (commun/cache.py) ; le tri et la pagination restent faits à chaque affichage.
    table = HistoriqueTable(en_cache(cle("historique", contrat), lambda: historique_contrat(contrat)))
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    return render(request, "pilotage/historique.html", {"contrat": contrat, "table": table})


@contrat_requis()
def historique_xlsx(request, contrat):
    return reponse_xlsx(classeur_historique(contrat), f"{contrat.slug}-historique.xlsx")
