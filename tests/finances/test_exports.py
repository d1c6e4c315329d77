"""Les classeurs Excel relus comme un financier les ouvrirait : openpyxl, puis LibreOffice pour recalculer."""

import datetime
import html
import re
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string

from actions.models import Action
from contrats.models import Contrat
from finances.enums import Financeur
from finances.exports import classeur_budget, classeur_execution
from finances.models import Execution
from finances.selectors import tableau_budgetaire
from finances.services import avenant_appliquer
from tests.conftest import CLS
from tests.contrats.factories import ContratFactory
from tests.finances.factories import VersementFactory
from tests.outils import contrat_de_taille, page, recalculer, requetes_exactes

BUDGET_CLS = {  # action -> État (= DM) 2024, 2025, 2026, 2027
    "1": (65000, 65000, 65000, 65000), "2": (20000, 20000, 20000, 20000), "3": (25000, 25000, 25000, 25000),
    "4": (20000, 20000, 20000, 20000), "5": (47500, 60000, 60000, 60000), "6": (100000, 100000, 100000, 100000),
    "7": (25000, 25000, 25000, 25000), "8": (30000, 35000, 35000, 35000),
}  # fmt: skip


def lignes_par_libelle(feuille):
    return {str(ligne[0]).split(" ")[0] if ligne[0] and ligne[0][0].isdigit() else ligne[0]: ligne
            for ligne in feuille.iter_rows(min_row=7, values_only=True) if ligne[0]}  # fmt: skip


@pytest.fixture
def cls():
    return Contrat.objects.get(slug=CLS)


def test_budget_xlsx_recalcule_par_libreoffice(connecte, tmp_path):
    reponse = connecte("finances").get(reverse("finances:budget_xlsx", args=[CLS]))
    assert reponse["Content-Disposition"] == 'attachment; filename="dijon-cls-2024-2027-budget.xlsx"'

    brut = load_workbook(BytesIO(reponse.content)).active
    assert brut["A1"].value == "Tableau budgétaire" and brut["A2"].value == "Contrat local des solidarités 2024-2027"
    assert brut["A3"].value == "Extraction du" and isinstance(brut["B3"].value, datetime.datetime)
    assert brut.freeze_panes == "B7" and brut.print_title_rows == "$5:$6"
    assert brut.page_setup.orientation == "landscape" and int(brut.page_setup.paperSize) == int(brut.PAPERSIZE_A4)
    assert brut.column_dimensions["A"].width == 52
    assert [brut.cell(5, c).value for c in (2, 5, 8, 11)] == [2024, "2025 (provisoire)", "2026 (provisoire)",
                                                              "2027 (provisoire)"]  # fmt: skip
    lignes = lignes_par_libelle(brut)
    assert lignes["1"][2] == 65000 and isinstance(lignes["1"][2], int | float | Decimal)  # un nombre, pas du texte
    assert str(lignes["1"][1]).startswith("=SUM(") and str(lignes["TOTAL"][2]).startswith("=SUM(")
    assert "€" in brut.cell(7 + 1, 3).number_format

    feuille = recalculer(reponse.content, tmp_path).active
    lignes = lignes_par_libelle(feuille)
    for numero, montants in BUDGET_CLS.items():
        for rang, etat in enumerate(montants):
            total, part_etat, part_dm = lignes[numero][1 + 3 * rang : 4 + 3 * rang]
            assert (total, part_etat, part_dm) == (2 * etat, etat, etat), (numero, rang)
    total = lignes["TOTAL"]
    assert total[1:4] == (665000, 332500, 332500)
    for rang in (1, 2, 3):
        assert total[1 + 3 * rang : 4 + 3 * rang] == (700000, 350000, 350000)
    sous_totaux = [ligne for cle, ligne in lignes.items() if str(cle).startswith("Sous-total")]
    assert [ligne[2] for ligne in sous_totaux] == [85000, 45000, 147500, 55000]


def _avenant_2025(cls, user):
    action6 = Action.objects.get(contrat=cls, numero="6")
    return avenant_appliquer(
        user=user,
        contrat=cls,
        numero=1,
        date=datetime.date(2025, 4, 15),
        objet="Fixation du montant 2025 de l'État",
        montants={(action6, 2025, Financeur.ETAT): Decimal("90000")},
    )


