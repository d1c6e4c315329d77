"""Accessibilité : axe-core (paquet npm épinglé dans package.json, installé par `make e2e`, injecté depuis
node_modules, jamais d'un CDN) passe sur chaque page de l'application, l'administration de Django exceptée.

Chaque rendu distinct est vérifié une fois : chaque compte de démonstration (les boutons et les droits changent la
page), chaque état de la grille de suivi (une année à chaque statut du circuit : modifiable ou en lecture seule selon
le compte), les pages d'erreur, la connexion et la déclaration d'accessibilité ; à 1366 px, puis à 375 px pour les
pages dont la mise en page change (listes, page du contrat, grilles, tableaux). L'administrateur, qui voit tout,
parcourt les trois contrats ; les autres comptes parcourent le CLS, le seul que voient tous les comptes de Dijon.

Aucune violation d'impact « serious » ou « critical » n'est admise ; un échec liste, pour chaque page, la règle,
l'impact, les éléments en cause (sélecteurs) et l'adresse. Les adresses viennent de la configuration d'URL : une page
ajoutée sans être classée ici fait échouer `test_chaque_adresse_est_classee`."""

import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import get_resolver, reverse
from playwright.sync_api import expect

from comptes.services import MOT_DE_PASSE_DEMO
from contrats.models import Contrat
from rapports.cles import cles_du_contrat
from referentiel.models import IndicateurNational, Pilier
from tests.e2e.conftest import CLS

pytestmark = pytest.mark.e2e

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
VERSION_AXE = json.loads((Path(settings.BASE_DIR) / "package.json").read_text())["devDependencies"]["axe-core"]
LARGE = {"width": 1366, "height": 768}
ETROIT = {"width": 375, "height": 812}
IMPACTS_REFUSES = {"serious", "critical"}
CONTRATS = (CLS, "dijon-calpae-2020", "dijon-contrat-de-ville-2019-2022")
COMPTES = ["admin", "ddets", "metropole", "finances", "secretariat", "lecteur", "autre-territoire"]
IMPORTEURS = {"admin", "finances", "metropole"}  # exécution (finances), valeurs d'indicateurs (metropole)
LOTS = {"admin", "ddets", "metropole", "secretariat", "autre-territoire"}  # rapports par lots
# Une année du CLS à chaque statut : validée et soumise (lecture seule pour la collectivité, boutons de l'État),
# à corriger et brouillon (modifiables par la collectivité, en lecture pour les autres).
STATUTS_DES_ANNEES = {2024: ("soumettre", "valider"), 2025: ("soumettre",), 2026: ("soumettre", "renvoyer"), 2027: ()}

