"""Chaque classeur de l'application, tiré des données réelles et converti en PDF par LibreOffice, s'affiche en
entier : aucun « ### », aucun libellé coupé (vérifié sur le texte du PDF). Et la mise en forme commune
(commun/excel.py) : euros ronds sans centimes, dates en dates, mentions d'absence alignées, lignes à la hauteur de
leur libellé, mise en page gardée, sans rien changer au contenu des cellules."""

import datetime
import html
import re
import shutil
import subprocess
import uuid
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from openpyxl.cell.cell import MergedCell
from pypdf import PdfReader

from actions.models import Action
from commun.excel import FORMAT_EUROS, FORMAT_EUROS_ENTIERS, classeur_finaliser
from finances.exports import classeur_budget, classeur_execution
from finances.models import Execution
from indicateurs.exports import classeur_indicateurs
from tests.conftest import CALPAE, CLS, CONTRAT_DE_VILLE

CONTRATS = (CLS, CALPAE, CONTRAT_DE_VILLE)
CLASSEURS = {
    "budget": "finances:budget_xlsx",
    "execution": "finances:execution_xlsx",
    "indicateurs": "indicateurs:xlsx",
    "historique": "pilotage:historique_xlsx",
    "coherence": "coherence:xlsx",
    "modele-import": "finances:modele",
}


def en_pdf(classeurs: dict[str, bytes], dossier: Path) -> dict[str, str]:
    """Convertit les classeurs en PDF par LibreOffice (un profil à soi : des tests en parallèle ne se gênent pas)
    et renvoie le texte de chaque PDF, lu par pypdf, sans aucun blanc (un libellé passé à la ligne reste entier)."""
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.fail("LibreOffice est requis : lancez `make libreoffice` (fait par `make test`).")
    for nom, contenu in classeurs.items():
        (dossier / f"{nom}.xlsx").write_bytes(contenu)
    profil = dossier / f"profil-{uuid.uuid4().hex}"
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{profil}", "--headless", "--norestore", "--convert-to", "pdf",
         "--outdir", str(dossier / "pdf"), *(str(dossier / f"{nom}.xlsx") for nom in classeurs)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    textes = {}
    for nom in classeurs:
        lecteur = PdfReader(dossier / "pdf" / f"{nom}.pdf")
        textes[nom] = compact(" ".join(page.extract_text() for page in lecteur.pages))
    return textes


def chevauchements(pdf: Path) -> list[tuple[int, str, str]]:
    """Les mots du PDF qui en recouvrent un autre (boîtes de `pdftotext -bbox`) : un libellé passé à la ligne qui
    déborde sur la ligne suivante, un texte dessiné sur un autre. Deux lignes d'un paragraphe se touchent à peine ;
    au-delà d'un quart de hauteur commune, c'est un recouvrement."""
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext (poppler-utils) est requis : lancez `make libreoffice` (fait par `make test`).")
    sortie = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    trouves = []
    for numero, page in enumerate(sortie.split("<page ")[1:], start=1):
        mots = sorted(
            (
                (float(x0), float(y0), float(x1), float(y1), html.unescape(mot))
                for x0, y0, x1, y1, mot in re.findall(
                    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>', page
                )
            ),
            key=lambda m: m[1],
        )
        for rang, (ax0, ay0, ax1, ay1, a) in enumerate(mots):
            for bx0, by0, bx1, by1, b in mots[rang + 1 :]:
                if by0 >= ay1:
                    break
                hauteur = min(ay1 - ay0, by1 - by0)
                if min(ax1, bx1) - max(ax0, bx0) > 0.5 and min(ay1, by1) - max(ay0, by0) > hauteur / 4:
                    trouves.append((numero, a, b))
    return trouves


def compact(texte: str) -> str:
    return re.sub(r"\s+", "", texte)


