"""Le rapport à mi-parcours, le rapport annuel et le projet de délibération, lus dans le PDF produit (pypdf)."""

import re
from io import BytesIO

import pytest
from django.urls import reverse
from pypdf import PdfReader

from actions.models import Action
from commun.formats import nombre
from contrats.models import Contrat
from indicateurs.models import Indicateur
from rapports.pdf import BASE_URL, FetcherStatiques, RessourceRefusee
from tests.conftest import CALPAE, CLS, CONTRAT_DE_VILLE
from tests.outils import indicateur, normaliser, saisir, texte_pdf

RECIT_2024 = "458 jeunes accompagnés par l'équipe de prévention spécialisée renforcée en 2024."
IMPACT_2024 = "Des retours en formation pour une vingtaine de jeunes décrocheurs."
RECIT_2025 = "Trois cycles de remobilisation ont réuni 212 participations en 2025."


@pytest.fixture
def cls():
    return Contrat.objects.get(slug=CLS)


@pytest.fixture
def saisies(cls):
    """Quelques valeurs et récits 2024 et 2025, saisis comme la grille le fait (service de saisie)."""
    a1, a3 = (Action.objects.get(contrat=cls, numero=n) for n in ("1", "3"))
    saisir(
        cls,
        2024,
        {indicateur(cls, "1"): ("462", "Hausse liée au nouveau quartier"), indicateur(cls, "5", 0): ("317", "")},
        {a1: {"resultats": RECIT_2024, "impact_social": IMPACT_2024}},
    )
    saisir(
        cls,
        2025,
        {indicateur(cls, "1"): ("455", ""), indicateur(cls, "3"): ("212", "")},
        {a3: {"resultats": RECIT_2025}},
    )


def test_rapport_a_mi_parcours_contient_actions_budget_indicateurs_et_saisies(connecte, cls, saisies):
    reponse = connecte("ddets").get(reverse("rapports:pdf", args=[CLS, "mi-parcours"]))
    assert reponse.status_code == 200 and reponse["Content-Type"] == "application/pdf"
    assert 'filename="dijon-cls-2024-2027-rapport-mi-parcours-2024-2025.pdf"' in reponse["Content-Disposition"]
    texte = texte_pdf(reponse.content)

    assert "Rapport d'exécution à mi-parcours 2024-2025" in texte
    assert "Période du 1er janvier 2024 au 31 décembre 2025" in texte
    assert "Franck ROBINE" in texte and "François REBSAMEN" in texte  # parties et représentants
    assert "Sommaire" in texte and "page 1 / " in texte
    for action in Action.objects.filter(contrat=cls):
        assert normaliser(action.intitule) in texte, action.numero
    # Totaux du tableau budgétaire en vigueur, à la française (espaces fines normalisées).
    assert "TOTAL 2024 332 500 € 332 500 € 665 000 €" in texte
    assert "TOTAL 2025 (État prévisionnel) 350 000 € 350 000 € 700 000 €" in texte
    assert "1 365 000 €" in texte  # la période
    # Chaque indicateur, dans la matrice en annexe : T0, cibles de la période, valeurs, puis cibles suivantes.
    matrice = texte[texte.index("Un tableau par action ; les cibles des années suivantes") :]
    for rang, i in enumerate(Indicateur.objects.du_contrat(cls)):
        cibles = {c.annee: ("nd" if c.nd else nombre(c.valeur)) for c in i.cibles.all()}
        t0 = "nd" if i.t0 is None else nombre(i.t0)
        ligne = re.search(re.escape(normaliser(i.libelle)) + r" (.{0,160})", matrice)
        assert ligne, i.libelle
        suite = ligne.group(1)
        # Aucune unité n'est écrite dans le document : « non précisée », jamais devinée d'après le libellé.
        assert suite.startswith(f"{i.unite or 'non précisée'} {t0} {cibles[2024]} "), (rang, suite)
        assert f"{cibles[2025]} " in suite and f"2026 : {cibles[2026]} 2027 : {cibles[2027]}" in suite, (rang, suite)
    assert "4.a Nombre de personnes en recherche" in matrice and " nd nd " in matrice
    # Les valeurs saisies et leur taux d'atteinte : 462 / 450, 455 / 460, 317 / 300, 212 / 250.
    assert "non précisée 420 450 462 102,7 % 460 455 98,9 %" in matrice
    assert "317 105,7 %" in matrice and "212 84,8 %" in matrice
    assert "450 → 462 (102,7 %)" in texte  # la section de l'action : T0 → cible → valeur
    # Les récits par action et par année.
    assert RECIT_2024 in texte and IMPACT_2024 in texte and RECIT_2025 in texte
    assert "Hausse liée au nouveau quartier" in texte
    # Bilan global, année par année : 2024, 462 ≥ 450 et 317 ≥ 300 ; 2025, 455 < 460 et 212 < 250.
    assert "En 2024 : 2 cibles atteintes sur 2 mesurables, 9 non mesurables" in texte
    assert "En 2025 : 0 cible atteinte sur 2 mesurables, 9 non mesurables" in texte
    assert "4 valeurs renseignées sur 22 attendues" in texte
    assert "Annexe 1 – Exécution budgétaire des crédits contractualisés" in texte
    assert "Exécution 2024" in texte and "Exécution 2025" in texte
    assert "Indicateurs nationaux" in texte


