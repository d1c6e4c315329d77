"""Des personnes, pas des identifiants : pages, historiques, classeurs et PDF nomment qui a fait quoi par son nom et
son organisation (« Claire Démo, DDETS de la Côte-d'Or »), jamais par son identifiant de connexion (« validé par
ddets »). Les comptes de démonstration portent des noms à l'évidence fictifs.

Les identifiants « admin » ou « finances » sont aussi des mots ordinaires : on cherche les formes où ils tiendraient
lieu de personne (« par ddets », « metropole · », une cellule ou une case de tableau qui ne contient que lui)."""

import re
from decimal import Decimal
from io import BytesIO

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from actions.models import Action
from coherence.selectors import suivi_des_constats
from coherence.services import constat_examiner
from comptes.services import COMPTES_DEMO, comptes_demo_creer
from contrats.models import Contrat
from finances.enums import Financeur
from finances.models import LigneBudgetaire
from finances.services import budget_annee_enregistrer
from indicateurs.services import suivi_changer_statut, suivi_obtenir
from tests.conftest import CLS
from tests.outils import indicateur, page, saisir, texte_pdf

# Ce qu'une personne lit, compte par compte.
PERSONNES = {
    "admin": "Adèle Prototype, Dijon métropole",
    "ddets": "Claire Démo, DDETS de la Côte-d'Or",
    "metropole": "Paul Exemple, Dijon métropole",
    "finances": "Fanny Factice, Dijon métropole",
    "secretariat": "Sacha Essai, Dijon métropole",
    "lecteur": "Léon Spécimen, Médiation Prévention Dijon Métropole",
    "autre-territoire": "Bruno Témoin, Grand Besançon Métropole",
    "admin-metropole": "Odile Maquette, Dijon métropole",
    "national": "Nadia Maquette, Administration centrale (DGCS / DIPLP)",
    "region": "Régis Simulé, Préfecture de la région Bourgogne-Franche-Comté",
}
IDENTIFIANTS = list(PERSONNES)
RECIT = "Quarante jeunes accompagnés vers une formation qualifiante."


def sans_identifiant(texte: str) -> None:
    """Aucun identifiant de démonstration à la place d'une personne : « par ddets », « metropole · » (barre de
    navigation), une case de tableau ou un paragraphe qui ne contient que lui (« <td>ddets</td> »)."""
    for identifiant in IDENTIFIANTS:
        nom = re.escape(identifiant)
        for motif in (rf"\bpar {nom}(?![\w-])", rf"(?<![\w-]){nom} ·", rf">\s*{nom}\s*<"):
            trouve = re.search(motif, texte)
            assert trouve is None, (
                f"« {identifiant} » nommé comme une personne : …{texte[trouve.start() - 60 : trouve.end() + 60]}…"
            )


def en_case(personne: str) -> str:
    """Une case de tableau qui ne contient que cette personne."""
    return rf"<td[^>]*>\s*{re.escape(personne)}\s*</td>"


def utilisateur(identifiant):
    return get_user_model().objects.get(username=identifiant)


@pytest.fixture
def cls():
    cache.clear()  # les fragments mis en cache d'un autre test (même version des données) ne comptent pas ici
    return Contrat.objects.get(slug=CLS)


@pytest.fixture
def faits(cls):
    """Ce que chaque compte a fait, par les services de l'application : « metropole » saisit et soumet 2024, « ddets »
    la valide, « finances » corrige le budget 2026, « admin » examine un constat de cohérence."""
    i1 = indicateur(cls, "1")
    a1 = Action.objects.get(contrat=cls, numero="1")
    saisir(cls, 2024, {i1: ("462", "Hausse liée au nouveau quartier")}, {a1: {"resultats": RECIT}},
           user=utilisateur("metropole"))  # fmt: skip
    suivi = suivi_obtenir(contrat=cls, annee=2024)
    suivi = suivi_changer_statut(user=utilisateur("metropole"), suivi=suivi, version=suivi.version,
                                 transition="soumettre")  # fmt: skip
    suivi_changer_statut(user=utilisateur("ddets"), suivi=suivi, version=suivi.version, transition="valider")

    lignes = LigneBudgetaire.objects.du_contrat(cls).initiales().filter(annee=2026).select_related("action")
    montants = {(ligne.action, 2026, ligne.financeur): ligne.montant for ligne in lignes}
    montants[(a1, 2026, Financeur.COLLECTIVITE)] += Decimal("5000")
    budget_annee_enregistrer(user=utilisateur("finances"), contrat=cls, annee=2026, montants=montants)

    constat = next(s.constat for s in suivi_des_constats(cls) if s.ouvert)
    constat_examiner(contrat=cls, cle=constat.cle, empreinte=constat.empreinte, user=utilisateur("admin"),
                     commentaire="Écart connu, expliqué en comité de pilotage.")  # fmt: skip
    return i1