# Adresses nommées qui n'affichent pas de page HTML à un GET : non vérifiées, et pourquoi.
HORS_PAGES = {
    "logout": "déconnexion, POST seulement",
    "sante": "sonde de supervision, texte brut",
    "indicateurs:commenter": "commentaire d'une valeur ou d'un récit, POST seulement",
    "indicateurs:statut": "changement de statut, POST seulement",
    "indicateurs:cible": "fixation d'une cible, POST seulement",
    "rapports:figer": "POST seulement",
    "rapports:version_transmise": "POST seulement",
    "rapports:pdf": "PDF",
    "rapports:version": "PDF",
    "pilotage:historique_xlsx": "classeur Excel",
    "coherence:xlsx": "classeur Excel",
    "indicateurs:xlsx": "classeur Excel",
    "finances:budget_xlsx": "classeur Excel",
    "finances:execution_xlsx": "classeur Excel",
    "finances:modele": "classeur Excel",
    "creation:modele": "classeur Excel",
    "creation:confirmer": "POST seulement",
    "creation:abandonner": "POST seulement",
    "documents:telecharger": "fichier déposé (PDF, bureautique)",
    "documents:supprimer": "confirmation de suppression d'un document (aucun dans les données de démonstration)",
    "evaluation:statut": "changement de statut de l'évaluation, POST seulement",
    "evaluation:piece": "dépôt d'une pièce justificative, POST seulement",
    "evaluation:piece_supprimer": "confirmation du retrait d'une pièce (aucune dans les données de démonstration)",
    "national:evaluations_xlsx": "classeur Excel",
}
# La création d'un contrat : chaque étape dépend du brouillon en session ; tests/e2e/test_creation.py la parcourt dans
# le navigateur, axe-core compris, à 1366 px et à 375 px.
HORS_PAGES |= {
    "finances:versement_supprimer": "suppression d'un versement, POST seulement",
    "finances:versement_modifier": "un versement existant (aucun dans les documents signés de Dijon) ; "
    "même formulaire que la saisie de la page des versements, vérifiée ici",
    "lots:detail": "avancement d'un lot de rapports (tâche de fond), vérifié par tests/rapports/test_lots.py",
    "national:xlsx": "classeur Excel",
    "notifications:ouvrir": "POST seulement",
    "notifications:tout_lire": "POST seulement",
    "comptes:desactiver": "POST seulement",
    "comptes:reactiver": "POST seulement",
    "comptes:reinviter": "POST seulement",
    "comptes:session": "temps de session restant, JSON",
    "comptes:reprise": "reprise d'une saisie gardée : redirection quand rien n'est gardé",
}
HORS_PAGES |= {
    f"creation:{nom}": "parcours de création, vérifié par tests/e2e/test_creation.py"
    for nom in ("accueil", "parties", "contrat", "axes", "annexe", "suite")
}
# Pages vérifiées sans connexion seulement (test_aucune_violation_grave_sans_connexion).
SANS_CONNEXION = {"password_reset", "password_reset_done", "password_reset_confirm", "password_reset_complete"}
# Pages dont la mise en page change à 375 px : vérifiées aussi à cette largeur.
PAGES_ETROITES = {
    "accueil",
    "login",
    "accessibilite",
    "pilotage:liste",
    "pilotage:contrat",
    "pilotage:historique",
    "coherence:constats",
    "indicateurs:grille",
    "finances:budget_annee",
    "finances:execution",
    "rapports:liste",
}


@dataclass(frozen=True)
class Page:
    nom: str  # nom d'URL
    url: str


def pages_du_contrat(contrat: Contrat, *, variantes_du_budget: bool):
    """Les pages d'un contrat (pour le CLS, la grille de chacune de ses années, une à chaque statut) ;
    `variantes_du_budget` : aussi la page du contrat avec le budget à une date et tel que signé."""
    slug = contrat.slug
    action = contrat.actions.order_by("ordre").first()
    indicateur = next(i for a in contrat.actions.order_by("ordre") for i in a.indicateurs.all())
    yield Page("pilotage:contrat", reverse("pilotage:contrat", args=[slug]))
    if variantes_du_budget:
        yield Page("pilotage:contrat", reverse("pilotage:contrat", args=[slug]) + f"?au={contrat.annee_debut}-06-30")
        yield Page("pilotage:contrat", reverse("pilotage:contrat", args=[slug]) + "?version=initiale")
    yield Page("pilotage:action", reverse("pilotage:action", args=[slug, action.numero]))
    yield Page("pilotage:historique", reverse("pilotage:historique", args=[slug]))
    yield Page("coherence:constats", reverse("coherence:constats", args=[slug]))
    annees = STATUTS_DES_ANNEES if slug == CLS else [contrat.annee_debut]
    for annee in annees:
        yield Page("indicateurs:grille", reverse("indicateurs:grille", args=[slug, annee]))
    yield Page("indicateurs:detail", reverse("indicateurs:detail", args=[slug, indicateur.pk]))
    yield Page("indicateurs:rattachement", reverse("indicateurs:rattachement", args=[slug]))
    yield Page("finances:budget_annee", reverse("finances:budget_annee", args=[slug, contrat.annee_debut]))
    yield Page("finances:avenant_creer", reverse("finances:avenant_creer", args=[slug]))
    yield Page("finances:execution", reverse("finances:execution", args=[slug]))
    yield Page("finances:execution_grille", reverse("finances:execution_grille", args=[slug, contrat.annee_debut]))
    yield Page("finances:versements", reverse("finances:versements", args=[slug]))
    yield Page("finances:import", reverse("finances:import", args=[slug]))
    yield Page("rapports:liste", reverse("rapports:liste", args=[slug]))
    yield Page("documents:liste", reverse("documents:liste", args=[slug]))
    yield Page("evaluation:synthese", reverse("evaluation:synthese", args=[slug]))
    yield Page("evaluation:action", reverse("evaluation:action", args=[slug, action.numero]))
    for cle in cles_du_contrat(contrat):
        if cle.annee in (None, contrat.annee_debut):  # une année suffit : même gabarit
            yield Page("rapports:apercu", reverse("rapports:apercu", args=[slug, str(cle)]))
            if cle.est_deliberation:
                yield Page("rapports:vote", reverse("rapports:vote", args=[slug, str(cle)]))