def test_pdf_metadonnees_langue_et_polices_embarquees(connecte):
    contenu = connecte("secretariat").get(reverse("rapports:pdf", args=[CLS, "annuel-2024"])).content
    lecteur = PdfReader(BytesIO(contenu))
    assert lecteur.metadata.title == "Rapport annuel d'avancement 2024 – Contrat local des solidarités 2024-2027"
    assert lecteur.metadata.author == "Dijon métropole"
    assert lecteur.trailer["/Root"]["/Lang"] == "fr"

    polices = {}

    def parcourir(ressources):
        ressources = ressources.get_object() if ressources else {}
        for police in (ressources.get("/Font") or {}).values():
            police = police.get_object()
            descendante = police["/DescendantFonts"][0].get_object() if "/DescendantFonts" in police else police
            descripteur = descendante["/FontDescriptor"].get_object()
            polices[str(police["/BaseFont"])] = {"/FontFile", "/FontFile2", "/FontFile3"} & set(descripteur)
        for objet in (ressources.get("/XObject") or {}).values():
            parcourir(objet.get_object().get("/Resources"))

    for page in lecteur.pages:
        parcourir(page.get("/Resources"))
    assert polices and any("DejaVu" in nom for nom in polices)
    assert all(fichiers & {"/FontFile2", "/FontFile3"} for fichiers in polices.values()), polices


def test_rapport_annuel_nomme_son_annee_et_refuse_une_annee_hors_contrat(connecte):
    client = connecte("metropole")
    texte = texte_pdf(client.get(reverse("rapports:pdf", args=[CLS, "annuel-2024"])).content)
    assert "Rapport annuel d'avancement 2024" in texte
    assert "Période du 1er janvier 2024 au 31 décembre 2024" in texte
    assert "TOTAL 2024 332 500 € 332 500 € 665 000 €" in texte and "Exécution 2025" not in texte
    for url in (
        reverse("rapports:pdf", args=[CLS, "annuel-2031"]),
        reverse("rapports:apercu", args=[CLS, "annuel-2023"]),
        reverse("rapports:pdf", args=[CLS, "deliberation-annuel-2028"]),
    ):
        reponse = client.get(url)
        # La page 404 ne répète jamais le message de l'exception (voir tests/production/test_erreurs.py).
        assert reponse.status_code == 404 and "Page introuvable" in reponse.content.decode()


def test_mi_parcours_introuvable_pour_un_contrat_de_moins_de_deux_ans(connecte):
    reponse = connecte("admin").get(reverse("rapports:pdf", args=[CALPAE, "mi-parcours"]))
    assert reponse.status_code == 404
    assert "Page introuvable" in reponse.content.decode()  # jamais le message de l'exception
    # Le contrat de ville (2019-2022) a sa mi-parcours : 2019-2020.
    texte = texte_pdf(connecte("admin").get(reverse("rapports:pdf", args=[CONTRAT_DE_VILLE, "mi-parcours"])).content)
    assert "2019-2020" in texte


