"""La vue nationale (et régionale) : chaque contrat en vigueur, ses crédits de l'État par année et par pilier, son
exécution, ses comptes rendus annuels, son rapport à mi-parcours, et les indicateurs nationaux additionnés d'un
contrat à l'autre. Une douzaine de requêtes agrégées, quel que soit le nombre de contrats : aucune boucle sur les
contrats ne lit la base. Les chiffres viennent des lectures de chaque application (finances, indicateurs,
rapports) ; ici, on ne fait que les ranger."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count

from contrats.models import Axe
from finances.selectors import Budget, credits_des_contrats
from indicateurs.selectors import EN_RETARD, etats_des_suivis, valeurs_nationales
from rapports.selectors import mi_parcours_transmis
from referentiel.enums import Region
from referentiel.models import IndicateurNational, Pilier

ZERO = Decimal(0)
NON_RATTACHE = "Axe non rattaché à un pilier"


@dataclass
class Credits:
    """Les crédits de l'État d'un ensemble (contrat, pilier, région) pour une année. `verse` : None tant qu'aucun
    versement n'est enregistré (« aucun versement », jamais 0 €)."""

    signe: Decimal = ZERO
    en_vigueur: Decimal = ZERO
    verse: Decimal | None = None

    def ajouter(self, autre: "Credits") -> None:
        self.signe += autre.signe
        self.en_vigueur += autre.en_vigueur
        if autre.verse is not None:
            self.verse = (self.verse or ZERO) + autre.verse


@dataclass
class LigneContrat:
    contrat: object
    credits: dict  # annee → Credits (tous piliers)
    credits_piliers: dict  # (annee, pilier_id) → Credits
    budgets: dict  # annee → Budget (exécution, tous financeurs)
    sous_consommations: dict  # annee → nombre de cellules sous le seuil
    suivis: dict  # annee → état du compte rendu
    mi_parcours: datetime.datetime | None
    axes_sans_action: list  # intitulés des axes du contrat sans aucune action
    exercice: int  # l'année dont la page montre les crédits et l'exécution

    @property
    def credits_exercice(self) -> Credits:
        return self.credits_de(self.exercice)

    @property
    def budget_exercice(self) -> Budget:
        return self.budget_de(self.exercice)

    @property
    def sous_consommations_exercice(self) -> int | None:
        return self.sous_consommations_de(self.exercice)

    @property
    def suivis_par_annee(self) -> list[tuple[int, str]]:
        return sorted(self.suivis.items())

    @property
    def region(self) -> str:
        return self.contrat.collectivite.get_region_display() or "Région non renseignée"

    @property
    def annees_en_retard(self) -> list[int]:
        return [annee for annee, etat in self.suivis.items() if etat == EN_RETARD]

    def credits_de(self, annee: int) -> Credits:
        return self.credits.get(annee) or Credits()

    def budget_de(self, annee: int) -> Budget:
        return self.budgets.get(annee) or Budget(annee=annee)

    def sous_consommations_de(self, annee: int) -> int | None:
        """Le nombre de cellules sous le seuil parmi celles saisies ; None si rien n'est saisi cette année (une
        exécution non saisie n'est ni 0 ni une sous-consommation : on écrit `budget_de(annee).absent`)."""
        return self.sous_consommations.get(annee, 0) if self.budget_de(annee).saisi else None


@dataclass
class LigneRegion:
    code: str
    libelle: str
    contrats: int = 0
    credits: Credits = field(default_factory=Credits)  # sur la période
    budget: Budget = field(default_factory=Budget)  # exécution de l'exercice choisi
    mi_parcours: int = 0
    en_retard: int = 0  # contrats dont au moins une année est en retard


@dataclass
class VueNationale:
    annees: list[int]
    exercice: int
    lignes: list[LigneContrat]
    piliers: list
    par_pilier: dict  # (annee, pilier_id) → Credits, tous contrats
    total: dict  # annee → Credits
    budget_total: dict  # annee → Budget
    regions: list[LigneRegion]
    indicateurs: list  # (IndicateurNational, {annee: ValeurNationale})

    @property
    def lignes_piliers(self) -> list[tuple[str, list[Credits]]]:
        """Le tableau par pilier : une ligne par pilier (puis les axes non rattachés, s'il y en a), une cellule par
        année."""
        lignes = [(str(p), [self.par_pilier.get((a, p.pk)) or Credits() for a in self.annees]) for p in self.piliers]
        hors = [self.par_pilier.get((a, None)) or Credits() for a in self.annees]
        if any(c.signe or c.en_vigueur or c.verse for c in hors):
            lignes.append((NON_RATTACHE, hors))
        return lignes

    @property
    def total_par_annee(self) -> list[Credits]:
        return [self.total.get(a) or Credits() for a in self.annees]

    @property
    def mi_parcours_transmis(self) -> int:
        return sum(1 for ligne in self.lignes if ligne.mi_parcours)

    @property
    def sans_action_par_axe(self) -> list[LigneContrat]:
        return [ligne for ligne in self.lignes if ligne.axes_sans_action]