def pages_du_compte(identifiant: str):
    yield Page("accueil", reverse("accueil"))
    yield Page("pilotage:liste", reverse("pilotage:liste"))
    yield Page("accessibilite", reverse("accessibilite"))
    yield Page("404", "/contrats/contrat-inexistant/")
    yield Page("notifications:boite", reverse("notifications:boite"))
    yield Page("mentions_legales", reverse("mentions_legales"))
    yield Page("donnees_personnelles", reverse("donnees_personnelles"))
    yield Page("password_change", reverse("password_change"))
    yield Page("password_change_done", reverse("password_change_done"))
    admin = identifiant == "admin"
    if identifiant in LOTS:
        yield Page("lots:liste", reverse("lots:liste"))
    if admin:
        yield Page("comptes:liste", reverse("comptes:liste"))
        yield Page("comptes:inviter", reverse("comptes:inviter"))
    for slug in CONTRATS if admin else (CLS,):
        yield from pages_du_contrat(Contrat.objects.get(slug=slug), variantes_du_budget=admin)
    if admin:
        yield from pages_nationales()


def pages_nationales():
    """La vue nationale, le référentiel avec un indicateur national et ses formulaires."""
    # Les tests de navigateur vident la base entre deux tests, piliers de la migration de données compris.
    pilier = Pilier.objects.get_or_create(
        numero=3,
        defaults={"intitule": "Accès aux droits (test)", "action_304": "23", "sous_action_304": "25",
                  "libelle_sous_action": "Pilier 3 (test)", "source": "Test d'accessibilité"},
    )[0]  # fmt: skip
    indicateur = IndicateurNational.objects.get_or_create(
        pilier=pilier, libelle="Personnes accompagnées vers leurs droits (test)",
        defaults={"source": "Test d'accessibilité"},
    )[0]  # fmt: skip
    yield Page("national:tableau", reverse("national:tableau"))
    yield Page("national:referentiel", reverse("national:referentiel"))
    yield Page("national:indicateur", reverse("national:indicateur", args=[indicateur.pk]))
    yield Page("national:indicateur_creer", reverse("national:indicateur_creer"))
    yield Page("national:indicateur_modifier", reverse("national:indicateur_modifier", args=[indicateur.pk]))


# --- axe-core ------------------------------------------------------------------------------------------------------


def injecter_axe(page) -> None:
    """axe-core dans la page affichée, depuis node_modules. Évalué par le protocole du navigateur et non inséré en
    <script> : la politique de sécurité des contenus (aucun script en ligne) ne vise pas l'outil de test."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))


def analyser(page, description: str) -> list[str]:
    """Lance axe-core sur la page affichée ; les violations refusées, une par règle : impact, aide, nombre
    d'éléments en cause, leurs sélecteurs (les dix premiers) et ce qui ne va pas pour le premier."""
    injecter_axe(page)
    resultat = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    lignes = []
    for violation in resultat["violations"]:
        if violation["impact"] not in IMPACTS_REFUSES:
            continue
        noeuds = violation["nodes"]
        cibles = [" ".join(" ".join(c) if isinstance(c, list) else c for c in n["target"]) for n in noeuds]
        resume = " ".join(noeuds[0].get("failureSummary", "").split())
        lignes.append(
            f"{description} — {violation['id']} ({violation['impact']}), {len(noeuds)} élément(s) : "
            f"{violation['help']}\n    {' | '.join(cibles[:10])}{' …' if len(cibles) > 10 else ''}\n    {resume}"
        )
    return lignes


