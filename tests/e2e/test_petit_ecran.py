"""À 375 px, aucune page ne défile de côté : les tableaux larges défilent dans leur cadre (`.table-responsive`), les
grilles de saisie des montants passent en cartes. Chaque page est ouverte une fois (un `goto`), pour chaque compte
qui la voit, sur le CLS de Dijon et sur le contrat fictif de Valcourt ; un échec nomme toutes les pages trop larges
et, pour chacune, les éléments qui dépassent de l'écran hors de tout cadre défilant."""

import pytest
from django.urls import reverse

from contrats.models import Contrat
from indicateurs.models import Indicateur
from pilotage.demo_fictive import demo_fictive_charger
from rapports.cles import CleRapport, TypeRapport
from tests.e2e.conftest import CLS

pytestmark = pytest.mark.e2e

ETROIT = {"width": 375, "height": 812}
VALCOURT = "valcourt-cls-2024-2027"

# La largeur du document, et les éléments qui dépassent à droite sans être dans un cadre qui défile (les trois
# premiers, du plus large au moins large) : ce qu'il faut regarder quand la page défile de côté.
MESURER_JS = """() => {
  const largeur = innerWidth, depassent = [];
  for (const e of document.querySelectorAll('body *')) {
    const boite = e.getBoundingClientRect();
    if (boite.width === 0 || boite.right <= largeur + 1) continue;
    let cadre = false;
    for (let a = e.parentElement; a && !cadre; a = a.parentElement) {
      cadre = getComputedStyle(a).overflowX !== 'visible';
    }
    if (!cadre) depassent.push([Math.round(boite.right), e.tagName.toLowerCase() + (e.className ? '.' +
      String(e.className).trim().split(/\\s+/).join('.') : '')]);
  }
  depassent.sort((a, b) => b[0] - a[0]);
  return {largeur: document.documentElement.scrollWidth, depassent: depassent.slice(0, 3)};
}"""


def pages_des_comptes(contrat: Contrat, prefixe: str) -> dict[str, list[str]]:
    """Les pages à vérifier, par compte (`prefixe` : « valcourt- » pour les comptes du contrat fictif)."""
    slug = contrat.slug
    indicateurs = list(Indicateur.objects.du_contrat(contrat).prefetch_related("cibles"))
    # Le premier indicateur, et le premier dont une cible est encore « nd » (formulaire « Fixer la cible »).
    avec_nd = next((i for i in indicateurs if any(c.nd for c in i.cibles.all())), indicateurs[0])
    annuel = CleRapport(TypeRapport.ANNUEL, contrat.annee_debut + 1)
    communes = [reverse("accueil"), reverse("pilotage:contrat", args=[slug])]
    return {
        f"{prefixe}metropole": communes
        + [
            reverse("pilotage:liste"),
            reverse("pilotage:action", args=[slug, 1]),
            reverse("indicateurs:grille", args=[slug, contrat.annee_debut + 1]),
            reverse("evaluation:synthese", args=[slug]),
            reverse("pilotage:historique", args=[slug]),
            reverse("indicateurs:detail", args=[slug, indicateurs[0].pk]),
            reverse("indicateurs:detail", args=[slug, avec_nd.pk]),
        ],
        f"{prefixe}finances": communes
        + [
            reverse("finances:execution_grille", args=[slug, contrat.annee_debut + 1]),
            reverse("finances:versements", args=[slug]),
            reverse("finances:avenant_creer", args=[slug]),
            reverse("finances:budget_annee", args=[slug, contrat.annee_debut + 1]),
        ],
        f"{prefixe}secretariat": communes
        + [
            reverse("rapports:liste", args=[slug]),
            reverse("rapports:apercu", args=[slug, str(CleRapport(TypeRapport.MI_PARCOURS))]),
            reverse("rapports:apercu", args=[slug, str(annuel)]),
        ],
    }


def trop_larges(ouvrir, pages_par_compte: dict[str, list[str]]) -> list[str]:
    erreurs = []
    for compte, urls in pages_par_compte.items():
        page = ouvrir(compte)
        page.set_viewport_size(ETROIT)
        for url in urls:
            reponse = page.goto(url)
            assert reponse and reponse.status == 200, (compte, url, reponse and reponse.status)
            mesure = page.evaluate(MESURER_JS)
            if mesure["largeur"] > ETROIT["width"]:
                erreurs.append(f"{compte} {url} : {mesure['largeur']} px ; dépassent : {mesure['depassent']}")
    return erreurs


@pytest.mark.parametrize("slug, prefixe", [(CLS, ""), (VALCOURT, "valcourt-")])
def test_aucune_page_ne_defile_de_cote_a_375_px(ouvrir, slug, prefixe):
    if slug == VALCOURT:
        demo_fictive_charger()
    pages = pages_des_comptes(Contrat.objects.get(slug=slug), prefixe)
    erreurs = trop_larges(ouvrir, pages)
    assert not erreurs, f"{len(erreurs)} page(s) plus large(s) que 375 px :\n" + "\n".join(erreurs)


def test_la_saisie_de_l_execution_tient_dans_l_ecran_a_375_px(ouvrir):
    """La grille d'exécution passe en cartes : les champs d'une ligne (engagé, réalisé, justification) sont à
    l'écran, sans défilement horizontal, et chacun est précédé de son intitulé."""
    page = ouvrir("finances")
    page.set_viewport_size(ETROIT)
    page.goto(reverse("finances:execution_grille", args=[CLS, 2025]))
    ligne = page.locator("tr[data-prevu]").first
    # Les bords gauche et droit de chaque champ, sans rien faire défiler (ni la page ni le cadre du tableau).
    bords = ligne.locator("input:not([type=hidden])").evaluate_all(
        "champs => champs.map(c => [c.getBoundingClientRect().left, c.getBoundingClientRect().right])"
    )
    assert len(bords) == 3 and all(0 <= gauche and droite <= ETROIT["width"] for gauche, droite in bords), bords
    intitules = ligne.locator("td[data-label]").evaluate_all(
        "cellules => cellules.map(c => getComputedStyle(c, '::before').content)"
    )
    assert intitules[:3] == ['"Financeur : "', '"Prévu (en vigueur) : "', '"Engagé : "'], intitules