def test_avenant_change_les_montants_en_vigueur_et_garde_l_initial(cls, django_user_model, connecte, tmp_path):
    _avenant_2025(cls, django_user_model.objects.get(username="finances"))
    en_vigueur = tableau_budgetaire(cls).total.annees[2025]
    assert (en_vigueur.etat, en_vigueur.collectivite) == (340000, 350000)
    assert 2025 not in tableau_budgetaire(cls).provisoires and 2026 in tableau_budgetaire(cls).provisoires
    assert tableau_budgetaire(cls, initial=True).total.annees[2025].etat == 350000
    assert tableau_budgetaire(cls, date=datetime.date(2025, 4, 14)).total.annees[2025].etat == 350000

    client = connecte("finances")
    contenu = page(client.get(cls.get_absolute_url()))
    assert "Avenant n°1 du 15/04/2025" in contenu and "Action 6, 2025, État : 100 000 € → 90 000 €" in contenu
    assert "340 000 €" in contenu

    budget = recalculer(client.get(reverse("finances:budget_xlsx", args=[CLS])).content, tmp_path).active
    lignes = lignes_par_libelle(budget)
    assert lignes["6"][4:7] == (190000, 90000, 100000)
    assert lignes["TOTAL"][4:7] == (690000, 340000, 350000)
    assert budget.cell(5, 5).value == 2025

    execution = load_workbook(BytesIO(client.get(reverse("finances:execution_xlsx", args=[CLS])).content))["Exécution"]
    prevus = {(r[0].split(" ")[0], r[1], r[2]): r[3] for r in execution.iter_rows(min_row=6, values_only=True) if r[1]}
    assert prevus[("6", 2025, "État")] == 90000 and prevus[("6", 2024, "État")] == 100000

    # L'historique du budget est dans l'historique du contrat ; la matrice des indicateurs garde le sien.
    classeur = load_workbook(BytesIO(client.get(reverse("pilotage:historique_xlsx", args=[CLS])).content))
    historique = [r for r in classeur["Historique"].iter_rows(min_row=6, values_only=True)]
    assert any(
        r[2] == "Action 6 – budget 2025 – État (avenant n°1)" and r[5] == "90\u202f000" and r[6] == "Avenant n°1"
        for r in historique
    )


def test_avenant_qui_casse_la_parite_refuse(cls, connecte):
    client = connecte("finances")
    action6 = Action.objects.get(contrat=cls, numero="6")
    url = reverse("finances:avenant_creer", args=[CLS]) + "?annee=2026"
    reponse = client.get(url)
    donnees = {nom: champ.prepare_value(reponse.context["montants_form"][nom].value())
               for nom, champ in reponse.context["montants_form"].fields.items()}  # fmt: skip
    donnees |= {"avenant-numero": "1", "avenant-date": "01/02/2026", "avenant-objet": "Hausse État",
                f"a{action6.pk}_etat": "150 000"}  # fmt: skip
    page = html.unescape(client.post(url, donnees).content.decode()).replace("\u202f", " ").replace("\u00a0", " ")
    assert "Action 6, 2026 : la collectivité apporte 100 000 € sur 250 000 €, soit moins de 50 %" in page
    assert not cls.avenants.exists()
    donnees[f"a{action6.pk}_etat"] = "95 000"
    donnees["avenant-date"] = "31/02/2026"
    assert "Saisissez une date" in html.unescape(client.post(url, donnees).content.decode())
    donnees["avenant-date"] = "01/02/2026"
    assert client.post(url, donnees).status_code == 302
    assert cls.avenants.get().lignes.get().montant == 95000
    assert connecte("metropole").get(url).status_code == 403


def test_execution_sous_consommation_et_textes_jamais_formules(cls, connecte):
    action1 = Action.objects.get(contrat=cls, numero="1")
    Execution.objects.create(
        action=action1,
        annee=2024,
        financeur="etat",
        engage=60000,
        realise=40000,
        justification="=1+1 montée en charge",
    )
    feuille = load_workbook(BytesIO(connecte("finances").get(reverse("finances:execution_xlsx", args=[CLS])).content))[
        "Exécution"
    ]
    ligne = next(r for r in feuille.iter_rows(min_row=6) if r[0].value.startswith("1 ") and r[1].value == 2024
                 and r[2].value == "État")  # fmt: skip
    assert [c.value for c in ligne[3:6]] == [65000, 60000, 40000]
    # Le taux ne se calcule que sur une exécution saisie (un texte « non saisi » ne donne ni 0 % ni #VALEUR!).
    assert ligne[6].value == '=IF(AND(ISNUMBER(F{0}),D{0}<>0),F{0}/D{0},"")'.format(ligne[0].row)
    assert ligne[7].value == "oui"  # 61,5 % < seuil de 80 %
    assert ligne[8].value == "=1+1 montée en charge" and ligne[8].data_type == "s" and ligne[8].quotePrefix


def test_classeur_budget_en_nombre_de_requetes_fixe():
    """Le classeur seul (commande exporter, un contrat après l'autre) ; la page budget.xlsx est épinglée avec les
    autres dans tests/test_requetes.py."""
    for taille in (8, 80):
        contrat, _ = contrat_de_taille(taille)
        with requetes_exactes(3):
            classeur_budget(contrat)