def test_projet_de_deliberation_forme_du_registre(connecte):
    texte = texte_pdf(
        connecte("secretariat").get(reverse("rapports:pdf", args=[CLS, "deliberation-annuel-2024"])).content
    )
    assert "EXTRAIT DU REGISTRE DES DÉLIBÉRATIONS" in texte
    assert "du Conseil métropolitain de Dijon métropole" in texte
    assert "OBJET : DEVELOPPEMENT ECONOMIQUE, ATTRACTIVITE ET SOLIDARITES" in texte
    assert "Contrat local des solidarités 2024-2027 – Rapport annuel d'avancement 2024" in texte
    # Un exposé rédigé à partir des données : le contrat, ses actions, ses montants, ses indicateurs.
    assert "Par délibération du 28 mars 2024, le Conseil métropolitain a approuvé le Contrat local" in texte
    assert "Il compte 8 actions réparties en 4 axes" in texte
    assert "665 000 € en 2024" in texte and "dont 332 500 € apportés par l'État" in texte
    assert "suivi par 11 indicateurs" in texte
    assert "Le Conseil, après en avoir délibéré, décide :" in texte
    assert "d'approuver le rapport annuel d'avancement 2024 du Contrat local des solidarités 2024-2027" in texte
    assert "PROJET" in texte and "SCRUTIN : à compléter après le vote" in texte


def test_projet_de_deliberation_a_mi_parcours(connecte):
    texte = texte_pdf(connecte("admin").get(reverse("rapports:pdf", args=[CLS, "deliberation-mi-parcours"])).content)
    assert "d'approuver le rapport d'exécution à mi-parcours 2024-2025" in texte
    assert "au plus tard le 31 mars 2026" in texte
    assert "soit 1 365 000 € sur la période" in texte and "(332 500 € en 2024 et 350 000 € en 2025)" in texte


def test_url_fetcher_ne_sert_que_les_fichiers_statiques():
    fetcher = FetcherStatiques()
    reponse = fetcher.fetch(f"{BASE_URL}static/rapports/rapport.css")
    assert b"@page" in reponse.read() and reponse.content_type == "text/css"
    for adresse in (
        "https://example.org/logo.png",
        "http://127.0.0.1:8000/static/rapports/rapport.css",
        "file:///etc/passwd",
        f"{BASE_URL}static/../config/settings/base.py",
        f"{BASE_URL}static/rapports/absent.css",
        f"{BASE_URL}media/piece.pdf",
        "data:text/css,body{}",
    ):
        with pytest.raises(RessourceRefusee):
            fetcher.fetch(adresse)


def test_annexe_budgetaire_realise_par_financeur_et_versements(connecte, cls):
    """Le réalisé par financeur et les versements de l'État, lus dans les modèles de lecture des finances ; une
    année sans exécution ni versement le dit, sans 0 € ni 0 %."""
    from finances.enums import Financeur
    from finances.models import Execution
    from tests.finances.factories import VersementFactory

    a1 = Action.objects.get(contrat=cls, numero="1")
    Execution.objects.create(action=a1, annee=2024, financeur=Financeur.ETAT, engage=65000, realise=60000)
    Execution.objects.create(action=a1, annee=2024, financeur=Financeur.COLLECTIVITE, engage=65000, realise=50000)
    axe = a1.axe
    VersementFactory(contrat=cls, annee=2024, montant=85000, axe=axe, code_activite="0304 50 23 23 02")
    texte = texte_pdf(connecte("secretariat").get(reverse("rapports:pdf", args=[CLS, "annuel-2024"])).content)
    assert "Exécution 2024 par financeur" in texte
    # Seule l'action 1 est saisie : réalisé État 60 000 €, collectivité 50 000 € ; taux sur le seul prévu saisi.
    assert "État 332 500 € 65 000 € 60 000 € 92,3 %" in texte
    assert "Collectivité 332 500 € 65 000 € 50 000 € 76,9 %" in texte
    assert f"15/09/2024 85 000 € {axe.numero}. {normaliser(axe.intitule)} 0304 50 23 23 02" in texte
    assert "Exercice 2024 : dû par l'État (en vigueur) 332 500 € ; versé 85 000 € ; reste à verser 247 500 €." in texte

    texte = texte_pdf(connecte("secretariat").get(reverse("rapports:pdf", args=[CLS, "annuel-2025"])).content)
    assert "État 350 000 € non saisi non saisi non saisi" in texte
    assert "Aucun versement de l'État enregistré pour l'exercice 2025 (dû en vigueur : 350 000 €)." in texte
