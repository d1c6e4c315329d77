"""Circuit de validation : la collectivité soumet, l'État valide, renvoie ou rouvre (motif obligatoire)."""

import pytest
from playwright.sync_api import expect

from indicateurs.enums import StatutSuivi
from indicateurs.models import SuiviAnnuel
from tests.e2e.conftest import CLS, annee_presque_complete, grille_url, message, texte_normalise

pytestmark = pytest.mark.e2e


def champs_actifs(page):
    """Les champs de saisie visibles de la grille encore modifiables."""
    return page.locator(
        "#grille input:not([type=hidden]):not([form]):enabled, #grille textarea:not([form]):enabled"
    )  # (hors fil de commentaires, rattaché à son propre formulaire)


def tableau(page, selecteur="table"):
    """Les lignes d'un tableau HTML, en dictionnaires {en-tête: texte normalisé}."""
    entetes = [texte_normalise(t) for t in page.locator(f"{selecteur} thead th").all_inner_texts()]
    return [
        dict(zip(entetes, [texte_normalise(c) for c in ligne.locator("td").all_inner_texts()], strict=False))
        for ligne in page.locator(f"{selecteur} tbody tr").all()
    ]


def test_soumission_puis_validation_verrouille_l_annee(ouvrir, indicateurs_cls, cls):
    indicateur = next(i for i in indicateurs_cls if not i.est_qualitatif)
    annee_presque_complete(cls, 2025, sauf=indicateur)
    metropole = ouvrir("metropole")
    metropole.goto(grille_url(2025))
    metropole.fill(f"#id_v{indicateur.pk}", "87")
    metropole.fill(f"#id_c{indicateur.pk}", "Comptage partiel")
    metropole.get_by_role("button", name="Enregistrer la saisie 2025").click()
    expect(message(metropole)).to_contain_text("Saisie 2025 enregistrée : 1 modification(s).")
    metropole.get_by_role("button", name="Soumettre à la validation de l'État").click()
    expect(message(metropole)).to_contain_text("et soumise à la validation de l'État")
    expect(metropole.locator("#statut")).to_contain_text("Statut : Soumis")
    expect(metropole.locator("#statut")).to_contain_text("soumise par Paul Exemple")
    expect(champs_actifs(metropole)).to_have_count(0)

    ddets = ouvrir("ddets")
    ddets.goto(grille_url(2025))
    expect(ddets.locator("#statut")).to_contain_text("Statut : Soumis")
    expect(ddets.locator("#lecture-seule")).to_contain_text("Lecture seule")
    expect(ddets.locator(f"#ligne-i{indicateur.pk}")).to_contain_text("87")  # la valeur en texte
    expect(ddets.locator(f"#id_v{indicateur.pk}")).to_have_count(0)
    ddets.get_by_role("button", name="Valider l'année 2025").click()
    expect(message(ddets)).to_contain_text("Année 2025 validée.")
    expect(ddets.locator("#statut")).to_contain_text("Statut : Validé")

    metropole.goto(grille_url(2025))
    statut = metropole.locator("#statut")
    expect(statut).to_contain_text("Statut : Validé")
    expect(statut).to_contain_text("année verrouillée : validée par Claire Démo")
    expect(metropole.locator(f"#ligne-i{indicateur.pk}")).to_contain_text("87")
    expect(champs_actifs(metropole)).to_have_count(0)
    expect(metropole.get_by_role("button", name="Enregistrer la saisie 2025")).to_have_count(0)
    expect(metropole.get_by_role("button", name="Soumettre à la validation de l'État")).to_have_count(0)
    expect(metropole.get_by_role("button", name="Rouvrir l'année")).to_have_count(0)
    assert SuiviAnnuel.objects.get(contrat=cls, annee=2025).statut == StatutSuivi.VALIDE


def test_reouverture_exige_un_motif_et_le_trace(ouvrir, indicateurs_cls, preparer, cls):
    preparer(2025, {indicateurs_cls[0]: 87}, "soumettre", "valider")
    motif = "Erreur signalée par la métropole sur le nombre de maraudes"

    ddets = ouvrir("ddets")
    ddets.goto(grille_url(2025))
    expect(ddets.locator("#statut")).to_contain_text("année verrouillée : validée par Claire Démo")
    ddets.get_by_role("button", name="Rouvrir l'année").click()
    expect(message(ddets, "danger")).to_contain_text(
        "Indiquez le motif : il est obligatoire pour renvoyer ou rouvrir une année. Rien n'a changé."
    )
    expect(ddets.locator("#statut")).to_contain_text("Statut : Validé")
    assert SuiviAnnuel.objects.get(contrat=cls, annee=2025).statut == StatutSuivi.VALIDE

    ddets.fill("#motif-reouverture", motif)
    ddets.get_by_role("button", name="Rouvrir l'année").click()
    expect(message(ddets)).to_contain_text("Année 2025 rouverte.")
    expect(ddets.locator("#statut")).to_contain_text("Statut : À corriger")
    expect(ddets.locator("#statut")).to_contain_text(f"Motif : « {motif} »")

    ddets.goto(f"/contrats/{CLS}/historique/")
    expect(ddets.get_by_role("heading", name="Historique des modifications")).to_be_visible()
    lignes = tableau(ddets)
    reouverture = [ligne for ligne in lignes if ligne.get("Motif") == motif]
    assert len(reouverture) == 1, lignes
    assert reouverture[0]["Par"] == "Claire Démo, DDETS de la Côte-d'Or"
    assert reouverture[0]["Objet"] == "Suivi 2025"
    assert reouverture[0]["Avant"] == "Validé"
    assert reouverture[0]["Après"] == "À corriger"


def test_renvoi_pour_correction_visible_de_la_collectivite(ouvrir, indicateurs_cls, preparer):
    preparer(2025, {indicateurs_cls[0]: 87}, "soumettre")
    motif = "Valeur 2025 incohérente avec le bilan de l'association"

    ddets = ouvrir("ddets")
    ddets.goto(grille_url(2025))
    ddets.fill("#motif-renvoi", motif)
    ddets.get_by_role("button", name="Renvoyer pour correction").click()
    expect(message(ddets)).to_contain_text("Année 2025 renvoyée pour correction.")

    metropole = ouvrir("metropole")
    metropole.goto(grille_url(2025))
    statut = metropole.locator("#statut")
    expect(statut).to_contain_text("Statut : À corriger")
    expect(statut).to_contain_text("par Claire Démo")
    expect(statut).to_contain_text(f"Motif : « {motif} »")
    # l'année est de nouveau modifiable par la collectivité
    expect(metropole.locator(f"#id_v{indicateurs_cls[0].pk}")).to_be_enabled()
    expect(metropole.get_by_role("button", name="Enregistrer la saisie 2025")).to_be_visible()
    expect(metropole.get_by_role("button", name="Soumettre à la validation de l'État")).to_be_visible()

    metropole.goto("/")
    a_faire = metropole.locator("section[aria-labelledby=titre-a-faire]")
    expect(a_faire.get_by_role("heading", name="En attente de votre action")).to_be_visible()
    element = a_faire.locator("li").filter(has_text="Corriger les valeurs renvoyées")
    expect(element).to_have_count(1)
    expect(element).to_contain_text("2025")
    expect(element).to_contain_text(f"Motif : {motif}")
    element.get_by_role("link", name="Ouvrir").click()
    metropole.wait_for_url(f"**{grille_url(2025)}")
    expect(metropole.locator("#statut")).to_contain_text("Statut : À corriger")
