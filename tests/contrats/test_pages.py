"""Les pages du contrat : ce qu'un utilisateur voit, ce qu'il ne voit pas, et en combien de requêtes."""

import pytest
from django.urls import reverse

from comptes.enums import Role
from contrats.models import Contrat
from tests.conftest import CALPAE, CLS, CONTRAT_DE_VILLE
from tests.contrats.factories import OrganisationFactory, ProfilFactory
from tests.outils import page as texte

SLUGS = [CLS, CALPAE, CONTRAT_DE_VILLE]


def urls_du_contrat(slug):
    contrat = Contrat.objects.get(slug=slug)
    action = contrat.actions.order_by("ordre").first()
    return [
        reverse("pilotage:contrat", args=[slug]),
        reverse("coherence:constats", args=[slug]),
        reverse("pilotage:action", args=[slug, action.numero]),
        reverse("finances:budget_annee", args=[slug, contrat.annee_debut]),
    ]


def test_anonyme_renvoye_vers_la_connexion(client):
    for url in [reverse("pilotage:liste"), *urls_du_contrat(CLS)]:
        reponse = client.get(url)
        assert reponse.status_code == 302 and reponse.url.startswith(reverse("login"))


@pytest.mark.parametrize("slug", SLUGS)
def test_autre_territoire_ne_voit_rien_de_dijon(connecte, slug):
    client = connecte("autre-territoire")
    for url in urls_du_contrat(slug):
        assert client.get(url).status_code == 404, url
    liste = texte(client.get(reverse("pilotage:liste")))
    assert "Dijon" not in liste and "Aucun élément" in liste


@pytest.mark.parametrize("identifiant", ["ddets", "metropole", "finances", "secretariat", "admin"])
def test_les_parties_voient_les_trois_contrats(connecte, identifiant):
    client = connecte(identifiant)
    liste = texte(client.get(reverse("pilotage:liste")))
    for titre in ("Contrat local des solidarités 2024-2027", "lutte contre la pauvreté"):
        assert titre in liste
    for slug in SLUGS:
        assert client.get(reverse("pilotage:contrat", args=[slug])).status_code == 200


def test_ddets_d_un_autre_departement_ne_voit_pas_dijon(client):
    profil = ProfilFactory(organisation=OrganisationFactory(ddets=True, departement="25"), role=Role.AGENT_ETAT)
    client.force_login(profil.user)
    assert client.get(reverse("pilotage:contrat", args=[CLS])).status_code == 404


def test_un_partenaire_ne_voit_que_le_contrat_qu_il_a_signe(client):
    """Un bailleur signataire du protocole de contrat de ville ne voit ni le CLS ni la CALPAE."""
    cdv = Contrat.objects.get(slug=CONTRAT_DE_VILLE)
    partenaire = cdv.signataires.filter(role="partenaire").first().organisation
    profil = ProfilFactory(organisation=partenaire, role=Role.LECTEUR)
    client.force_login(profil.user)
    assert client.get(reverse("pilotage:contrat", args=[CONTRAT_DE_VILLE])).status_code == 200
    assert client.get(reverse("pilotage:contrat", args=[CLS])).status_code == 404


def test_page_du_cls_montre_le_contrat_tel_que_signe(connecte):
    page = texte(connecte("metropole").get(reverse("pilotage:contrat", args=[CLS])))
    assert "Tableau budgétaire" in page and "Tableau des actions et suivi de leurs indicateurs" in page
    for montant in ("665 000 €", "332 500 €", "700 000 €", "350 000 €", "147 500 €"):
        assert montant in page
    assert "0304 50 23 25 02" in page
    assert "Franck ROBINE" in page and "François REBSAMEN" in page
    # nd affiché comme tel, distinct de 0
    assert page.count(">nd<") >= 13
    assert "Séance du 28 mars 2024".lower() in page.lower()


def test_filtre_et_tri_de_la_liste(connecte):
    client = connecte("metropole")
    page = texte(client.get(reverse("pilotage:liste"), {"type": "calpae"}))
    assert "Convention d" in page and "Contrat local des solidarités 2024-2027" not in page
    page = texte(client.get(reverse("pilotage:liste"), {"annee": "2025"}))
    assert "Contrat local des solidarités 2024-2027" in page and "2019-2022" not in page
    assert client.get(reverse("pilotage:liste"), {"sort": "budget_total"}).status_code == 200
    reponse = client.get(reverse("pilotage:liste"), {"annee": "abc"})
    assert reponse.status_code == 200 and "Saisissez un nombre" in texte(reponse)


def test_fiche_action_2_montre_ses_textes(connecte):
    page = texte(connecte("ddets").get(reverse("pilotage:action", args=[CLS, "2"])))
    assert "Développer des actions de remobilisation" in page
    assert "16 – 29 ans" in page and "Nombre de jeunes de plus de 15 ans accompagnés" in page
    assert "moins de 15 ans" in page  # le texte de la fiche, tel que signé
    assert connecte("ddets").get(reverse("pilotage:action", args=[CLS, "99"])).status_code == 404


def test_coherence_signale_les_coquilles_du_cls(connecte):
    page = texte(connecte("ddets").get(reverse("coherence:constats", args=[CLS])))
    assert "moins de 15 ans" in page and "plus de 15 ans" in page and "16 – 29 ans" in page
    assert "Axe 3 : amplifier la politique" in page and "le tableau du contrat dans l'axe 2" in page
    assert "toujours « nd »" in page


def test_budget_reserve_aux_financiers(connecte):
    url = reverse("finances:budget_annee", args=[CLS, 2025])
    assert connecte("metropole").get(url).status_code == 403
    assert connecte("finances").get(url).status_code == 200


def test_annee_hors_contrat_dans_l_url(connecte):
    reponse = connecte("finances").get(reverse("finances:budget_annee", args=[CLS, 2031]))
    assert reponse.status_code == 404


def test_budget_a_une_date_et_budget_initial(connecte):
    client = connecte("finances")
    url = reverse("pilotage:contrat", args=[CLS])
    page = texte(client.get(url, {"au": "2025-13-45"}))
    assert "« 2025-13-45 » n'est pas une date (format attendu : AAAA-MM-JJ) : montants du jour." in page
    assert "665 000 €" in page
    page = texte(client.get(url, {"version": "initiale"}))
    assert (
        "Budget initial (contrat signé)</strong>" in page and "provisoire" not in page.split("Tableau budgétaire")[1]
    )