def _axes_sans_action(contrats) -> dict[int, list[str]]:
    """contrat_id → axes sans aucune action (la règle « au moins une action par axe »). Une requête."""
    resultat = defaultdict(list)
    axes = (
        Axe.objects.filter(contrat__in=contrats)
        .annotate(nb_actions=Count("actions"))
        .filter(nb_actions=0)
        .values_list("contrat_id", "numero", "intitule")
        .order_by("contrat_id", "numero")
    )
    for contrat_id, numero, intitule in axes:
        resultat[contrat_id].append(f"Axe {numero} – {intitule}")
    return resultat


def vue_nationale(contrats, *, exercice: int, aujourd_hui: datetime.date) -> VueNationale:
    """La vue nationale des contrats donnés (déjà filtrés et visibles de l'utilisateur)."""
    contrats = list(contrats)
    annees = sorted({a for c in contrats for a in c.annees}) or [exercice]
    credits = credits_des_contrats(contrats)
    suivis = etats_des_suivis(contrats, aujourd_hui)
    transmis = mi_parcours_transmis(contrats)
    sans_action = _axes_sans_action(contrats)
    piliers = list(Pilier.objects.all())

    par_contrat = defaultdict(lambda: defaultdict(Credits))
    par_contrat_pilier = defaultdict(lambda: defaultdict(Credits))
    for source, attribut in ((credits.signe, "signe"), (credits.en_vigueur, "en_vigueur"), (credits.verse, "verse")):
        for (contrat_id, annee, pilier_id), montant in source.items():
            for cellule in (par_contrat[contrat_id][annee], par_contrat_pilier[contrat_id][(annee, pilier_id)]):
                setattr(cellule, attribut, (getattr(cellule, attribut) or ZERO) + montant)

    lignes, par_pilier, total, budget_total = [], defaultdict(Credits), defaultdict(Credits), {}
    regions = {}
    for contrat in contrats:
        budgets = {a: credits.budget(contrat.pk, a) for a in contrat.annees}
        ligne = LigneContrat(
            contrat=contrat,
            credits=dict(par_contrat[contrat.pk]),
            credits_piliers=dict(par_contrat_pilier[contrat.pk]),
            budgets=budgets,
            sous_consommations={a: credits.sous_consommations.get((contrat.pk, a), 0) for a in contrat.annees},
            suivis={a: suivis[(contrat.pk, a)] for a in contrat.annees},
            mi_parcours=transmis.get(contrat.pk),
            axes_sans_action=sans_action.get(contrat.pk, []),
            exercice=exercice,
        )
        lignes.append(ligne)
        for cle, cellule in ligne.credits_piliers.items():
            par_pilier[cle].ajouter(cellule)
        for annee, cellule in ligne.credits.items():
            total[annee].ajouter(cellule)
        for annee, budget in budgets.items():
            budget_total.setdefault(annee, Budget(annee=annee)).ajouter(budget)
        code = contrat.collectivite.region
        region = regions.setdefault(
            code, LigneRegion(code, Region(code).label if code else "Région non renseignée", budget=Budget())
        )
        region.contrats += 1
        for cellule in ligne.credits.values():
            region.credits.ajouter(cellule)
        region.budget.ajouter(ligne.budget_de(exercice))
        region.mi_parcours += bool(ligne.mi_parcours)
        region.en_retard += bool(ligne.annees_en_retard)

    valeurs = valeurs_nationales(contrats)
    indicateurs = [
        (indicateur, {a: valeurs.get((indicateur.pk, a)) for a in annees})
        for indicateur in IndicateurNational.objects.actifs()
    ]
    return VueNationale(
        annees=annees,
        exercice=exercice,
        lignes=lignes,
        piliers=piliers,
        par_pilier=dict(par_pilier),
        total=dict(total),
        budget_total=budget_total,
        regions=sorted(regions.values(), key=lambda r: r.libelle),
        indicateurs=indicateurs,
    )
