"""Le parcours de création d'un contrat depuis son annexe, dans le navigateur : l'administrateur de Dijon métropole
ressaisit le CLS depuis un classeur construit à partir de son annexe ; un premier classeur fautif montre ses erreurs
par cellule et ne crée rien ; le bon crée le contrat après confirmation. axe-core passe sur chaque étape, à 1366 px
et à 375 px."""

import pytest
from playwright.sync_api import expect

from contrats.models import Contrat
from tests.e2e.conftest import CLS, texte_normalise
from tests.e2e.test_accessibilite import ETROIT, LARGE, analyser, echouer_si
from tests.outils import annexe_du_contrat, modifier

pytestmark = pytest.mark.e2e


def verifier(page, description: str, violations: list[str]) -> None:
    for taille, libelle in ((ETROIT, "375 px"), (LARGE, "1366 px")):
        page.set_viewport_size(taille)
        violations += analyser(page, f"{description} [{libelle}]")


def envoyer(page, contenu: bytes) -> None:
    page.set_input_files("input[type=file]", files=[{"name": "annexe.xlsx", "mimeType": "application/octet-stream",
                                                     "buffer": contenu}])  # fmt: skip
    page.get_by_role("button", name="Vérifier le classeur").click()
    page.wait_for_load_state()


def test_le_cls_ressaisi_dans_le_navigateur(ouvrir):
    cls = Contrat.objects.get(slug=CLS)
    etat, collectivite = cls.signataires.order_by("ordre")
    avant = Contrat.objects.count()
    violations = []
    page = ouvrir("admin-metropole")
    page.set_viewport_size(LARGE)
    page.goto("/contrats/")
    page.get_by_role("link", name="Nouveau contrat depuis son annexe").click()
    expect(page.locator("main")).to_contain_text("Aucun contrat en cours de création.")
    verifier(page, "accueil de la création", violations)
    page.get_by_role("link", name="Commencer").click()

    page.select_option("#id_etat", str(etat.organisation.pk))
    page.fill("#id_etat_representant", etat.representant)
    page.fill("#id_etat_qualite", etat.qualite)
    page.select_option("#id_collectivite", str(collectivite.organisation.pk))
    page.fill("#id_collectivite_representant", collectivite.representant)
    page.fill("#id_collectivite_qualite", collectivite.qualite)
    verifier(page, "parties", violations)
    page.get_by_role("button", name="Continuer").click()

    page.check("input[name=type_collectivite][value=metropole]")
    page.fill("#id_titre", cls.titre)
    page.fill("#id_departement", "21")
    page.fill("#id_lieu_signature", "Dijon")
    page.fill("#id_annees_provisoires", "2025, 2026, 2027")
    verifier(page, "type et période", violations)
    page.get_by_role("button", name="Continuer").click()

    # Les axes arrivent pré-remplis depuis le référentiel ; l'intitulé est recopié tel que le contrat l'écrit.
    expect(page.locator("#id_axe4_code_activite")).to_have_value("0304 50 23 26 02")
    for axe in cls.axes.order_by("numero"):
        page.fill(f"#id_axe{axe.numero}_intitule", axe.intitule)
    verifier(page, "axes", violations)
    page.get_by_role("button", name="Continuer").click()

    verifier(page, "annexe", violations)
    bon = annexe_du_contrat(cls, total=True)
    envoyer(page, modifier(bon, {("Tableau budgétaire", "F7"): 60000, ("Tableau budgétaire", "D7"): 125000}))
    expect(page.locator("#refus")).to_contain_text("rien ne sera créé")
    expect(page.locator("main table").first).to_contain_text("Tableau budgétaire!F7")
    expect(page.get_by_role("button", name="Créer le contrat")).to_have_count(0)
    verifier(page, "aperçu avec erreurs", violations)
    assert Contrat.objects.count() == avant

    page.get_by_role("link", name="Corriger et envoyer de nouveau").click()
    envoyer(page, bon)
    expect(page.locator("main")).to_contain_text("8 action(s)")
    verifier(page, "aperçu", violations)
    page.get_by_role("button", name="Créer le contrat").click()  # la confirmation est acceptée (conftest)
    expect(page.locator("h1")).to_have_text("Fiches actions à compléter")
    expect(page.locator("main")).to_contain_text("Contrat « Contrat local des solidarités 2024-2027 » créé")
    verifier(page, "fiches à compléter", violations)
    assert Contrat.objects.count() == avant + 1

    page.get_by_role("link", name="Voir le contrat").click()
    total = texte_normalise(page.locator("#tableau-budgetaire tr.total").inner_text())
    assert "665 000 € 332 500 € 332 500 €" in total, total
    echouer_si(violations, "admin-metropole (création)", 14)
