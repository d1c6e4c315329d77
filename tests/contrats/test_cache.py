"""Le cache des pages d'un contrat : indexé sur la version de ses données, que toute écriture change ; une page vue
deux fois ne recalcule rien (graphiques compris) ; une donnée modifiée se voit aussitôt.

Chaque test est une transaction annulée : les étapes qui, en production, sont des transactions validées l'une
après l'autre (une saisie, un affichage) sont faites ici sous `valide()` (django_capture_on_commit_callbacks
exécutant ce qui attend la validation) ; c'est à la validation que le cache est écrit."""

import re
from decimal import Decimal
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse

from actions.models import Action
from commun.cache import cle
from contrats.models import Contrat, Organisation
from indicateurs.models import Cible, Realisation, SuiviAnnuel
from indicateurs.services import saisie_enregistrer
from rapports.templatetags import rapports as balises_rapports
from tests.conftest import CLS
from tests.outils import page


@pytest.fixture(autouse=True)
def cache_vide():
    """Le cache est celui du processus : vide au départ, et rien de ce test n'y reste pour les suivants."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def valide(django_capture_on_commit_callbacks):
    """`with valide():` : le bloc se comporte comme une transaction validée."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def version(contrat) -> int:
    return Contrat.objects.values_list("version_donnees", flat=True).get(pk=contrat.pk)


@pytest.fixture
def cls():
    return Contrat.objects.get(slug=CLS)


@pytest.fixture
def cible_2024(cls):
    """Une cible chiffrée de 2024 du CLS, et son indicateur."""
    return (
        Cible.objects.filter(indicateur__action__contrat=cls, annee=2024, valeur__gt=0)
        .select_related("indicateur__action")
        .order_by("indicateur__action__ordre", "indicateur__ordre")
        .first()
    )


def sans_jeton(page: str) -> str:
    """La page au jeton CSRF près (masqué à chaque requête) et au temps de session restant près (en secondes)."""
    page = re.sub(r'data-session-restant="[0-9]+"', "", page)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page)


@pytest.fixture
def afficher(valide):
    """Un affichage dans sa propre transaction validée : ce qu'il calcule entre en cache."""

    def _afficher(client, url):
        with valide():
            reponse = client.get(url)
        assert reponse.status_code == 200
        return page(reponse)

    return _afficher


# --- La version des données change à chaque écriture ----------------------------------------------------------------


def test_toute_ecriture_d_une_donnee_du_contrat_change_sa_version(valide, cls, cible_2024):
    avant = version(cls)
    with valide():
        realisation = Realisation.objects.create(indicateur=cible_2024.indicateur, annee=2024, valeur=Decimal(5))
    assert version(cls) == avant + 1
    with valide():
        realisation = Realisation.objects.get(pk=realisation.pk)  # chemin indicateur → action → contrat : requête
        realisation.valeur = Decimal(6)
        realisation.save()
    assert version(cls) == avant + 2
    with valide():
        cible_2024.valeur += 1
        cible_2024.save()
    assert version(cls) == avant + 3
    with valide():
        realisation.delete()
    assert version(cls) == avant + 4
    with valide():
        action, autre = Action.objects.filter(contrat=cls).order_by("ordre")[:2]
        action.interactions.add(autre)  # relation plusieurs-à-plusieurs
    assert version(cls) == avant + 5


def test_une_fois_par_transaction_et_annulee_avec_elle(cls, cible_2024):
    avant = version(cls)
    with transaction.atomic():
        for valeur in (1, 2, 3):
            cible_2024.valeur = Decimal(valeur)
            cible_2024.save()
        assert version(cls) == avant + 1  # une seule requête de plus pour toute la transaction
    with pytest.raises(RuntimeError), transaction.atomic():
        cible_2024.valeur = Decimal(4)
        cible_2024.save()
        raise RuntimeError
    assert version(cls) == avant + 1
    autre = Contrat.objects.exclude(pk=cls.pk).first()
    with transaction.atomic():
        with transaction.atomic():  # point de sauvegarde annulé : l'incrément l'est aussi…
            Contrat.objects.get(pk=autre.pk).save()
            transaction.set_rollback(True)
        avant_autre = version(autre)
        Contrat.objects.get(pk=autre.pk).save()  # … l'écriture suivante incrémente donc de nouveau
        assert version(autre) == avant_autre + 1


def test_une_organisation_renommee_change_la_version_de_ses_contrats(cls):
    avant = version(cls)
    organisation = Organisation.objects.get(pk=cls.collectivite_id)
    organisation.nom = "Dijon métropole (renommée)"
    organisation.save()
    assert version(cls) == avant + 1


def test_un_update_du_service_change_la_version(valide, cls, django_user_model):
    """`_prendre_la_main` écrit le suivi par update(), sans signal : le service incrémente la version lui-même."""
    with valide():
        suivi, _ = SuiviAnnuel.objects.get_or_create(contrat=cls, annee=2026)
    avant = version(cls)
    saisie_enregistrer(
        user=django_user_model.objects.get(username="metropole"),
        suivi=SuiviAnnuel.objects.get(pk=suivi.pk),
        version=suivi.version,
        valeurs={},
        recits={},
    )
    assert version(cls) == avant + 1


