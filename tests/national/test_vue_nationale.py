"""La vue nationale : indicateurs nationaux additionnés d'un contrat à l'autre, chiffres identiques à ceux de chaque
contrat, ce que chaque compte y voit, le jeu synthétique et le référentiel."""

import re
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from contrats.models import Axe, Contrat
from finances.selectors import credits_des_contrats, execution_du_contrat, tableau_budgetaire
from indicateurs.models import Indicateur, Realisation
from national.jeu import MARQUE, PREFIXE, jeu_national_generer
from national.selectors import vue_nationale
from referentiel.enums import Region
from referentiel.models import IndicateurNational, Pilier
from tests.actions.factories import ActionFactory
from tests.conftest import CLS
from tests.contrats.factories import ContratFactory, OrganisationFactory
from tests.outils import normaliser, page


def texte(reponse) -> str:
    """Le texte lu à l'écran : balises retirées, blancs normalisés."""
    return normaliser(re.sub(r"<[^>]+>", " ", page(reponse)))


@pytest.fixture
def national():
    return IndicateurNational.objects.create(
        pilier=Pilier.objects.get(numero=3), libelle="Personnes accompagnées vers leurs droits", source="test"
    )


def _contrat_avec_valeurs(national, departement, valeurs):
    collectivite = OrganisationFactory(departement=departement, region=Region.NORMANDIE)
    contrat = ContratFactory(collectivite=collectivite, departement=departement)
    action = ActionFactory(contrat=contrat, numero="1")
    indicateur = Indicateur.objects.create(action=action, libelle="Accompagnés", indicateur_national=national)
    for annee, valeur in valeurs.items():
        Realisation.objects.create(indicateur=indicateur, annee=annee, valeur=valeur)
    return contrat


def test_les_indicateurs_nationaux_additionnent_les_valeurs_de_deux_contrats(connecte, national):
    premier = _contrat_avec_valeurs(national, "14", {2024: Decimal(120), 2025: Decimal(80)})
    second = _contrat_avec_valeurs(national, "76", {2024: Decimal(30)})
    # Une valeur non disponible n'est pas un zéro : ni comptée dans la somme, ni dans les contrats qui l'ont saisie.
    Realisation.objects.create(
        indicateur=Indicateur.objects.get(action__contrat=second), annee=2025, non_disponible=True, commentaire="x"
    )
    vue = vue_nationale([premier, second], exercice=2025, aujourd_hui=timezone.localdate())
    valeurs = dict(vue.indicateurs)[national]
    assert valeurs[2024].somme == 150 and valeurs[2024].contrats == {premier.pk, second.pk}
    assert valeurs[2025].somme == 80 and valeurs[2025].contrats == {premier.pk}
    assert valeurs[2025].non_disponibles == 1
    assert valeurs[2026] is None

    client = connecte("national")
    lu = texte(client.get(reverse("national:tableau") + "?region=28"))
    assert "Personnes accompagnées vers leurs droits" in lu and "150 (2 contrats)" in lu
    detail = texte(client.get(reverse("national:indicateur", args=[national.pk]) + "?region=28"))
    assert premier.titre in detail and second.titre in detail and "150 (2 contrats)" in detail
    classeur = load_workbook(BytesIO(client.get(reverse("national:xlsx") + "?region=28").content))
    lignes = [[c.value for c in r] for r in classeur["Indicateurs nationaux"].iter_rows(min_row=6)]
    assert ["Personnes accompagnées vers leurs droits", 2024, "Total des contrats", 150] in [
        [r[0], r[3], r[4], r[5]] for r in lignes
    ]


def test_les_credits_de_la_vue_sont_ceux_de_chaque_contrat():
    """Une seule définition : montants en vigueur (tableau budgétaire) et taux d'exécution (page d'exécution)."""
    contrats = jeu_national_generer(nombre=8) + [Contrat.objects.get(slug=CLS)]
    credits = credits_des_contrats(contrats)
    for contrat in contrats:
        tableau = tableau_budgetaire(contrat)
        execution = execution_du_contrat(contrat)
        for annee in contrat.annees:
            etat = sum(
                (v for (c, a, _), v in credits.en_vigueur.items() if c == contrat.pk and a == annee), Decimal(0)
            )
            assert etat == tableau.total.annees[annee].etat, (contrat, annee)
            attendu = execution.budget_total(annee)
            assert credits.budget(contrat.pk, annee).taux_execution == attendu.taux_execution, (contrat, annee)
            assert credits.sous_consommations.get((contrat.pk, annee), 0) == len(
                [c for c in execution.sous_consommations if c.annee == annee]
            )
    # Le CLS de Dijon : ses axes rattachés aux quatre piliers, 332 500 € de l'État signés en 2024 (Art. 3).
    cls = Contrat.objects.get(slug=CLS)
    assert sorted(Axe.objects.filter(contrat=cls).values_list("pilier_national__numero", flat=True)) == [1, 2, 3, 4]
    assert sum(v for (c, a, _), v in credits.signe.items() if c == cls.pk and a == 2024) == Decimal("332500")
    assert credits.signe[(cls.pk, 2024, Pilier.objects.get(numero=3).pk)] == Decimal("147500")


