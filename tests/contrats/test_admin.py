"""L'administration : chaque modèle est administrable, et une saisie fautive y est refusée sans rien écrire."""

import pytest
from django.contrib import admin
from django.urls import reverse

from actions.models import Action
from contrats.models import Contrat
from finances.models import LigneBudgetaire
from tests.conftest import CLS
from tests.outils import page


def formulaire_action(action):
    """Les données POST de la page d'administration de l'action, telles que le navigateur les renverrait."""
    donnees = {
        "contrat": action.contrat_id,
        "axe": action.axe_id,
        "sous_axe": action.sous_axe_id or "",
        "numero": action.numero,
        "intitule": action.intitule,
        "nature": action.nature,
    }
    for prefixe, objets, champs in (
        ("jalons", action.jalons.all(), ["annee", "libelle"]),
        ("indicateurs", action.indicateurs.all(), ["ordre", "libelle", "unite", "portee", "t0"]),
        ("lignes_budgetaires", action.lignes_budgetaires.all(), ["annee", "financeur", "montant"]),
    ):
        objets = list(objets)
        donnees |= {
            f"{prefixe}-TOTAL_FORMS": len(objets),
            f"{prefixe}-INITIAL_FORMS": len(objets),
            f"{prefixe}-MIN_NUM_FORMS": 0,
            f"{prefixe}-MAX_NUM_FORMS": 1000,
        }
        for i, objet in enumerate(objets):
            donnees[f"{prefixe}-{i}-id"] = objet.pk
            donnees[f"{prefixe}-{i}-action"] = action.pk
            for champ in champs:
                valeur = getattr(objet, champ)
                donnees[f"{prefixe}-{i}-{champ}"] = "" if valeur is None else valeur
    return donnees


@pytest.fixture
def action1():
    return Action.objects.get(contrat__slug=CLS, numero="1")


def budget(action):
    return sorted(action.lignes_budgetaires.values_list("annee", "financeur", "montant"))


def index_ligne(action, annee, financeur):
    return list(action.lignes_budgetaires.all()).index(action.lignes_budgetaires.get(annee=annee, financeur=financeur))


@pytest.mark.parametrize(
    ("champ", "saisie", "message"),
    [
        ("montant", "-10", "Un montant ne peut pas être négatif."),
        ("montant", "beaucoup", "Saisissez un nombre."),
        ("annee", "2031", "L'année 2031 est hors de la période du contrat (2024-2027)."),
        ("montant", "30000", "Action 1, 2025 : la collectivité apporte 30 000 € sur 95 000 €, soit moins de 50 %"),
    ],
)
def test_ligne_budgetaire_fautive_refusee_dans_l_admin(connecte, action1, champ, saisie, message):
    avant = budget(action1)
    donnees = formulaire_action(action1)
    i = index_ligne(action1, 2025, "collectivite")
    donnees[f"lignes_budgetaires-{i}-{champ}"] = saisie
    reponse = connecte("admin").post(reverse("admin:actions_action_change", args=[action1.pk]), donnees)
    assert reponse.status_code == 200
    assert message in page(reponse)
    assert budget(action1) == avant


def test_ligne_en_double_refusee_dans_l_admin(connecte, action1):
    avant = budget(action1)
    donnees = formulaire_action(action1)
    n = donnees["lignes_budgetaires-TOTAL_FORMS"]
    donnees |= {
        "lignes_budgetaires-TOTAL_FORMS": n + 1,
        f"lignes_budgetaires-{n}-annee": 2024,
        f"lignes_budgetaires-{n}-financeur": "etat",
        f"lignes_budgetaires-{n}-montant": "5",
    }
    reponse = connecte("admin").post(reverse("admin:actions_action_change", args=[action1.pk]), donnees)
    assert "Une seule ligne par action, année et financeur" in page(reponse)
    assert budget(action1) == avant


def test_admin_enregistre_une_action_valide(connecte, action1):
    donnees = formulaire_action(action1) | {"intitule": "Prévenir le décrochage (intitulé modifié)"}
    reponse = connecte("admin").post(reverse("admin:actions_action_change", args=[action1.pk]), donnees)
    assert reponse.status_code == 302
    action1.refresh_from_db()
    assert action1.intitule == "Prévenir le décrochage (intitulé modifié)"


def test_tous_les_modeles_ont_leur_admin_et_leur_liste(connecte):
    client = connecte("admin")
    for modele in admin.site._registry:
        if modele._meta.app_label not in {"comptes", "contrats", "actions", "indicateurs", "finances", "coherence"}:
            continue
        url = reverse(f"admin:{modele._meta.app_label}_{modele._meta.model_name}_changelist")
        assert client.get(url).status_code == 200, url
        assert client.get(url, {"q": "Dijon"}).status_code == 200, url
        objet = modele.objects.first()
        if objet is not None:
            change = reverse(f"admin:{modele._meta.app_label}_{modele._meta.model_name}_change", args=[objet.pk])
            assert client.get(change).status_code == 200, change
    noms = {m._meta.model_name for m in admin.site._registry}
    from django.apps import apps

    for app in ("comptes", "contrats", "actions", "indicateurs", "finances", "coherence"):
        for modele in apps.get_app_config(app).get_models():
            if not modele.__name__.startswith("Historical"):
                assert modele._meta.model_name in noms, modele


def test_admin_du_contrat_a_ses_inlines(connecte):
    contrat = Contrat.objects.get(slug=CLS)
    reponse = page(connecte("admin").get(reverse("admin:contrats_contrat_change", args=[contrat.pk])))
    assert "Prévenir la pauvreté" in reponse and "Développer des actions de remobilisation" in reponse


def test_admin_interdit_aux_non_administrateurs(connecte):
    reponse = connecte("metropole").get(reverse("admin:contrats_contrat_changelist"))
    assert reponse.status_code == 403  # la page 403 en français (comptes : administration réservée)


def test_contrat_d_admin_hors_ligne_budgetaire_inchangee():
    assert LigneBudgetaire.objects.filter(action__contrat__slug=CLS).count() == 64
