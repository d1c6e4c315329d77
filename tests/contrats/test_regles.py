"""Chaque règle du contrat refuse l'exemple qui la viole, avec un message en français, sans rien écrire."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from actions.models import Action
from contrats.models import Contrat, Deliberation, Organisation
from finances.enums import Financeur
from finances.models import LigneBudgetaire
from finances.services import budget_annee_enregistrer, budget_verifier_regles
from indicateurs.models import Cible
from tests.actions.factories import ActionFactory
from tests.conftest import CALPAE, CLS
from tests.finances.factories import LigneBudgetaireFactory
from tests.indicateurs.factories import CibleFactory, IndicateurFactory


def messages(erreur: ValidationError) -> str:
    return " ".join(erreur.messages)


def test_montant_negatif_refuse_par_la_validation_et_par_la_base():
    ligne = LigneBudgetaireFactory.build(action=ActionFactory(), montant=Decimal("-1"))
    with pytest.raises(ValidationError) as erreur:
        ligne.full_clean()
    assert "ne peut pas être négatif" in messages(erreur.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        ligne.save()


def test_annee_hors_periode_refusee():
    ligne = LigneBudgetaireFactory.build(action=ActionFactory(), annee=2031)
    with pytest.raises(ValidationError) as erreur:
        ligne.full_clean()
    assert "L'année 2031 est hors de la période du contrat (2024-2027)" in messages(erreur.value)


def test_une_seule_ligne_par_action_annee_financeur():
    ligne = LigneBudgetaireFactory()
    doublon = LigneBudgetaire(action=ligne.action, annee=ligne.annee, financeur=ligne.financeur, montant=1)
    with pytest.raises(ValidationError) as erreur:
        doublon.full_clean()
    assert "Une seule ligne par action, année et financeur" in messages(erreur.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        doublon.save()


def test_numero_d_action_unique_par_contrat():
    action = ActionFactory(numero="1")
    doublon = Action(contrat=action.contrat, axe=action.axe, numero="1", intitule="Autre")
    with pytest.raises(ValidationError) as erreur:
        doublon.full_clean()
    assert "Ce numéro d'action existe déjà dans le contrat" in messages(erreur.value)
    # … mais le même numéro dans un autre contrat est permis.
    ActionFactory(numero="1").full_clean()


def test_axe_d_un_autre_contrat_refuse():
    action = ActionFactory()
    autre = ActionFactory()
    action.axe = autre.axe
    with pytest.raises(ValidationError) as erreur:
        action.full_clean()
    assert "Cet axe appartient à un autre contrat" in messages(erreur.value)


def _montants_cls(contrat, annee, remplacements):
    lignes = LigneBudgetaire.objects.filter(action__contrat=contrat, annee=annee).select_related("action")
    montants = {(ligne.action, annee, ligne.financeur): ligne.montant for ligne in lignes}
    for (numero, financeur), montant in remplacements.items():
        action = Action.objects.get(contrat=contrat, numero=numero)
        montants[(action, annee, financeur)] = Decimal(montant)
    return montants


def test_cls_part_de_la_collectivite_sous_50_pour_cent_refusee():
    cls = Contrat.objects.get(slug=CLS)
    montants = _montants_cls(cls, 2025, {("1", Financeur.COLLECTIVITE): 64999})
    with pytest.raises(ValidationError) as erreur:
        budget_annee_enregistrer(user=None, contrat=cls, annee=2025, montants=montants)
    assert "Action 1, 2025 : la collectivité apporte 64\u202f999\u00a0€" in messages(erreur.value)
    assert "moins de 50 %" in messages(erreur.value)
    assert (
        LigneBudgetaire.objects.get(
            action__contrat=cls, action__numero="1", annee=2025, financeur="collectivite"
        ).montant
        == 65000
    )


def test_cls_repartition_etat_par_axe_respectee():
    """Déplacer 5 000 € de l'État de l'action 1 vers l'action 3 casse la répartition par axe de 2024."""
    cls = Contrat.objects.get(slug=CLS)
    montants = _montants_cls(
        cls,
        2024,
        {("1", Financeur.ETAT): 60000, ("3", Financeur.ETAT): 30000, ("3", Financeur.COLLECTIVITE): 30000},
    )
    with pytest.raises(ValidationError) as erreur:
        budget_annee_enregistrer(user=None, contrat=cls, annee=2024, montants=montants)
    texte = messages(erreur.value)
    assert (
        "Axe 1, 2024 : les lignes de l'État totalisent 80\u202f000\u00a0€ alors que le contrat fixe 85\u202f000\u00a0€"
        in texte
    )
    assert "Axe 2, 2024" in texte
    assert (
        LigneBudgetaire.objects.get(action__contrat=cls, action__numero="3", annee=2024, financeur="etat").montant
        == 25000
    )


