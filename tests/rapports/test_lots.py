"""Génération de rapports par lots : une tâche par contrat (backend immédiat en test), l'avancement compté (fait,
sans objet, erreur), les PDF ensuite servis depuis le cache ; la page des lots réservée aux rôles qui génèrent, les
contrats limités à ceux que l'on voit."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from contrats.models import Contrat
from rapports.models import ElementLot, LotRapports, StatutElementLot
from tests.conftest import CALPAE, CLS, CONTRAT_DE_VILLE
from tests.outils import client_pour, page


@pytest.fixture(autouse=True)
def cache_vide():
    cache.clear()
    yield
    cache.clear()


def ids(*slugs):
    return [Contrat.objects.get(slug=s).pk for s in slugs]


def test_lot_genere_chaque_contrat_et_compte_l_avancement(connecte, pdf_factice, django_capture_on_commit_callbacks):
    client = connecte("admin")
    with django_capture_on_commit_callbacks(execute=True):
        reponse = client.post(
            reverse("lots:liste"), {"type": "mi_parcours", "contrats": ids(CLS, CALPAE, CONTRAT_DE_VILLE)}
        )
    lot = LotRapports.objects.get()
    assert reponse.status_code == 302 and reponse["Location"] == reverse("lots:detail", args=[lot.pk])
    statuts = dict(ElementLot.objects.filter(lot=lot).values_list("contrat__slug", "statut"))
    # Le CALPAE 2020 dure un an : pas de rapport à mi-parcours, noté « sans objet », avec la raison.
    assert statuts == {CLS: StatutElementLot.FAIT, CONTRAT_DE_VILLE: StatutElementLot.FAIT, CALPAE: "ignore"}
    assert len(pdf_factice) == 2
    texte = page(client.get(reverse("lots:detail", args=[lot.pk])))
    assert "3 / 3" in texte and "terminé" in texte and "http-equiv" not in texte
    assert "dure moins de 2 ans" in texte
    # Le PDF généré par le lot est servi depuis le cache : aucune nouvelle mise en page.
    with django_capture_on_commit_callbacks(execute=True):
        assert client.get(reverse("rapports:pdf", args=[CLS, "mi-parcours"])).status_code == 200
    assert len(pdf_factice) == 2


def test_erreur_de_mise_en_page_notee_sans_arreter_le_lot(connecte, monkeypatch, django_capture_on_commit_callbacks):
    appels = []

    def html_vers_pdf(html, *, archivage=False):
        appels.append(1)
        if len(appels) == 1:
            raise RuntimeError("police introuvable")
        return b"%PDF-1.7"

    monkeypatch.setattr("rapports.pdf.html_vers_pdf", html_vers_pdf)
    with django_capture_on_commit_callbacks(execute=True):
        connecte("secretariat").post(
            reverse("lots:liste"), {"type": "annuel", "annee": "2024", "contrats": ids(CLS, CONTRAT_DE_VILLE)}
        )
    lot = LotRapports.objects.avec_avancement().get()
    assert (lot.total, lot.faits, lot.erreurs) == (2, 2, 1)
    texte = page(connecte("secretariat").get(reverse("lots:liste")))
    assert "1 erreur(s)" in texte


def test_lot_en_cours_rafraichi(connecte):
    from django.contrib.auth import get_user_model

    lot = LotRapports.objects.create(type="mi_parcours", cree_par=get_user_model().objects.get(username="ddets"))
    ElementLot.objects.create(lot=lot, contrat=Contrat.objects.get(slug=CLS))
    client = connecte("ddets")
    for adresse in (reverse("lots:liste"), reverse("lots:detail", args=[lot.pk])):
        texte = page(client.get(adresse))
        assert '<meta http-equiv="refresh" content="5">' in texte and "0 / 1" in texte and "en cours" in texte
    # Le lot d'un autre : 404 (l'administrateur voit tous les lots).
    assert connecte("metropole").get(reverse("lots:detail", args=[lot.pk])).status_code == 404
    assert client_pour("admin").get(reverse("lots:detail", args=[lot.pk])).status_code == 200


def test_annee_obligatoire_pour_le_rapport_annuel(connecte):
    reponse = connecte("admin").post(reverse("lots:liste"), {"type": "annuel", "contrats": ids(CLS)})
    assert reponse.status_code == 200
    assert "Indiquez l'année du rapport annuel." in page(reponse)
    assert not LotRapports.objects.exists()


def test_droits_et_contrats_visibles():
    for role in ("lecteur", "finances"):
        assert client_pour(role).get(reverse("lots:liste")).status_code == 403
    # Un contrat que l'on ne voit pas n'est pas proposé, et ne peut être demandé.
    client = client_pour("autre-territoire")
    reponse = client.get(reverse("lots:liste"))
    if reponse.status_code == 200:
        assert "Contrat local des solidarités 2024-2027" not in page(reponse)
        reponse = client.post(reverse("lots:liste"), {"type": "mi_parcours", "contrats": ids(CLS)})
        assert "pas parmi ceux que vous voyez" in page(reponse)
    assert not LotRapports.objects.exists()
