"""Chaque chiffre des documents signés (../shared/seeds) est dans la base, à l'euro près."""

import datetime
from decimal import Decimal

import pytest

from actions.models import Action
from contrats.models import Contrat, Deliberation
from finances.enums import Financeur
from finances.models import LigneBudgetaire
from finances.selectors import tableau_budgetaire
from indicateurs.models import Bilan, Indicateur
from indicateurs.tableaux import tableau_indicateurs
from tests.conftest import CALPAE, CLS, CONTRAT_DE_VILLE

# Tableau budgétaire du CLS : action -> (État 2024, État 2025, 2026, 2027) ; DM = État pour chaque action.
BUDGET_CLS_ETAT = {
    "1": (65000, 65000, 65000, 65000),
    "2": (20000, 20000, 20000, 20000),
    "3": (25000, 25000, 25000, 25000),
    "4": (20000, 20000, 20000, 20000),
    "5": (47500, 60000, 60000, 60000),
    "6": (100000, 100000, 100000, 100000),
    "7": (25000, 25000, 25000, 25000),
    "8": (30000, 35000, 35000, 35000),
}

# Tableau des indicateurs : (action, libellé, T0, cibles 2024..2027), None = nd.
INDICATEURS_CLS = [
    ("1", "Nombre de jeunes de moins de 15 ans accompagnés", 420, (450, 460, 480, 500)),
    ("2", "Nombre de jeunes de plus de 15 ans accompagnés", 120, (130, 140, 140, 140)),
    ("3", "Nombre de participations à une action de remobilisation", 0, (250, 250, 250, 250)),
    ("4", "Nombre de personnes en recherche d’emploi et en situation de précarité", None, (None,) * 4),
    ("5", "Nombre de personnes ayant bénéficié d’un accompagnement renforcé vers les droits", 150, (300,) * 4),
    ("5", "Nombre de participations à un atelier à l’amélioration de la maitrise", 126, (150, 180, 210, 240)),
    ("6", "Nombre de personnes accompagnées autour de l'accès ou du maintien", 130, (150,) * 4),
    ("6", "Nombre de professionnels de l’action sociale formés", 20, (20,) * 4),
    ("7", "Nombre de personnes ayant fait l’objet d’un diagnostic de mobilité", 50, (90,) * 4),
    ("8", "Nombre de bénéficiaires de produits transformés", 0, (None,) * 4),
    ("8", "Nombre de participants à une action qui permettent de mieux consommer", 0, (None,) * 4),
]

CALPAE_MONTANTS = {
    "1.1": 76000, "1.2": 7500, "1.3": 5000, "1.4": 6000, "1.5": 7500,
    "2.1": 66500, "2.2": 7000, "2.3": 5225, "3.1": 15000, "3.2": 4275,
}  # fmt: skip


@pytest.fixture
def cls():
    return Contrat.objects.get(slug=CLS)


def test_cls_parties_periode_et_visas(cls):
    assert (cls.annee_debut, cls.annee_fin, cls.type) == (2024, 2027, "cls")
    signataires = {s.representant: s.role for s in cls.signataires.all()}
    assert signataires == {"Franck ROBINE": "etat", "François REBSAMEN": "collectivite"}
    visas = [v.texte for v in cls.visas.all()]
    assert visas[0].startswith("Vu la loi n° 2023-1322 du 29 décembre 2023")
    assert any("28 mars 2024" in v for v in visas)
    assert cls.date_signature is None  # « Fait à Dijon, le » laissé en blanc


def test_cls_axes_codes_activite_et_repartition_etat_2024(cls):
    axes = list(cls.axes.order_by("numero"))
    assert [a.code_activite for a in axes] == [
        "0304 50 23 23 02",
        "0304 50 23 24 02",
        "0304 50 23 25 02",
        "0304 50 23 26 02",
    ]
    tableau = tableau_budgetaire(cls)
    etat_2024 = [groupe.sous_total.annees[2024].etat for groupe in tableau.groupes]
    assert etat_2024 == [Decimal(85000), Decimal(45000), Decimal(147500), Decimal(55000)]
    annonces = {
        a.axe.numero: a.montant for a in cls.montants_annonces.filter(annee=2024, financeur="etat", axe__isnull=False)
    }
    assert annonces == {1: 85000, 2: 45000, 3: 147500, 4: 55000}


@pytest.mark.parametrize("numero", list(BUDGET_CLS_ETAT))
def test_cls_budget_par_action(cls, numero):
    lignes = LigneBudgetaire.objects.filter(action__contrat=cls, action__numero=numero)
    for annee, etat in zip(cls.annees, BUDGET_CLS_ETAT[numero], strict=True):
        assert lignes.get(annee=annee, financeur=Financeur.ETAT).montant == Decimal(etat)
        assert lignes.get(annee=annee, financeur=Financeur.COLLECTIVITE).montant == Decimal(etat)
    assert not lignes.filter(financeur=Financeur.AUTRE).exists()