def test_les_agregats_sql_suivent_les_regles_d_un_contrat_jusqu_aux_cas_limites():
    """Les crédits additionnés par la base (credits_des_contrats) égalent, champ par champ, l'exécution de chaque
    contrat calculée ligne à ligne : deux avenants le même jour (le numéro départage), un avenant postérieur à la date
    demandée, une exécution sans ligne budgétaire, un montant nul exécuté, un taux pile au seuil (80 % : pas une
    sous-consommation) et un centime en dessous."""
    import datetime

    from finances.enums import Financeur
    from finances.models import Avenant, Execution, LigneBudgetaire

    contrats = jeu_national_generer(nombre=4)
    contrat = contrats[0]
    a1, a2 = list(contrat.actions.order_by("pk")[:2])
    for numero, montant in ((2, "11000"), (3, "12000")):
        avenant = Avenant.objects.create(contrat=contrat, numero=numero, date=datetime.date(2025, 6, 1), objet="x")
        LigneBudgetaire.objects.create(
            action=a1, annee=2025, financeur=Financeur.ETAT, montant=Decimal(montant), avenant=avenant
        )
    tardif = Avenant.objects.create(contrat=contrat, numero=4, date=datetime.date(2026, 1, 15), objet="tardif")
    LigneBudgetaire.objects.create(action=a1, annee=2025, financeur=Financeur.ETAT, montant=1, avenant=tardif)
    Execution.objects.create(action=a2, annee=2024, financeur=Financeur.AUTRE, engage=500, realise=400)
    LigneBudgetaire.objects.filter(action=a2, annee=2025, financeur=Financeur.COLLECTIVITE).update(montant=0)
    ligne = LigneBudgetaire.objects.get(action=a2, annee=2024, financeur=Financeur.ETAT, avenant=None)
    ligne.montant = Decimal("100.05")
    ligne.save()
    Execution.objects.filter(action=a2, annee=2024, financeur=Financeur.ETAT).update(realise=Decimal("80.04"))
    ligne = LigneBudgetaire.objects.get(action=a2, annee=2024, financeur=Financeur.COLLECTIVITE, avenant=None)
    ligne.montant = Decimal("100.05")
    ligne.save()
    Execution.objects.filter(action=a2, annee=2024, financeur=Financeur.COLLECTIVITE).update(realise=Decimal("80.03"))

    credits = credits_des_contrats(contrats)
    for c in contrats:
        execution = execution_du_contrat(c)
        for annee in c.annees:
            attendu, lu = execution.budget_total(annee), credits.budget(c.pk, annee)
            for champ in ("prevu", "prevu_saisi", "engage", "realise", "attendues", "saisies", "taux_execution"):
                assert getattr(lu, champ) == getattr(attendu, champ), (c, annee, champ)
            assert credits.sous_consommations.get((c.pk, annee), 0) == len(
                [s for s in execution.sous_consommations if s.annee == annee]
            ), (c, annee)
    # À une date : l'avenant signé après elle n'est pas encore en vigueur.
    for date in (None, datetime.date(2025, 12, 31), datetime.date(2025, 1, 1)):
        credits = credits_des_contrats(contrats, date=date)
        tableau = tableau_budgetaire(contrat, date=date or datetime.date(2099, 1, 1))
        for annee in contrat.annees:
            etat = sum(
                (v for (c, a, _), v in credits.en_vigueur.items() if c == contrat.pk and a == annee), Decimal(0)
            )
            assert etat == tableau.total.annees[annee].etat, (annee, date)
    cellules = {
        (s.action.pk, s.financeur) for s in execution_du_contrat(contrat).sous_consommations if s.annee == 2024
    }
    assert (a2.pk, Financeur.COLLECTIVITE) in cellules and (a2.pk, Financeur.ETAT) not in cellules


def test_chacun_ne_voit_que_ses_contrats(connecte):
    jeu_national_generer(nombre=13)
    synthetiques = Contrat.objects.filter(slug__startswith=PREFIXE)
    en_bfc = set(
        synthetiques.filter(collectivite__region=Region.BOURGOGNE_FRANCHE_COMTE).values_list("titre", flat=True)
    )
    ailleurs = set(
        synthetiques.exclude(collectivite__region=Region.BOURGOGNE_FRANCHE_COMTE).values_list("titre", flat=True)
    )
    assert en_bfc and ailleurs
    cls = Contrat.objects.get(slug=CLS).titre

    texte = page(connecte("national").get(reverse("national:tableau")))
    assert cls in texte and all(t in texte for t in en_bfc | ailleurs)
    texte = page(connecte("region").get(reverse("national:tableau")))
    assert cls in texte and all(t in texte for t in en_bfc) and not any(t in texte for t in ailleurs)
    texte = page(connecte("ddets").get(reverse("national:tableau")))
    assert cls in texte and not any(t in texte for t in en_bfc | ailleurs)  # son département (21) seulement
    autre = synthetiques.exclude(collectivite__region=Region.BOURGOGNE_FRANCHE_COMTE).first()
    assert connecte("region").get(reverse("pilotage:contrat", args=[autre.slug])).status_code == 404
    assert connecte("national").get(reverse("pilotage:contrat", args=[autre.slug])).status_code == 200
    # En lecture seule : ni saisie ni budget pour l'administration centrale.
    assert connecte("national").get(reverse("finances:budget_annee", args=[autre.slug, 2024])).status_code == 403
    for compte in ("autre-territoire", "metropole", "lecteur"):
        assert connecte(compte).get(reverse("national:tableau")).status_code == 403
        assert connecte(compte).get(reverse("national:xlsx")).status_code == 403