def test_les_comptes_de_demonstration_portent_des_noms_fictifs_repris_a_chaque_make_demo():
    for identifiant, personne in PERSONNES.items():
        user = utilisateur(identifiant)
        assert f"{user.get_full_name()}, {user.profil.organisation}" == personne
    # Un compte créé avant que les comptes aient un nom le reçoit au prochain `make demo`, sans doublon.
    get_user_model().objects.filter(username__in=IDENTIFIANTS).update(first_name="", last_name="")
    nombre = get_user_model().objects.count()
    comptes_demo_creer()
    assert get_user_model().objects.count() == nombre
    assert {u.username: u.get_full_name() for u in get_user_model().objects.filter(username__in=IDENTIFIANTS)} == {
        identifiant: personne.split(",")[0] for identifiant, personne in PERSONNES.items()
    }
    assert set(COMPTES_DEMO) == set(PERSONNES)


@pytest.mark.parametrize("identifiant", IDENTIFIANTS)
def test_la_barre_de_navigation_nomme_la_personne_connectee(connecte, identifiant):
    texte = page(connecte(identifiant).get(reverse("accueil")))
    nom, organisation = PERSONNES[identifiant].split(", ", 1)
    # Le bouton du compte porte le nom ; sa liste déroulante, le rôle puis l'organisation.
    barre = texte[texte.index("<nav") : texte.index("</nav>")]
    assert re.search(rf"Compte : </span>{re.escape(nom)}</button>", barre)
    assert re.search(rf"dropdown-item-text[^>]*>[^<]+<br>{re.escape(organisation)}</span>", barre)
    sans_identifiant(texte)


def test_la_page_historique_nomme_les_personnes(connecte, faits):
    texte = page(connecte("lecteur").get(reverse("pilotage:historique", args=[CLS])))
    for identifiant in ("metropole", "ddets", "finances"):
        assert re.search(en_case(PERSONNES[identifiant]), texte), identifiant
    sans_identifiant(texte)


def test_l_historique_d_un_indicateur_nomme_qui_a_saisi(connecte, faits):
    texte = page(connecte("ddets").get(reverse("indicateurs:detail", args=[CLS, faits.pk])))
    assert re.search(en_case(PERSONNES["metropole"]), texte)
    sans_identifiant(texte)


def test_le_classeur_de_l_historique_nomme_les_personnes(connecte, faits):
    contenu = connecte("metropole").get(reverse("pilotage:historique_xlsx", args=[CLS])).content
    feuille = load_workbook(BytesIO(contenu))["Historique"]
    assert feuille["B5"].value == "Utilisateur"
    auteurs = {ligne[1] for ligne in feuille.iter_rows(min_row=6, values_only=True)}
    assert {PERSONNES["metropole"], PERSONNES["ddets"], PERSONNES["finances"]} <= auteurs
    cellules = {str(v).strip() for ligne in feuille.iter_rows(values_only=True) for v in ligne if v is not None}
    assert not cellules & set(IDENTIFIANTS)


def test_la_coherence_nomme_qui_a_examine(connecte, faits):
    client = connecte("metropole")
    texte = page(client.get(reverse("coherence:constats", args=[CLS]), {"etat": "examines"}))
    assert f"Examiné par {PERSONNES['admin']} le" in texte
    sans_identifiant(texte)

    classeur = load_workbook(BytesIO(client.get(reverse("coherence:xlsx", args=[CLS])).content))
    examines = [ligne for ligne in classeur["Constats examinés"].iter_rows(min_row=6, values_only=True)]
    assert [ligne[6] for ligne in examines] == [PERSONNES["admin"]]
    historique = [ligne for ligne in classeur["Historique des examens"].iter_rows(min_row=6, values_only=True)]
    assert [ligne[1] for ligne in historique] == [PERSONNES["admin"]]
    cellules = {str(v).strip() for f in classeur for ligne in f.iter_rows(values_only=True) for v in ligne if v}
    assert not cellules & set(IDENTIFIANTS)


def test_le_rapport_a_mi_parcours_nomme_qui_a_valide_l_annee(connecte, faits):
    client = connecte("secretariat")
    texte = texte_pdf(client.get(reverse("rapports:pdf", args=[CLS, "mi-parcours"])).content)
    assert re.search(rf"2024 : validé le \d\d/\d\d/\d{{4}} par {re.escape(PERSONNES['ddets'])}", texte), texte
    sans_identifiant(texte)
    # L'aperçu à l'écran, même corps que le PDF.
    apercu = page(client.get(reverse("rapports:apercu", args=[CLS, "mi-parcours"])))
    assert f"par {PERSONNES['ddets']}" in apercu
    sans_identifiant(apercu)


def test_les_versions_figees_nomment_qui_a_fige_et_transmis(connecte, cls, pdf_factice):
    client = connecte("secretariat")
    client.post(reverse("rapports:figer", args=[CLS, "mi-parcours"]), {"confirmer": "on", "reserve": "Essai"})
    version = cls.versions_rapports.get()
    date = timezone.localdate().strftime("%d/%m/%Y")
    donnees = {"date": date, "destinataire": "Préfet de la Côte-d'Or", "moyen": "courrier", "confirmer": "on"}
    client.post(reverse("rapports:version_transmise", args=[CLS, version.pk]), donnees)

    texte = page(connecte("ddets").get(reverse("rapports:liste", args=[CLS])))
    assert re.search(en_case(PERSONNES["secretariat"]), texte)  # colonne « Par » : qui a figé la version
    assert f"par {PERSONNES['secretariat']}</span>" in texte  # qui l'a transmise au préfet
    sans_identifiant(texte)
