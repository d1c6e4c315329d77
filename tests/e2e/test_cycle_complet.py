"""Un cycle de suivi complet, dans le navigateur, sur un contrat encore vierge de la forme du CLS (le CLS de Dijon
tel que chargé des documents signés : aucune valeur 2024-2025), chaque étape sous le compte de son rôle :

la Métropole saisit et soumet 2024 ; la DDETS renvoie une ligne ; la Métropole la corrige et resoumet ; les finances
saisissent l'exécution 2024 et un versement (avant la validation de l'année, qui verrouille aussi l'exécution et les
versements) ; la DDETS valide ; le secrétariat lit la liste de contrôle, enregistre le vote, fige (confirmation et
motif : 2025 manque) et transmet (date, destinataire, moyen).

Puis les chiffres sont relus dans chaque sortie — grille, page du contrat, page d'exécution, les trois classeurs,
le PDF figé — et comparés entre eux : cibles 2024 atteintes, réalisé 2024 par financeur, versement."""

import datetime
from decimal import Decimal
from io import BytesIO

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from actions.models import Action
from commun.formats import euros, lire_nombre, nombre
from contrats.enums import TypeEcheance
from contrats.models import Echeance
from finances.models import Execution, Versement
from indicateurs.enums import StatutSuivi
from indicateurs.models import SuiviAnnuel
from rapports.enums import TypeRapport
from rapports.models import VersionRapport
from tests.e2e.conftest import CLS, grille_url, message, texte_normalise
from tests.outils import texte_pdf

pytestmark = pytest.mark.e2e

# Valeurs 2024 tapées par la Métropole, dans l'ordre des indicateurs du CLS : (action, cible 2024, valeur).
# Cibles chiffrées : 1 (450), 2 (130), 3 (250), 5 (300 ; 150), 6 (150 ; 20), 7 (90) ; « nd » : 4, 8 (deux).
VALEURS_2024 = {
    "1": ["462"],
    "2": ["120"],  # d'abord sous la cible : la ligne renvoyée, corrigée en 131
    "3": ["212"],
    "4": ["35"],
    "5": ["317", "150"],
    "6": ["140", "24"],
    "7": ["95"],
    "8": ["180", "60"],
}
CORRECTION_ACTION_2 = "131"
# Atteintes après correction : 1, 2, 5 (×2), 6 (2e), 7 ; manquées : 3, 6 (1re) ; « nd » (4, 8, 8) non mesurables.
ATTEINTES_2024, MESURABLES_2024 = 6, 8

# Exécution 2024 (prévu en vigueur : État = DM par action) : l'État réalise 90 %, la Métropole 100 %.
PREVU_2024 = {"1": 65000, "2": 20000, "3": 25000, "4": 20000, "5": 47500, "6": 100000, "7": 25000, "8": 30000}
REALISE_ETAT = {n: Decimal(p) * Decimal("0.9") for n, p in PREVU_2024.items()}
REALISE_COLLECTIVITE = {n: Decimal(p) for n, p in PREVU_2024.items()}
VERSEMENT = Decimal("85000")  # pilier 1, code activité de l'article 3 du contrat


def montant(texte: str) -> Decimal:
    """« 299 250,00 € » (page) → Decimal."""
    return lire_nombre(texte.replace("€", ""))


def fr(valeur) -> str:
    """Un montant comme le saisirait une personne : « 58 500 »."""
    return texte_normalise(euros(valeur).replace("€", "").replace(",00", ""))


def classeur(page, adresse: str):
    """Le classeur téléchargé dans la session du navigateur (mêmes cookies), relu par openpyxl."""
    reponse = page.request.get(adresse)
    assert reponse.ok, (adresse, reponse.status)
    return load_workbook(BytesIO(reponse.body()))


def lignes_de(feuille, premiere: int):
    return [ligne for ligne in feuille.iter_rows(min_row=premiere, values_only=True) if ligne[0] is not None]


