from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.conftest import CLS
from tests.outils import texte_pdf


def test_generer_le_projet_de_deliberation_annuel(tmp_path):
    sortie = StringIO()
    call_command(
        "generer_rapport", "deliberation-annuel", "--annee", "2025", "--contrat", CLS, "--dossier", str(tmp_path),
        stdout=sortie,
    )  # fmt: skip
    fichier = tmp_path / f"{CLS}-deliberation-annuel-2025.pdf"
    assert fichier.exists() and "1 PDF écrit(s)" in sortie.getvalue()
    texte = texte_pdf(fichier.read_bytes())
    assert "Rapport annuel d'avancement 2025" in texte and "décide" in texte


def test_generer_pour_tous_les_contrats(tmp_path, pdf_factice):
    sortie = StringIO()
    call_command("generer_rapport", "mi-parcours", "--tous", "--dossier", str(tmp_path / "rapports"), stdout=sortie)
    noms = sorted(f.name for f in (tmp_path / "rapports").iterdir())
    assert noms == [
        "dijon-cls-2024-2027-rapport-mi-parcours-2024-2025.pdf",
        "dijon-contrat-de-ville-2019-2022-rapport-mi-parcours-2019-2020.pdf",
    ]
    assert "ignoré : Pas de rapport à mi-parcours" in sortie.getvalue()  # la CALPAE (2020) dure un an
    call_command("generer_rapport", "annuel", "--contrat", CLS, "--dossier", str(tmp_path / "annuels"), stdout=sortie)
    assert len(list((tmp_path / "annuels").iterdir())) == 4  # une par année du contrat


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["annuel", "--contrat", "inconnu"], "Aucun contrat « inconnu »."),
        (["annuel", "--contrat", CLS, "--annee", "2031"], "hors de la période du contrat"),
        (["mi-parcours", "--contrat", "dijon-calpae-2020"], "dure moins de 2 ans"),
    ],
)
def test_generer_refuse_avec_un_message(tmp_path, arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command("generer_rapport", *arguments, "--dossier", str(tmp_path))
