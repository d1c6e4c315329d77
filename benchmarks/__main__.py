"""Mesures de performance (`make bench`), sur une base jetable chargée des données réelles.

Les objectifs de vitesse se mesurent ici, jamais dans des tests chronométrés."""

import os
import sys
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.test.utils import get_runner, setup_test_environment  # noqa: E402

from benchmarks.pages import mesurer_pages  # noqa: E402


def main():
    setup_test_environment()
    runner = get_runner(settings)(verbosity=0, interactive=False)
    anciennes = runner.setup_databases()
    try:
        from comptes.services import comptes_demo_creer
        from pilotage.chargement import donnees_charger

        donnees_charger(dossier=Path(settings.BASE_DIR) / "fixtures")
        comptes_demo_creer()
        mesurer_pages()
        from benchmarks.exports import mesurer_exports

        mesurer_exports()
        try:
            from benchmarks.rapports import mesurer_rapports
        except ImportError:
            mesurer_rapports = None
        if mesurer_rapports:
            mesurer_rapports()
    finally:
        runner.teardown_databases(anciennes)


if __name__ == "__main__":
    main()