def test_filtres_et_saisies_absurdes(connecte):
    jeu_national_generer(nombre=26)
    client = connecte("national")
    texte = page(client.get(reverse("national:tableau") + "?type=metropole&region=11"))
    titres = Contrat.objects.filter(collectivite__type="metropole", collectivite__region="11")
    assert all(c.titre in texte for c in titres)
    assert "Département 0" not in texte
    reponse = client.get(reverse("national:tableau") + "?annee=deux-mille&exercice=%3D1%2B1&region=zz&page=x")
    assert reponse.status_code == 200 and "n'est pas une année" in page(reponse)


def test_le_jeu_synthetique():
    call_command("generer_jeu_national", "--nombre", "10")
    contrats = Contrat.objects.filter(slug__startswith=PREFIXE)
    assert contrats.count() == 10
    assert all(MARQUE in c.titre and MARQUE in c.collectivite.nom for c in contrats.select_related("collectivite"))
    for contrat in contrats:
        attendus = 4 if contrat.collectivite.type == "metropole" else 3
        assert contrat.axes.count() == attendus
    assert len({c.collectivite.region for c in contrats}) == 10
    call_command("generer_jeu_national", "--nombre", "3")  # remplace le jeu précédent
    assert Contrat.objects.filter(slug__startswith=PREFIXE).count() == 3
    call_command("generer_jeu_national", "--supprimer")
    assert not Contrat.objects.filter(slug__startswith=PREFIXE).exists()


def test_le_referentiel_reprend_le_contrat_signe_et_n_invente_rien(connecte):
    assert list(Pilier.objects.values_list("numero", "sous_action_304", "code_activite_metropoles")) == [
        (1, "23", "0304 50 23 23 02"),
        (2, "24", "0304 50 23 24 02"),
        (3, "25", "0304 50 23 25 02"),
        (4, "26", "0304 50 23 26 02"),
    ]
    assert not IndicateurNational.objects.exists()  # aucun document ne les énumère
    client = connecte("national")
    url = reverse("national:indicateur_creer")
    reponse = client.post(url, {"pilier": Pilier.objects.get(numero=1).pk, "libelle": "Sans source", "source": ""})
    assert reponse.status_code == 200 and not IndicateurNational.objects.exists()
    reponse = client.post(
        url,
        {"pilier": Pilier.objects.get(numero=1).pk, "libelle": "Enfants accueillis", "source": "Guide", "ordre": 0},
    )
    indicateur = IndicateurNational.objects.get()
    assert (
        reponse.status_code == 302 and indicateur.source == "Guide" and indicateur.modifie_par.username == "national"
    )
    assert connecte("region").post(url, {"libelle": "x"}).status_code == 403


def test_la_vue_en_cache_suit_les_donnees(connecte, national, django_capture_on_commit_callbacks):
    """Le contenu de la vue est gardé en cache sous l'empreinte de ce qu'il montre : une valeur saisie, un indicateur
    national renommé, un contrat ajouté, et la page suivante le montre."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with django_capture_on_commit_callbacks(execute=True):  # données « validées » : plus en cours de modification
        premier = _contrat_avec_valeurs(national, "14", {2024: Decimal(120)})
    client = connecte("national")
    url = reverse("national:tableau") + "?region=28"

    def lire():
        with django_capture_on_commit_callbacks(execute=True), CaptureQueriesContext(connection) as requetes:
            lu = texte(client.get(url))
        return lu, len(requetes)

    lu, a_froid = lire()
    assert "120 (1 contrat)" in lu
    lu, en_cache = lire()
    assert "120 (1 contrat)" in lu and en_cache < a_froid

    realisation = Realisation.objects.get(indicateur__action__contrat=premier, annee=2024)
    realisation.valeur = Decimal(130)
    with django_capture_on_commit_callbacks(execute=True):
        realisation.save()
    assert "130 (1 contrat)" in lire()[0]

    national.libelle = "Personnes orientées vers leurs droits"
    with django_capture_on_commit_callbacks(execute=True):
        national.save()
    assert "Personnes orientées vers leurs droits" in lire()[0]

    with django_capture_on_commit_callbacks(execute=True):
        second = _contrat_avec_valeurs(national, "76", {2024: Decimal(30)})
    lu = lire()[0]
    assert second.titre in lu and "160 (2 contrats)" in lu