def test_cls_modification_conforme_enregistree_avec_historique(django_user_model):
    cls = Contrat.objects.get(slug=CLS)
    user = django_user_model.objects.get(username="finances")
    montants = _montants_cls(cls, 2026, {("1", Financeur.COLLECTIVITE): 70000})
    modifiees = budget_annee_enregistrer(user=user, contrat=cls, annee=2026, montants=montants)
    assert len(modifiees) == 1
    ligne = LigneBudgetaire.objects.get(action__contrat=cls, action__numero="1", annee=2026, financeur="collectivite")
    assert ligne.montant == 70000
    dernier = ligne.history.first()
    assert dernier.history_user == user and dernier.prev_record.montant == 65000


def test_calpae_collectivite_au_moins_egale_a_l_etat():
    calpae = Contrat.objects.get(slug=CALPAE)
    ligne = LigneBudgetaire.objects.get(action__contrat=calpae, action__numero="1.1", financeur="collectivite")
    ligne.montant = Decimal("75999")
    ligne.save()
    with pytest.raises(ValidationError) as erreur:
        budget_verifier_regles(contrat=calpae)
    assert "2020 : la collectivité apporte 199\u202f999\u00a0€, moins que l'État (200\u202f000\u00a0€)" in messages(
        erreur.value
    )


def test_cible_nd_ou_valeur_jamais_les_deux():
    cible = CibleFactory.build(indicateur=IndicateurFactory(), valeur=Decimal("5"), nd=True, nd_motif="x")
    with pytest.raises(ValidationError) as erreur:
        cible.full_clean()
    assert "soit une valeur, soit « nd »" in messages(erreur.value)


def test_cible_nd_doit_etre_motivee():
    cible = CibleFactory.build(indicateur=IndicateurFactory(), valeur=None, nd=True, nd_motif="")
    with pytest.raises(ValidationError) as erreur:
        cible.full_clean()
    assert "doit indiquer pourquoi" in messages(erreur.value)


def test_cible_hors_periode_et_negative():
    indicateur = IndicateurFactory()
    with pytest.raises(ValidationError) as erreur:
        Cible(indicateur=indicateur, annee=2023, valeur=Decimal("-3")).full_clean()
    texte = messages(erreur.value)
    assert "hors de la période" in texte and "ne peut pas être négative" in texte


DELIBERATION_BUREAU = dict(
    organe="bureau",
    date=datetime.date(2024, 9, 12),
    objet="Convention d'appui à la lutte contre la pauvreté 2023 - Bilan (variante)",
    membres=41,
    membres_en_exercice=41,
    presents=33,
    procurations=6,
    pour=39,
    contre=0,
    abstention=0,
    ne_prend_pas_part=0,
)


def test_deliberation_du_bureau_coherente_acceptee():
    d = Deliberation(organisation=Organisation.objects.get(slug="dijon-metropole"), **DELIBERATION_BUREAU)
    d.full_clean()
    d.save()
    assert d.votants == 39


@pytest.mark.parametrize(
    ("variante", "message"),
    [
        ({"pour": 38}, "Le scrutin ne correspond pas aux votants"),
        ({"pour": 40}, "Le scrutin ne correspond pas aux votants"),
        ({"pour": 36, "abstention": 2}, "Le scrutin ne correspond pas aux votants"),
        ({"procurations": 9, "pour": 42}, "Présents et procurations ensemble ne peuvent dépasser"),
        ({"presents": 20, "pour": 26}, "Quorum non atteint"),
        ({"membres_en_exercice": 42}, "Les membres en exercice ne peuvent dépasser"),
    ],
)
def test_deliberation_arithmetique_incoherente_refusee(variante, message):
    donnees = DELIBERATION_BUREAU | variante
    d = Deliberation(organisation=Organisation.objects.get(slug="dijon-metropole"), **donnees)
    with pytest.raises(ValidationError) as erreur:
        d.full_clean()
    assert message in messages(erreur.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        d.save()