def test_un_contrat_perime_enregistre_ne_fait_pas_reculer_la_version(valide, cls, cible_2024):
    """Un contrat chargé avant une modification, puis enregistré : la version ne revient pas à une valeur déjà vue
    (dont le cache montrerait d'autres données)."""
    perime = Contrat.objects.get(pk=cls.pk)
    with valide():
        cible_2024.valeur += 1
        cible_2024.save()
    deja_vue = version(cls)
    with valide():
        perime.lieu_signature = "Dijon"
        perime.save()
    assert version(cls) == deja_vue + 1 == perime.version_donnees


# --- Le cache des pages ---------------------------------------------------------------------------------------------


def test_seconde_vue_de_la_page_sans_redessiner_les_graphiques(connecte, afficher, valide, cible_2024):
    client = connecte("metropole")
    url = reverse("pilotage:contrat", args=[CLS])
    with (
        mock.patch.object(
            balises_rapports, "graphique_execution", wraps=balises_rapports.graphique_execution
        ) as execution,
        mock.patch.object(
            balises_rapports, "graphique_indicateurs", wraps=balises_rapports.graphique_indicateurs
        ) as indicateurs,
    ):
        premiere = afficher(client, url)
        seconde = afficher(client, url)
        # Un rendu dessine chaque graphique deux fois (écran, téléphone) ; la seconde vue n'en redessine aucun.
        assert (execution.call_count, indicateurs.call_count) == (2, 2)
        assert sans_jeton(seconde) == sans_jeton(premiere)  # même page, au jeton CSRF près (masqué à chaque requête)
        with valide():
            cible_2024.save()  # une donnée change
        afficher(client, url)
        assert (execution.call_count, indicateurs.call_count) == (4, 4)


def test_une_valeur_modifiee_se_voit_aussitot_dans_le_graphique(connecte, afficher, valide, cible_2024):
    client = connecte("metropole")
    url = reverse("pilotage:contrat", args=[CLS])
    with valide():
        realisation = Realisation.objects.create(
            indicateur=cible_2024.indicateur, annee=2024, valeur=cible_2024.valeur * Decimal("1.73")
        )
    assert "173 %" in afficher(client, url)

    # Témoin : une écriture qui contourne les signaux (update() sans contrat_modifie) ne change pas la version, la
    # page servie est bien celle du cache.
    Realisation.objects.filter(pk=realisation.pk).update(valeur=cible_2024.valeur * Decimal("1.91"))
    page = afficher(client, url)
    assert "173 %" in page and "191 %" not in page

    with valide():
        realisation.refresh_from_db()
        realisation.save()  # une écriture ordinaire : la version change, la page est recalculée
    page = afficher(client, url)
    assert "191 %" in page and "173 %" not in page


def test_une_cible_modifiee_se_voit_aussitot_dans_le_tableau_des_indicateurs(connecte, afficher, valide, cible_2024):
    client = connecte("metropole")
    for url in (
        reverse("pilotage:contrat", args=[CLS]),
        reverse("pilotage:action", args=[CLS, cible_2024.indicateur.action.numero]),
    ):
        afficher(client, url)
        for valeur, texte_valeur in ((Decimal("98765"), "98 765"), (Decimal("45678"), "45 678")):
            with valide():
                cible_2024.valeur = valeur
                cible_2024.save()
            page = afficher(client, url)
            assert texte_valeur in page and page.count("98 765") + page.count("45 678") == 1


def test_historique_recalcule_apres_une_saisie(connecte, afficher, valide, cible_2024):
    client = connecte("metropole")
    url = reverse("pilotage:historique", args=[CLS])
    assert "4321" not in afficher(client, url).replace(" ", "")
    with valide():
        Realisation.objects.create(indicateur=cible_2024.indicateur, annee=2025, valeur=Decimal("4321"))
    assert "4321" in afficher(client, url).replace(" ", "")


def test_les_boutons_restent_ceux_de_l_utilisateur(connecte, afficher):
    """Les fragments en cache ne contiennent rien qui dépende de l'utilisateur : le financier voit ses boutons de
    saisie du budget, l'agent de la collectivité non, quel que soit celui qui a rempli le cache."""
    url = reverse("pilotage:contrat", args=[CLS])
    assert "Nouvel avenant" in afficher(connecte("finances"), url)
    assert "Nouvel avenant" not in afficher(connecte("metropole"), url)


def test_rien_n_entre_en_cache_avant_la_validation_de_la_transaction(connecte, cls):
    """Un calcul fait dans une transaction qui sera annulée ne doit pas survivre sous une version que la suivante
    réutiliserait."""
    assert connecte("metropole").get(reverse("pilotage:contrat", args=[CLS])).status_code == 200
    assert cache.get(cle("graphiques-page", cls)) is None


def test_une_transaction_qui_a_modifie_le_contrat_ne_lit_pas_son_cache(connecte, afficher, cls, cible_2024):
    """Sa version n'augmente qu'une fois par transaction : ce qu'elle calculerait ensuite pourrait encore changer
    avant la validation ; elle calcule donc tout, sans lire ni écrire le cache."""
    client = connecte("metropole")
    url = reverse("pilotage:action", args=[CLS, cible_2024.indicateur.action.numero])
    afficher(client, url)
    cible_2024.valeur = Decimal("24680")
    cible_2024.save()  # transaction du test, non validée
    assert "24 680" in afficher(client, url)
    cible_2024.valeur = Decimal("13579")
    cible_2024.save()  # même transaction : la version ne change plus…
    assert "13 579" in afficher(client, url)  # … mais rien n'a été lu ni écrit en cache entre-temps