def textes_du_classeur(contenu: bytes) -> list[str]:
    """Chaque texte écrit dans le classeur (libellés, en-têtes, mentions), hors formules."""
    textes = []
    for feuille in load_workbook(BytesIO(contenu)).worksheets:
        for ligne in feuille.iter_rows():
            for cellule in ligne:
                if isinstance(cellule.value, str) and cellule.data_type == "s" and cellule.value.strip():
                    textes.append(cellule.value)
    return textes


@pytest.mark.parametrize("type_classeur", sorted(CLASSEURS))
def test_classeur_en_entier_dans_libreoffice(connecte, tmp_path, type_classeur):
    client = connecte("admin")
    if type_classeur == "execution":  # une exécution saisie, avec centimes et une longue justification
        action = Action.objects.get(contrat__slug=CLS, numero="1")
        Execution.objects.create(action=action, annee=2024, financeur="etat", engage=Decimal("63250.50"),
                                 realise=Decimal("40000"), justification="Montée en charge plus lente que prévu : "
                                 "recrutement de deux éducateurs au second semestre seulement, " * 3)  # fmt: skip
    classeurs = {}
    for slug in CONTRATS:
        reponse = client.get(reverse(CLASSEURS[type_classeur], args=[slug]))
        assert reponse.status_code == 200
        classeurs[slug] = reponse.content
    textes_pdf = en_pdf(classeurs, tmp_path)

    for slug, contenu in classeurs.items():
        texte = textes_pdf[slug]
        assert "###" not in texte, f"{slug} : un nombre ou une date ne tient pas dans sa colonne"
        attendus = textes_du_classeur(contenu)
        assert attendus
        coupes = [t for t in attendus if compact(t) not in texte]
        assert not coupes, f"{slug}-{type_classeur} : textes coupés ou absents du PDF : {coupes[:5]}"
        recouvrements = chevauchements(tmp_path / "pdf" / f"{slug}.pdf")
        assert not recouvrements, f"{slug}-{type_classeur} : textes qui se recouvrent : {recouvrements[:5]}"
        if type_classeur == "budget":  # chaque action, même sans montant
            for action in Action.objects.filter(contrat__slug=slug):
                assert compact(f"{action.numero} {action.intitule}") in texte


def test_budget_rond_sans_centimes_et_mise_en_page_gardee(connecte):
    brut = load_workbook(BytesIO(connecte("finances").get(reverse("finances:budget_xlsx", args=[CLS])).content))
    feuille = brut.active
    montants = [c for ligne in feuille.iter_rows(min_row=7) for c in ligne[1:] if c.value is not None]
    assert montants and {c.number_format for c in montants} == {FORMAT_EUROS_ENTIERS}
    assert any(isinstance(c.value, int | float) for c in montants)  # des nombres, toujours
    # La date d'extraction : une vraie date, qui a la place de s'afficher (jamais « ### »).
    assert isinstance(feuille["B3"].value, datetime.datetime) and feuille["B3"].number_format == "DD/MM/YYYY HH:MM"
    assert any(plage.coord.startswith("B3:") for plage in feuille.merged_cells.ranges)
    # Les libellés longs passent à la ligne, à la hauteur qu'il leur faut ; la mise en page reste.
    ligne_action_4 = next(c.row for c in feuille["A"] if str(c.value).startswith("4 Renforcer"))
    assert feuille["A" + str(ligne_action_4)].alignment.wrap_text
    assert feuille.row_dimensions[ligne_action_4].height >= 30
    sous_total = next(c for c in feuille["A"] if str(c.value).startswith("Sous-total Axe « Lutter"))
    assert sous_total.alignment.wrap_text and feuille.row_dimensions[sous_total.row].height >= 30
    assert feuille.cell(sous_total.row, 2).alignment.vertical == "top"  # les montants face à la 1re ligne
    assert feuille.print_title_rows == "$5:$6" and feuille.freeze_panes == "B7"
    assert feuille.page_setup.orientation == "landscape" and feuille.page_setup.fitToWidth == 1
    assert feuille.sheet_properties.pageSetUpPr.fitToPage