def parcourir(page, pages) -> tuple[list[str], int]:
    """Chaque page à 1366 px puis, si sa mise en page change, à 375 px ; une seule page d'erreur par code de
    réponse (le même gabarit). Renvoie les violations et le nombre de rendus vérifiés."""
    violations, rendus, erreurs_vues = [], 0, set()
    for p in pages:
        page.set_viewport_size(LARGE)
        reponse = page.goto(p.url)
        statut = reponse.status if reponse else 0
        assert statut != 500, p.url
        if statut != 200:
            if statut in erreurs_vues:
                continue
            erreurs_vues.add(statut)
        violations += analyser(page, f"{p.url} [{statut}, 1366 px]")
        rendus += 1
        if p.nom in PAGES_ETROITES:
            page.set_viewport_size(ETROIT)
            violations += analyser(page, f"{p.url} [{statut}, 375 px]")
            rendus += 1
    return violations, rendus


def echouer_si(violations: list[str], compte: str, rendus: int) -> None:
    assert rendus > 0
    if violations:
        pytest.fail(
            f"axe-core {VERSION_AXE}, compte {compte}, {rendus} rendus : {len(violations)} violation(s) sérieuse(s) "
            "ou critique(s), une par page et par règle\n" + "\n".join(violations),
            pytrace=False,
        )


@pytest.fixture
def annees_a_chaque_statut(preparer, indicateurs_cls):
    for annee, transitions in STATUTS_DES_ANNEES.items():
        preparer(annee, {indicateurs_cls[0]: 87}, *transitions)


def parcourir_import(page) -> tuple[list[str], int]:
    """Les deux pages que rend l'envoi d'un classeur : l'aperçu (le modèle du contrat, renvoyé tel quel) et le
    formulaire avec son erreur (un fichier qui n'est pas un classeur)."""
    url = reverse("finances:import", args=[CLS])
    modele = page.request.get(reverse("finances:modele", args=[CLS])).body()
    violations = []
    for nom, contenu in (("modele.xlsx", modele), ("notes.xlsx", b"pas un classeur")):
        page.set_viewport_size(LARGE)
        page.goto(url)
        page.locator("input[name=type]").first.check()
        page.set_input_files("input[type=file]", files=[{"name": nom, "mimeType": "application/octet-stream",
                                                         "buffer": contenu}])  # fmt: skip
        page.get_by_role("button", name="Vérifier le fichier").click()
        page.wait_for_load_state()
        violations += analyser(page, f"{url} (envoi de {nom}) [1366 px]")
    return violations, 2


@pytest.mark.parametrize("compte", COMPTES)
def test_aucune_violation_grave_pour_chaque_compte(compte, ouvrir, annees_a_chaque_statut):
    page = ouvrir(compte)
    violations, rendus = parcourir(page, list(pages_du_compte(compte)))
    if compte in IMPORTEURS:
        violations_import, rendus_import = parcourir_import(page)
        violations, rendus = violations + violations_import, rendus + rendus_import
    echouer_si(violations, compte, rendus)