def test_cls_totaux_annuels(cls):
    total = tableau_budgetaire(cls).total.annees
    assert (total[2024].total, total[2024].etat, total[2024].collectivite) == (665000, 332500, 332500)
    for annee in (2025, 2026, 2027):
        assert (total[annee].total, total[annee].etat, total[annee].collectivite) == (700000, 350000, 350000)
    provisoires = cls.montants_annonces.filter(axe__isnull=True, financeur="etat", provisoire=True)
    assert sorted(provisoires.values_list("annee", "montant")) == [(2025, 350000), (2026, 350000), (2027, 350000)]


def test_cls_tableau_des_indicateurs(cls):
    lignes = tableau_indicateurs(cls)
    assert len(lignes) == 11
    for ligne, (numero, debut_libelle, t0, cibles) in zip(lignes, INDICATEURS_CLS, strict=True):
        assert ligne.indicateur.action.numero == numero
        assert ligne.indicateur.libelle.startswith(debut_libelle)
        assert ligne.indicateur.t0 == (None if t0 is None else Decimal(t0))
        for cible, attendue in zip(ligne.cibles, cibles, strict=True):
            if attendue is None:
                assert cible.nd and cible.valeur is None
                assert cible.nd_date_limite == datetime.date(2024, 12, 31)
                assert "précisée au cours de l’année 2024" in cible.nd_motif
            else:
                assert not cible.nd and cible.valeur == Decimal(attendue)


def test_nd_distinct_de_zero(cls):
    """Action 8 : T0 vaut 0 (connu), ses cibles sont nd (inconnues) ; action 4 : T0 nd."""
    action8 = Indicateur.objects.filter(action__contrat=cls, action__numero="8").first()
    assert action8.t0 == 0 and all(c.nd for c in action8.cibles.all())
    action4 = Indicateur.objects.get(action__contrat=cls, action__numero="4")
    assert action4.t0 is None


def test_cls_fiches_actions_completes(cls):
    actions = {a.numero: a for a in Action.objects.filter(contrat=cls)}
    assert sorted(actions) == [str(n) for n in range(1, 9)]
    for action in actions.values():
        assert action.constats and action.objectif_principal and action.calendrier and action.public_cible
        assert action.pilotage
    assert actions["1"].nature == "existante_renforcee"
    assert actions["2"].nature == "nouvelle"
    assert actions["2"].public_cible == "16 – 29 ans"
    assert "moins de 15 ans" in actions["2"].indicateur_fiche  # la coquille de la fiche est conservée
    assert actions["3"].entete_fiche.startswith("Axe 3")  # autre coquille conservée…
    assert actions["3"].axe.numero == 2  # … l'action reste à son axe réel
    assert sorted(a.numero for a in actions["2"].interactions.all()) == ["1", "3", "7"]
    assert actions["1"].sous_axe.intitule.startswith("Faire de la jeunesse un enjeu prioritaire")


def test_calpae_2020_montants_et_parite():
    calpae = Contrat.objects.get(slug=CALPAE)
    assert calpae.axes.count() == 3
    lignes = LigneBudgetaire.objects.filter(action__contrat=calpae)
    for numero, montant in CALPAE_MONTANTS.items():
        assert lignes.get(action__numero=numero, financeur="etat", annee=2020).montant == montant
        assert lignes.get(action__numero=numero, financeur="collectivite", annee=2020).montant == montant
    total = tableau_budgetaire(calpae).total.annees[2020]
    assert (total.etat, total.collectivite) == (200000, 200000)
    fiche = Action.objects.get(contrat=calpae, numero="1.1")
    assert fiche.constats and fiche.objectif_principal and fiche.public_cible


def test_deliberation_du_conseil_28_mars_2024():
    d = Deliberation.objects.get(date=datetime.date(2024, 3, 28))
    assert d.contrat.slug == CLS and d.organe == "conseil"
    assert (d.membres_en_exercice, d.presents, d.procurations, d.votants) == (86, 69, 17, 86)
    assert (d.pour, d.contre, d.abstention, d.ne_prend_pas_part) == (86, 0, 0, 0)
    assert len(d.membres_presents) == 69 and len(d.membres_absents) == 17
    assert "d'autoriser" in d.decision and "332 500 €" in d.decision


def test_bilan_2023_de_la_calpae():
    d = Deliberation.objects.get(date=datetime.date(2024, 9, 12))
    assert d.organe == "bureau"
    assert (d.membres_en_exercice, d.presents, d.procurations, d.pour) == (41, 33, 6, 39)
    bilan = Bilan.objects.get(deliberation=d)
    assert (bilan.annee, bilan.montant_etat, bilan.depenses_collectivite) == (2023, 347000, 879505)
    chiffres = {int(c.valeur) for r in bilan.rubriques.all() for c in r.chiffres.all()}
    assert {5072, 2644, 48, 31, 458, 104, 73, 269, 53, 52, 220, 20, 14} <= chiffres


def test_protocole_contrat_de_ville():
    cdv = Contrat.objects.get(slug=CONTRAT_DE_VILLE)
    assert (cdv.annee_debut, cdv.annee_fin) == (2019, 2022)
    assert cdv.signataires.count() == 19
    assert cdv.quartiers.filter(categorie="prioritaire").count() == 5
    assert cdv.quartiers.filter(categorie="veille").count() == 2
    assert cdv.actions.count() == 10
    assert cdv.instances.filter(nom__icontains="pilotage").exists()