def test_centimes_gardes_par_colonne_et_mentions_alignees(cls_contrat):
    action = Action.objects.get(contrat=cls_contrat, numero="1")
    Execution.objects.create(action=action, annee=2024, financeur="etat", engage=Decimal("60000.50"),
                             realise=Decimal("40000"))  # fmt: skip
    feuille = classeur_finaliser(classeur_execution(cls_contrat))["Exécution"]
    ligne = next(r for r in feuille.iter_rows(min_row=6) if r[0].value.startswith("1 ") and r[1].value == 2024)
    assert ligne[4].value == Decimal("60000.50") or ligne[4].value == 60000.5
    assert ligne[4].number_format == FORMAT_EUROS  # l'engagé a des centimes : la colonne les garde
    assert ligne[5].number_format == FORMAT_EUROS_ENTIERS and ligne[3].number_format == FORMAT_EUROS_ENTIERS
    non_saisi = next(c for r in feuille.iter_rows(min_row=6) for c in r[4:6] if c.value == "non saisi")
    assert non_saisi.alignment.horizontal == "right" and non_saisi.font.i
    assert non_saisi.font.color.rgb.endswith("6C757D")
    total = next(r for r in feuille.iter_rows(min_row=6) if r[0].value == "TOTAL")
    assert total[4].number_format == FORMAT_EUROS and total[3].number_format == FORMAT_EUROS_ENTIERS


def test_indicateurs_nd_aligne_comme_les_nombres(cls_contrat):
    feuille = classeur_finaliser(classeur_indicateurs(cls_contrat))["Indicateurs"]
    nd = [c for ligne in feuille.iter_rows(min_row=6) for c in ligne if c.value == "nd"]
    assert nd and all(c.alignment.horizontal == "right" and c.font.i for c in nd)
    nombres = [c for ligne in feuille.iter_rows(min_row=6) for c in ligne[3:] if isinstance(c.value, int | Decimal)]
    assert nombres and all(c.number_format == "#,##0" for c in nombres if c.value == int(c.value))
    # Finaliser deux fois ne change rien.
    avant = [(c.coordinate, c.number_format, c.alignment.horizontal) for ligne in feuille.iter_rows() for c in ligne
             if not isinstance(c, MergedCell)]  # fmt: skip
    classeur_finaliser(feuille.parent)
    assert avant == [(c.coordinate, c.number_format, c.alignment.horizontal) for ligne in feuille.iter_rows()
                     for c in ligne if not isinstance(c, MergedCell)]  # fmt: skip


def test_commande_exporter_finalise(tmp_path):
    from io import StringIO

    from django.core.management import call_command

    call_command("exporter", "budget", CLS, "--dossier", str(tmp_path), stdout=StringIO())
    feuille = load_workbook(tmp_path / f"{CLS}-budget.xlsx").active
    assert feuille["C8"].number_format == FORMAT_EUROS_ENTIERS


@pytest.fixture
def cls_contrat():
    from contrats.models import Contrat

    return Contrat.objects.get(slug=CLS)


def test_budget_seul_non_finalise_reste_intact(cls_contrat):
    """Les fabriques n'écrivent que le contenu : la mise en forme vient à la sortie (téléchargement, commande)."""
    assert classeur_budget(cls_contrat).active["C8"].number_format == FORMAT_EUROS


def test_modele_d_import_garde_les_centimes_des_colonnes_a_saisir(connecte):
    """Une colonne à remplir (sous une validation de données) garde ses centimes : un montant tapé paraît tel quel."""
    contenu = connecte("metropole").get(reverse("finances:modele", args=[CLS])).content
    feuille = load_workbook(BytesIO(contenu))["Exécution"]
    assert {feuille.cell(ligne, 4).number_format for ligne in range(6, 20)} == {FORMAT_EUROS}
    assert feuille["A1"].value == "Import de l'exécution budgétaire" and feuille.print_title_rows == "$5:$5"