def test_aucune_violation_grave_sans_connexion(navigateur, live_server):
    contexte = navigateur.new_context(base_url=live_server.url, locale="fr-FR", timezone_id="Europe/Paris")
    try:
        page = contexte.new_page()
        pages = [
            Page("login", reverse("login")),
            Page("accessibilite", reverse("accessibilite")),
            Page("404", "/page-inexistante/"),
            Page("mentions_legales", reverse("mentions_legales")),
            Page("password_reset", reverse("password_reset")),
            Page("password_reset_done", reverse("password_reset_done")),
            Page("password_reset_confirm", reverse("password_reset_confirm", args=["MQ", "jeton-invalide"])),
            Page("password_reset_complete", reverse("password_reset_complete")),
        ]
        violations, rendus = parcourir(page, pages)
        # La page de connexion avec une erreur de saisie.
        page.goto(reverse("login"))
        page.fill("#id_username", "personne")
        page.fill("#id_password", "mauvais mot de passe")
        page.get_by_role("button", name="Se connecter").click()
        page.wait_for_selector(".alert, .invalid-feedback, .errorlist")
        violations += analyser(page, f"{reverse('login')} (erreur de connexion) [1366 px]")
        # Les pages d'erreur (400, 403, refus CSRF, 404, 405, 500, 503…) : certaines ne sont servies qu'en production
        # ou sur une panne ; chaque gabarit est rendu pour un visiteur anonyme et affiché sous l'adresse du site (ses
        # feuilles de style se chargent).
        requete = RequestFactory().get("/")
        requete.user = AnonymousUser()
        gabarits = sorted(p.name for p in (Path(settings.BASE_DIR) / "templates").glob("[0-9][0-9][0-9]*.html"))
        assert "500.html" in gabarits and "404.html" in gabarits
        for gabarit in gabarits:
            page.goto(reverse("accessibilite"))
            page.set_content(render_to_string(gabarit, request=requete))
            violations += analyser(page, f"{gabarit} [1366 px]")
        # La déclaration dit quelle version d'axe-core les tests emploient : celle de package.json.
        page.goto(reverse("accessibilite"))
        injecter_axe(page)
        assert page.evaluate("() => axe.version") == VERSION_AXE
        assert f"axe-core {VERSION_AXE}" in page.inner_text("main")
        echouer_si(violations, "anonyme", rendus + 1 + len(gabarits))
    finally:
        contexte.close()


def test_chaque_adresse_est_classee():
    """Toute adresse nommée du projet (hors administration) est soit vérifiée par ce module, soit écartée avec sa
    raison : une page ajoutée sans l'un ou l'autre fait échouer ce test."""
    noms = set()

    def lire(motifs, espace=""):
        for motif in motifs:
            if hasattr(motif, "url_patterns"):
                if motif.namespace != "admin":
                    lire(motif.url_patterns, f"{motif.namespace}:" if motif.namespace else espace)
            elif motif.name:
                noms.add(espace + motif.name)

    lire(get_resolver().url_patterns)
    verifiees = {p.nom for compte in COMPTES for p in pages_du_compte(compte)} | {"login"} | SANS_CONNEXION
    assert noms - set(HORS_PAGES) == verifiees - {"404"}


# --- Petit écran et clavier ----------------------------------------------------------------------------------------


def contraste(premier: str, second: str) -> float:
    """Rapport de contraste WCAG de deux couleurs « rgb(r, g, b) » (opaques)."""

    def luminance(couleur):
        composantes = [int(float(x)) / 255 for x in couleur[couleur.index("(") + 1 : -1].split(",")[:3]]
        r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in composantes)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    clair, sombre = sorted((luminance(premier), luminance(second)), reverse=True)
    return (clair + 0.05) / (sombre + 0.05)


# L'anneau de l'élément qui a le focus et le fond sur lequel il est dessiné : l'anneau est hors de l'élément (décalé
# de 2 px), sur le premier fond opaque de ses ancêtres.
FOCUS_JS = """() => {
  const el = document.activeElement, style = getComputedStyle(el);
  let fond = null;
  for (let n = el.parentElement; n && !fond; n = n.parentElement) {
    const c = getComputedStyle(n).backgroundColor;
    if (c.startsWith('rgb(')) fond = c;
  }
  // Focus dans l'arbre interne d'un champ (bouton du calendrier d'un champ date) : le navigateur le dessine.
  if (!el.matches(':focus')) return null;
  return {texte: (el.innerText || el.value || el.name || el.tagName).trim().slice(0, 40), style: style.outlineStyle,
          largeur: parseFloat(style.outlineWidth), couleur: style.outlineColor, fond: fond || 'rgb(255, 255, 255)'};
}"""