@pytest.mark.parametrize("nom", ["finances:budget_xlsx", "finances:execution_xlsx", "indicateurs:xlsx"])
def test_exports_refuses_hors_territoire(connecte, nom):
    assert connecte("autre-territoire").get(reverse(nom, args=[CLS])).status_code == 404
    assert connecte("secretariat").get(reverse(nom, args=[CLS])).status_code == 200


def test_commande_exporter(tmp_path):
    from io import StringIO

    from django.core.management import CommandError, call_command

    sortie = StringIO()
    call_command("exporter", "budget", "--tous", "--annee", "2025", "--dossier", str(tmp_path), stdout=sortie)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dijon-cls-2024-2027-budget.xlsx"]
    assert "1 classeur(s) écrit(s)" in sortie.getvalue()
    call_command("exporter", "indicateurs", CLS, "--dossier", str(tmp_path / "i"), stdout=StringIO())
    assert load_workbook(tmp_path / "i" / f"{CLS}-indicateurs.xlsx").sheetnames == ["Indicateurs", "Historique"]
    with pytest.raises(CommandError, match="Contrat inconnu : inexistant"):
        call_command("exporter", "budget", "inexistant", "--dossier", str(tmp_path))
    with pytest.raises(CommandError, match="n'est pas une date"):
        call_command("exporter", "budget", "--tous", "--au", "31/12/2025", "--dossier", str(tmp_path))


def _formules_sans_reference_circulaire(feuille):
    """Chaque formule de la feuille ne cite jamais sa propre cellule (LibreOffice : Err:522)."""
    for ligne in feuille.iter_rows():
        for cellule in ligne:
            if isinstance(cellule.value, str) and cellule.value.startswith("="):
                plages = re.findall(r"\$?([A-Z]+)\$?(\d+)(?::\$?([A-Z]+)\$?(\d+))?", cellule.value)
                for c1, l1, c2, l2 in plages:
                    c2, l2 = c2 or c1, l2 or l1
                    dedans = column_index_from_string(c1) <= cellule.column <= column_index_from_string(c2)
                    assert not (dedans and int(l1) <= cellule.row <= int(l2)), (feuille.title, cellule.coordinate)


def test_classeur_execution_sans_ligne_ni_versement_sans_formule_circulaire(cls):
    """Aucun versement (CLS) et un contrat sans ligne budgétaire : le TOTAL dit « sans objet », jamais une somme
    sur sa propre cellule ni un 0."""
    vide = ContratFactory()
    for contrat in (cls, vide):
        classeur = classeur_execution(contrat)
        for feuille in classeur.worksheets:
            _formules_sans_reference_circulaire(feuille)
        versements = classeur["Versements"]
        total = next(r for r in versements.iter_rows(min_row=6) if str(r[0].value).startswith("TOTAL"))
        assert total[0].value == "TOTAL (aucun versement enregistré)" and total[2].value == "sans objet"
    feuille = classeur_execution(vide)["Exécution"]
    total = next(r for r in feuille.iter_rows(min_row=6) if r[0].value == "TOTAL")
    assert [c.value for c in total[3:7]] == ["sans objet"] * 4
    # Avec des lignes, les bornes s'arrêtent à la ligne qui précède le total.
    feuille = classeur_execution(cls)["Exécution"]
    total = next(r for r in feuille.iter_rows(min_row=6) if r[0].value == "TOTAL")
    assert total[3].value == f"=SUM(D6:D{total[3].row - 1})"


def test_classeur_versements_total_borne_aux_versements(cls):
    VersementFactory(contrat=cls, annee=2024, montant=Decimal("85000"))
    VersementFactory(contrat=cls, annee=2024, montant=Decimal("45000"))
    feuille = classeur_execution(cls)["Versements"]
    _formules_sans_reference_circulaire(feuille)
    total = next(r for r in feuille.iter_rows(min_row=6) if r[0].value == "TOTAL")
    assert total[2].value == f"=SUM(C6:C{total[2].row - 1})" and total[2].row == 8


def test_historique_d_un_avenant_supprime_depuis(cls, django_user_model, connecte):
    """Une ligne d'historique peut citer un avenant supprimé depuis : l'historique le dit, sans 500."""
    _avenant_2025(cls, django_user_model.objects.get(username="finances"))
    avenant = cls.avenants.get(numero=1)
    avenant.lignes.all().delete()
    avenant.delete()

    client = connecte("finances")
    reponse = client.get(reverse("pilotage:historique_xlsx", args=[CLS]))
    assert reponse.status_code == 200
    historique = list(load_workbook(BytesIO(reponse.content))["Historique"].iter_rows(min_row=6, values_only=True))
    assert any(r[2] == "Action 6 – budget 2025 – État (avenant n°1, supprimé)" for r in historique)
    assert client.get(reverse("pilotage:historique", args=[CLS])).status_code == 200
