"""Sous la politique de sécurité du contenu, dans un vrai navigateur : aucune violation (ni script ni style en
ligne refusé), les graphiques pygal gardent leur feuille de style (autorisée par son empreinte), et la confirmation
avant de rouvrir un constat passe par le script de l'application (data-confirmer)."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from coherence.selectors import suivi_des_constats
from coherence.services import constat_examiner
from comptes.services import MOT_DE_PASSE_DEMO
from tests.e2e.conftest import CLS, message

pytestmark = pytest.mark.e2e

# Posé avant tout script de la page (par le protocole du navigateur, hors de la politique de la page).
ECOUTE_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample || ""}`);
});
"""


def violations(page) -> list[str]:
    return page.evaluate("() => window.__violations")


def test_la_page_du_contrat_et_ses_graphiques_sans_violation(ouvrir, preparer, indicateurs_cls):
    preparer(2024, {indicateurs_cls[0]: 10})  # une valeur saisie : le graphique d'atteinte des cibles aussi
    page = ouvrir("metropole")
    page.add_init_script(ECOUTE_VIOLATIONS)
    erreurs = []
    page.on("console", lambda m: erreurs.append(m.text) if m.type == "error" else None)
    reponse = page.goto(f"/contrats/{CLS}/")
    assert "script-src 'self'" in reponse.headers["content-security-policy"]
    # Chaque graphique est dessiné deux fois (écran large, téléphone), un seul des deux affiché.
    assert page.locator("svg.pygal-chart").count() == 4
    graphiques = page.locator("svg.pygal-chart:visible")
    expect(graphiques.first).to_be_visible()
    assert graphiques.count() == 2
    for rang in range(2):
        # Taille de titre fixée par la feuille de style du graphique (15 px), pas par défaut du navigateur.
        titre = graphiques.nth(rang).locator(".title").first
        assert titre.evaluate("e => getComputedStyle(e).fontSize") == "15px"
        assert "DejaVu Sans" in titre.evaluate("e => getComputedStyle(e).fontFamily")
    assert violations(page) == []
    assert not [e for e in erreurs if "Content Security Policy" in e], erreurs


def test_rouvrir_un_constat_demande_confirmation(navigateur, live_server, cls):
    suivi = suivi_des_constats(cls)[0]
    constat_examiner(
        contrat=cls,
        cle=suivi.constat.cle,
        empreinte=suivi.constat.empreinte,
        commentaire="Vu en dialogue de gestion.",
        user=get_user_model().objects.get(username="ddets"),
    )
    # Un contexte à lui (pas `ouvrir`) : ce test répond lui-même à chaque confirmation, « Annuler » puis « OK ».
    contexte = navigateur.new_context(base_url=live_server.url, locale="fr-FR")
    try:
        page = contexte.new_page()
        page.add_init_script(ECOUTE_VIOLATIONS)
        page.goto("/connexion/")
        page.fill("#id_username", "metropole")
        page.fill("#id_password", MOT_DE_PASSE_DEMO)
        page.get_by_role("button", name="Se connecter").click()
        page.wait_for_url(lambda url: "/connexion/" not in url)
        page.goto(f"/contrats/{CLS}/coherence/?etat=examines")
        rouvrir = page.get_by_role("button", name="Rouvrir").first
        reponses = iter(["annuler", "accepter"])
        dialogues = []

        def repondre(dialogue):
            dialogues.append(dialogue.message)
            if next(reponses) == "annuler":
                dialogue.dismiss()
            else:
                dialogue.accept()

        page.on("dialog", repondre)
        rouvrir.click()
        expect(page.get_by_role("button", name="Rouvrir")).to_have_count(1)  # « Annuler » : rien n'est envoyé
        assert message(page).count() == 0
        rouvrir.click()
        expect(message(page)).to_contain_text("Constat rouvert")
        assert dialogues == ["Rouvrir ce constat ? Il comptera de nouveau parmi les constats ouverts."] * 2
        assert violations(page) == []
    finally:
        contexte.close()