def test_focus_visible_et_contraste_au_clavier(ouvrir):
    """Chaque élément atteint à la tabulation (menu, fil d'Ariane, boutons, champs, liens du contenu) montre un anneau
    d'au moins 2 px dont le contraste avec le fond atteint 3:1 (WCAG 2.4.7 et 1.4.11)."""
    page = ouvrir("finances")
    page.set_viewport_size(LARGE)
    page.goto(reverse("pilotage:contrat", args=[CLS]))
    page.bring_to_front()  # une page sans le focus du système ne fait pas correspondre :focus à tous les champs
    vus, tabulations = [], 0
    while "Afficher" not in vus:  # jusqu'au bouton du formulaire du tableau budgétaire, après son champ de date
        page.keyboard.press("Tab")
        tabulations += 1
        assert tabulations < 80, vus
        focus = page.evaluate(FOCUS_JS)
        if focus is None:
            continue
        vus.append(focus["texte"])
        assert focus["style"] != "none" and focus["largeur"] >= 2, focus
        assert contraste(focus["couleur"], focus["fond"]) >= 3, focus
    assert {"Aller au contenu", "Contrôles de cohérence", "Parties"} <= set(vus), vus
    assert any(v.startswith("Compte :") for v in vus), vus  # le bouton du compte (nom de la personne)

    # La liste déroulante du compte, au clavier : Entrée l'ouvre, les flèches parcourent ses liens, l'anneau reste
    # visible sur son fond clair.
    page.goto(reverse("pilotage:contrat", args=[CLS]))
    compte = page.get_by_role("button", name=re.compile("^Compte :"))
    compte.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()
    dans_la_liste = []
    for _ in range(2):
        page.keyboard.press("ArrowDown")
        focus = page.evaluate(FOCUS_JS)
        dans_la_liste.append(focus["texte"])
        assert focus["style"] != "none" and focus["largeur"] >= 2, focus
        assert contraste(focus["couleur"], focus["fond"]) >= 3, focus
    assert dans_la_liste == ["Mot de passe", "Se déconnecter"], dans_la_liste
    page.keyboard.press("Escape")
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_hidden()


def test_menu_replie_a_375_px(ouvrir):
    page = ouvrir("metropole")
    page.set_viewport_size(ETROIT)
    page.goto(reverse("pilotage:liste"))
    menu, bouton = page.locator("#menu-principal"), page.get_by_role("button", name="Menu")
    expect(menu).to_be_hidden()
    assert page.locator("nav.navbar").bounding_box()["height"] < 80  # une ligne : la marque et le bouton
    expect(bouton).to_have_attribute("aria-expanded", "false")
    bouton.click()
    expect(menu).to_be_visible()
    expect(bouton).to_have_attribute("aria-expanded", "true")
    expect(menu.get_by_role("link", name="Contrats")).to_be_visible()
    expect(menu).to_have_class(re.compile(r"\bshow\b"))  # déploiement terminé (la transition « collapsing » finie)
    compte = menu.get_by_role("button", name=re.compile("^Compte :"))
    compte.click()
    expect(compte).to_have_attribute("aria-expanded", "true")
    expect(menu.get_by_role("button", name="Se déconnecter")).to_be_visible()
    page.set_viewport_size(LARGE)  # dès 1 200 px, le menu est déplié et le bouton masqué
    page.goto(reverse("pilotage:liste"))
    expect(menu).to_be_visible()
    expect(bouton).to_be_hidden()


def test_menu_deplie_sans_javascript(navigateur, live_server):
    """Sans JavaScript, le bouton ne servirait à rien : le menu reste déplié à 375 px, le bouton est masqué."""
    contexte = navigateur.new_context(base_url=live_server.url, java_script_enabled=False, viewport=ETROIT)
    try:
        page = contexte.new_page()
        page.goto(reverse("login"))
        page.fill("#id_username", "metropole")
        page.fill("#id_password", MOT_DE_PASSE_DEMO)
        page.get_by_role("button", name="Se connecter").click()
        page.wait_for_url(lambda url: "/connexion/" not in url)
        expect(page.locator("#menu-principal")).to_be_visible()
        expect(page.locator("#menu-principal").get_by_role("link", name="Contrats")).to_be_visible()
        expect(page.locator(".navbar-toggler")).to_be_hidden()
    finally:
        contexte.close()
