"""Une seule définition de l'exécution et de la sous-consommation : la page d'exécution, execution.xlsx (recalculé
par LibreOffice), le rapport à mi-parcours en PDF et les données des graphiques disent la même chose.

Scénario : 2024 saisie (deux cellules sous le seuil de 80 %, dont une du financeur « autres partenaires », une
cellule au-dessus, une cellule attendue mais non saisie), rien de saisi pour 2025."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from actions.models import Action
from commun.formats import pourcentage
from contrats.models import Contrat
from finances.models import Execution, LigneBudgetaire
from finances.selectors import execution_du_contrat
from rapports.selectors import graphiques_contrat_donnees
from tests.conftest import CLS
from tests.outils import page, recalculer, texte_pdf

# (action, année, financeur) : (engagé, réalisé) ; montants en vigueur du CLS en 2024 : action 1 État 65 000 €,
# action 6 État 100 000 €, action 2 « autres partenaires » 10 000 € (ligne ajoutée au scénario).
SAISIES = {
    ("1", "etat"): (Decimal("60000"), Decimal("40000")),  # 61,5 % : sous le seuil
    ("6", "etat"): (Decimal("100000"), Decimal("95000")),  # 95 % : au-dessus
    ("2", "autre"): (Decimal("8000"), Decimal("5000")),  # 50 % : sous le seuil, financeur « autres »
}
FINANCEURS = {"etat": "État", "collectivite": "Collectivité", "autre": "Autres partenaires"}


@pytest.fixture
def scenario():
    contrat = Contrat.objects.get(slug=CLS)
    actions = {a.numero: a for a in Action.objects.filter(contrat=contrat)}
    LigneBudgetaire.objects.create(action=actions["2"], annee=2024, financeur="autre", montant=Decimal("10000"))
    for (numero, financeur), (engage, realise) in SAISIES.items():
        Execution.objects.create(
            action=actions[numero], annee=2024, financeur=financeur, engage=engage, realise=realise
        )
    return contrat


def _taux(texte: str) -> Decimal:
    return Decimal(texte.replace(",", ".").replace("%", "").strip())


def test_page_classeur_pdf_et_graphiques_disent_la_meme_chose(scenario, connecte, tmp_path):
    execution = execution_du_contrat(scenario)
    attendu = {
        (c.action.numero, c.annee, c.financeur_libelle): round(c.taux * 100, 1) for c in execution.sous_consommations
    }
    assert attendu == {("1", 2024, "État"): Decimal("61.5"), ("2", 2024, "Autres partenaires"): Decimal("50.0")}
    client = connecte("finances")

    # 1. La page d'exécution : le tableau des sous-consommations, et 2025 « non saisi ».
    texte = page(client.get(reverse("finances:execution", args=[CLS])))
    alertes = texte[texte.index('id="alertes"') : texte.index("Versements de l'État")]
    lignes = re.findall(
        r"<td[^>]*>(\d+) [^<]*</td><td>(\d{4})</td><td>([^<]+)</td><td[^>]*>[^<]*</td><td[^>]*>[^<]*</td>"
        r"<td[^>]*>([\d,]+ %)</td>",
        alertes,
    )
    assert {(n, int(a), f): _taux(t) for n, a, f, t in lignes} == attendu
    assert "Exécution non saisie pour 2025" in texte
    total = texte[texte.index('<tr class="total">') :]
    assert "non saisi" in total  # TOTAL 2025 : ni 0 € ni 0 %
    assert not re.search(r"(?<![\d,])0(,0)? %", texte)  # aucun « 0 % » : rien n'est réalisé à 0 dans ce scénario

    # 2. execution.xlsx recalculé par LibreOffice : mêmes cellules signalées, mêmes taux ; 2025 « non saisi ».
    classeur = recalculer(client.get(reverse("finances:execution_xlsx", args=[CLS])).content, tmp_path)
    feuille = classeur["Exécution"]
    signalees, non_saisies_2025 = {}, 0
    for ligne in feuille.iter_rows(min_row=6, values_only=True):
        if not ligne[1] or ligne[0] == "TOTAL":
            continue
        if ligne[7] == "oui":
            signalees[(ligne[0].split(" ")[0], ligne[1], ligne[2])] = round(Decimal(str(ligne[6])) * 100, 1)
        if ligne[1] == 2025:
            assert ligne[4] == ligne[5] == "non saisi" and ligne[6] in (None, ""), ligne
            non_saisies_2025 += 1
    assert signalees == attendu
    assert non_saisies_2025 > 0

    # 3. Le rapport à mi-parcours (PDF) : la même liste, et 2025 dit non saisi.
    pdf = texte_pdf(client.get(reverse("rapports:pdf", args=[CLS, "mi-parcours"])).content)
    liste = pdf[pdf.index("Sous-consommations (exécution saisie") :]
    trouvees = re.findall(r"Action n°(\d+) – .+?, (\d{4}), (État|Collectivité|Autres partenaires) : ([\d,]+ %)", liste)
    assert {(n, int(a), f): _taux(t) for n, a, f, t in trouvees} == attendu
    assert "Exécution non saisie pour 2025" in pdf

    # 4. Les données des graphiques : le taux de 2024 est celui du modèle, 2025 n'a ni engagé ni réalisé.
    budgets = {b.annee: b for b in graphiques_contrat_donnees(scenario)[0]}
    assert budgets[2024].taux_execution == execution.budget_total(2024).taux_execution
    assert not budgets[2025].saisi and budgets[2025].realise_total is None and budgets[2025].taux_execution is None
    # 140 000 € réalisés sur 175 000 € prévus dans les cellules saisies : 80 %, affiché au TOTAL 2024 de la page.
    assert budgets[2024].taux_execution == Decimal("0.8")
    assert f'<td class="text-end">{pourcentage(budgets[2024].taux_execution)}'.replace("\u00a0", " ") in total