def test_cycle_complet_les_chiffres_concordent_partout(ouvrir, cls, indicateurs_cls):
    aujourd_hui = timezone.localdate()
    actions = {a.numero: a for a in Action.objects.filter(contrat=cls)}
    par_action = {}
    for i in indicateurs_cls:
        par_action.setdefault(i.action.numero, []).append(i)
    assert {n: len(liste) for n, liste in par_action.items()} == {n: len(v) for n, v in VALEURS_2024.items()}
    a_corriger = par_action["2"][0]

    # --- La Métropole saisit et soumet 2024 -------------------------------------------------------------------
    metropole = ouvrir("metropole")
    metropole.goto(grille_url(2024))
    for numero, valeurs in VALEURS_2024.items():
        for indicateur, valeur in zip(par_action[numero], valeurs, strict=True):
            metropole.fill(f"#id_v{indicateur.pk}", valeur)
            cible = indicateur.cibles.get(annee=2024)
            if cible.nd:  # cible « nd » : la valeur est justifiée par un commentaire (liste de contrôle)
                metropole.fill(f"#id_c{indicateur.pk}", "Cible « nd » au contrat : valeur de référence 2024.")
        metropole.fill(f"#id_r{actions[numero].pk}_resultats", f"Résultats 2024 de l'action {numero}.")
    metropole.get_by_role("button", name="Soumettre à la validation de l'État").click()
    expect(message(metropole)).to_contain_text("et soumise à la validation de l'État")
    expect(metropole.locator("#statut")).to_contain_text("Statut : Soumis")

    # --- La DDETS renvoie une ligne ----------------------------------------------------------------------------
    ddets = ouvrir("ddets")
    ddets.goto(grille_url(2024))
    ddets.locator(f"#ligne-i{a_corriger.pk} input[name=lignes]").check()
    ddets.fill("#motif-renvoi", "Action 2 : la file active de décembre manque.")
    ddets.get_by_role("button", name="Renvoyer pour correction").click()
    expect(message(ddets)).to_contain_text("Année 2024 renvoyée pour correction.")

    # --- La Métropole corrige la ligne désignée et resoumet ---------------------------------------------------
    metropole.goto(grille_url(2024))
    expect(metropole.locator("#statut")).to_contain_text("1 ligne désignée")
    expect(metropole.locator(f"#ligne-i{a_corriger.pk}")).to_have_class("a-corriger")
    metropole.fill(f"#id_v{a_corriger.pk}", CORRECTION_ACTION_2)
    metropole.fill(f"#id_c{a_corriger.pk}", "File active de décembre ajoutée.")
    metropole.get_by_role("button", name="Soumettre à la validation de l'État").click()
    expect(message(metropole)).to_contain_text("et soumise à la validation de l'État")

    # --- Les finances saisissent l'exécution 2024 et un versement (l'année n'est pas encore validée) ----------
    finances = ouvrir("finances")
    finances.goto(f"/contrats/{CLS}/execution/2024/")
    for numero, action in actions.items():
        for financeur, realise in (("etat", REALISE_ETAT[numero]), ("collectivite", REALISE_COLLECTIVITE[numero])):
            finances.fill(f"#id_e{action.pk}_{financeur}", fr(PREVU_2024[numero]))
            finances.fill(f"#id_r{action.pk}_{financeur}", fr(realise))
    total_realise = sum(REALISE_ETAT.values()) + sum(REALISE_COLLECTIVITE.values())
    expect(finances.locator("#total-realise")).not_to_have_text("non saisi")  # calculé en direct par la page
    assert texte_normalise(finances.locator("#total-realise").inner_text()) == texte_normalise(euros(total_realise))
    finances.get_by_role("button", name="Enregistrer l'exécution 2024").click()
    expect(message(finances)).to_contain_text("Exécution 2024 enregistrée")
    assert Execution.objects.filter(action__contrat=cls, annee=2024).count() == 16

    finances.goto(f"/contrats/{CLS}/versements/")
    pilier_1 = actions["1"].axe
    finances.get_by_label("Date du versement").fill("15/07/2024")
    finances.get_by_label("Exercice").select_option("2024")
    finances.get_by_label("Montant (€)").fill(fr(VERSEMENT))
    finances.get_by_label("Pilier (axe)").select_option(str(pilier_1.pk))
    finances.get_by_label("Code activité").fill("0304 50 23 23 02")
    finances.get_by_label("Compte crédité").fill("Trésorerie de Dijon municipale")
    finances.get_by_role("button", name="Enregistrer le versement").click()
    expect(message(finances)).to_contain_text("(exercice 2024)")
    assert Versement.objects.get(contrat=cls).montant == VERSEMENT

    # --- La DDETS valide -------------------------------------------------------------------------------------
    ddets.goto(grille_url(2024))
    ddets.get_by_role("button", name="Valider l'année 2024").click()
    expect(message(ddets)).to_contain_text("Année 2024 validée.")
    assert SuiviAnnuel.objects.get(contrat=cls, annee=2024).statut == StatutSuivi.VALIDE
    # Cibles atteintes, lues sur la grille validée (badges « atteinte » / « non atteinte »).
    atteintes_grille = ddets.locator("#grille .badge.text-bg-success").count()
    mesurees_grille = ddets.locator("#grille .badge.text-bg-success, #grille .badge.text-bg-warning").filter(
        has_text="atteinte"
    )
    assert (atteintes_grille, mesurees_grille.count()) == (ATTEINTES_2024, MESURABLES_2024)

    # --- Le secrétariat : liste de contrôle, vote, figer (motif), transmettre ---------------------------------
    secretariat = ouvrir("secretariat")
    secretariat.goto(f"/contrats/{CLS}/rapports/mi-parcours/")
    preparation = secretariat.locator("#preparation")
    expect(preparation).to_contain_text("Fait : Suivi 2024 validé par l'État")
    expect(preparation).to_contain_text("Fait : Exécution 2024 saisie")
    expect(preparation).to_contain_text("Fait : Cibles « nd » 2024 fixées par avenant ou justifiées")
    expect(preparation).to_contain_text("À faire : Suivi 2025 validé par l'État : année aucune valeur saisie")
    expect(preparation).to_contain_text("À faire : Exécution 2025 saisie : non saisie")
    expect(preparation).to_contain_text("À faire : Vote du projet de délibération enregistré")
    preparation.get_by_role("link", name="Enregistrer le vote").click()
    seance = aujourd_hui - datetime.timedelta(days=7)
    secretariat.fill("#id_date", seance.isoformat())
    for champ, valeur in (("membres_en_exercice", 81), ("presents", 60), ("procurations", 10), ("pour", 70)):
        secretariat.fill(f"#id_{champ}", str(valeur))
    secretariat.get_by_role("button", name="Enregistrer le vote").click()
    expect(message(secretariat)).to_contain_text("Vote enregistré")
    expect(secretariat.locator("#preparation")).to_contain_text("Fait : Vote du projet de délibération enregistré")
    # Le projet de délibération porte le scrutin ; le rapport qu'il approuve est celui qui est figé et transmis.
    secretariat.goto(f"/contrats/{CLS}/rapports/mi-parcours/")
    expect(secretariat.locator("#preparation")).to_contain_text("Fait : Vote du projet de délibération enregistré")

    motif = "Transmission de 2024 seule : 2025 sera saisie au dialogue de gestion."
    figer = secretariat.locator("#figer")
    figer.get_by_label("Motif (obligatoire si des éléments manquent)").fill(motif)
    figer.get_by_label("Je confirme : figer cette version").check()
    dialogues = []
    secretariat.once("dialog", lambda d: dialogues.append(d.message))
    figer.get_by_role("button", name="Figer quand même (PDF/A)").click()
    expect(message(secretariat)).to_contain_text("figé le")
    assert dialogues == ["Le document n'est pas prêt. Le figer quand même, avec le motif indiqué ?"]
    version = VersionRapport.objects.get(contrat=cls, type=TypeRapport.MI_PARCOURS)
    assert version.reserve == motif and "Suivi 2025 validé par l'État" in version.manques

    secretariat.get_by_role("link", name="Marquer comme transmise au préfet").click()
    expect(secretariat.get_by_label("Transmise le")).to_have_value(aujourd_hui.strftime("%d/%m/%Y"))
    secretariat.get_by_label("Destinataire").fill("Préfet de la Côte-d'Or")
    secretariat.get_by_label("Moyen").select_option("actes")
    secretariat.get_by_label("Je confirme que cette version a été transmise").check()
    secretariat.get_by_role("button", name="Enregistrer la transmission").click()
    expect(message(secretariat)).to_contain_text(f"transmise au préfet le {aujourd_hui:%d/%m/%Y}")
    echeance = Echeance.objects.get(contrat=cls, type=TypeEcheance.RAPPORT_MI_PARCOURS)
    assert echeance.realisee_le == aujourd_hui
    retard = (aujourd_hui - echeance.date).days
    assert retard > 0  # dû le 31/03/2026 (Art. 2.3)
    secretariat.goto("/")
    rendus = secretariat.locator("[aria-labelledby=titre-rendues-en-retard]")
    expect(rendus.locator("li").filter(has_text="Rapport d'exécution à mi-parcours")).to_contain_text(
        f"transmis en retard ({retard} jours) le {aujourd_hui:%d/%m/%Y}"
    )

    # --- Relecture : chaque sortie, puis comparaison ------------------------------------------------------------
    # Page du contrat : le prévu 2024 et les cibles 2024.
    secretariat.goto(f"/contrats/{CLS}/")
    cibles_page = [
        texte_normalise(ligne.locator("td").nth(3).inner_text())
        for ligne in secretariat.locator("#indicateurs tbody tr").all()
    ]
    total_budget = secretariat.locator("table.table-budget tr.total").first.locator("td").all_inner_texts()
    prevu_page = {"État": montant(total_budget[1]), "Collectivité": montant(total_budget[2])}  # 2024 : 1re année

    # Page d'exécution : réalisé 2024 par financeur (somme des lignes action × financeur), versé 2024.
    secretariat.goto(f"/contrats/{CLS}/execution/")
    realise_page = {}
    for ligne in secretariat.locator("#table-execution tbody tr:not(.sous-total):not(.total)").all():
        cellules = [texte_normalise(t) for t in ligne.locator("td").all_inner_texts()]
        realise_page[cellules[0]] = realise_page.get(cellules[0], Decimal(0)) + montant(cellules[3])
    versements_page = {
        texte_normalise(ligne.locator("th").inner_text()): [
            None if "aucun versement" in t else montant(t) for t in ligne.locator("td").all_inner_texts()
        ]
        for ligne in secretariat.locator("#versements tbody tr").all()
    }
    verse_page = versements_page["2024"][1]
    assert versements_page["2025"][1] is None  # aucun versement en 2025 : dit tel quel, jamais « 0 € »

    # Classeurs (téléchargés dans la session du secrétariat).
    budget = classeur(secretariat, f"/contrats/{CLS}/budget.xlsx").active
    prevu_classeur = {"État": Decimal(0), "Collectivité": Decimal(0)}
    for ligne in lignes_de(budget, 7):
        if str(ligne[0])[:1].isdigit():
            prevu_classeur["État"] += Decimal(str(ligne[2]))
            prevu_classeur["Collectivité"] += Decimal(str(ligne[3]))
    execution = classeur(secretariat, f"/contrats/{CLS}/execution.xlsx")
    realise_classeur = {}
    for ligne in lignes_de(execution["Exécution"], 6):
        if ligne[1] == 2024:
            realise_classeur[ligne[2]] = realise_classeur.get(ligne[2], Decimal(0)) + Decimal(str(ligne[5]))
    verse_classeur = sum(
        (Decimal(str(ligne[2])) for ligne in lignes_de(execution["Versements"], 6) if ligne[1] == 2024), Decimal(0)
    )
    indicateurs = classeur(secretariat, f"/contrats/{CLS}/indicateurs.xlsx")["Indicateurs"]
    entetes = [c.value for c in indicateurs[5]]
    cible_col, valeur_col = entetes.index("Cible 2024"), entetes.index("Valeur 2024")
    cibles_classeur, atteintes_classeur, mesurables_classeur = [], 0, 0
    for ligne in lignes_de(indicateurs, 6):
        cible, valeur = ligne[cible_col], ligne[valeur_col]
        cibles_classeur.append(cible)
        if isinstance(cible, int | float) and isinstance(valeur, int | float):
            mesurables_classeur += 1
            atteintes_classeur += valeur >= cible

    # PDF figé, tel que transmis.
    reponse = secretariat.request.get(f"/contrats/{CLS}/rapports/versions/{version.pk}.pdf")
    assert reponse.ok and reponse.body() == bytes(version.pdf)
    pdf = texte_pdf(reponse.body())

    # Cibles 2024 : page du contrat = classeur ; atteintes : grille = classeur = PDF.
    assert cibles_page == ["nd" if c == "nd" else texte_normalise(nombre(Decimal(str(c)))) for c in cibles_classeur]
    assert (atteintes_classeur, mesurables_classeur) == (ATTEINTES_2024, MESURABLES_2024)
    assert f"En 2024 : {ATTEINTES_2024} cibles atteintes sur {MESURABLES_2024} mesurables" in pdf
    assert f"{ATTEINTES_2024} / {MESURABLES_2024} cibles mesurables 2024 atteintes" in pdf

    # Réalisé 2024 par financeur : page d'exécution = classeur = PDF (annexe 1, par financeur) = saisie.
    attendu = {"État": sum(REALISE_ETAT.values()), "Collectivité": sum(REALISE_COLLECTIVITE.values())}
    assert realise_page == realise_classeur == attendu
    assert prevu_page == prevu_classeur == {"État": Decimal(332500), "Collectivité": Decimal(332500)}
    for financeur, realise in attendu.items():
        prevu = texte_normalise(euros(prevu_classeur[financeur]))
        assert f"{financeur} {prevu} {prevu} {texte_normalise(euros(realise))}" in pdf, financeur
    assert "Exécution 2025 par financeur" in pdf and "État 350 000 € non saisi non saisi non saisi" in pdf

    # Versement : page d'exécution = classeur = PDF.
    assert verse_page == verse_classeur == VERSEMENT
    assert f"15/07/2024 {texte_normalise(euros(VERSEMENT))} {pilier_1.numero}." in pdf
    assert (
        f"versé {texte_normalise(euros(VERSEMENT))} ; reste à verser {texte_normalise(euros(332500 - VERSEMENT))}"
        in pdf
    )
    assert "Aucun versement de l'État enregistré pour l'exercice 2025" in pdf

    # Le motif du figement, imprimé dans la version transmise ; 2025 dite non saisie, jamais 0.
    assert f"Motif : {motif}" in pdf
    assert "En 2025 : valeurs non saisies." in pdf
