"""Mesures de performance (`make bench`), sur une base jetable chargée des données réelles.

Les objectifs de vitesse se mesurent ici, jamais dans des tests chronométrés."""

import os
import sys
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import django  # noqa: E402

django.setup()

from benchmarks.cache_pdf import mesurer_cache_pdf  # noqa: E402
from benchmarks.commun import base_jetable  # noqa: E402
from benchmarks.exports import mesurer_exports  # noqa: E402
from benchmarks.national import mesurer_national  # noqa: E402
from benchmarks.pages import mesurer_pages  # noqa: E402
from benchmarks.rapports import mesurer_rapports  # noqa: E402


def main():
    with base_jetable():
        mesurer_national()  # d'abord : sur les seuls contrats réels et le jeu synthétique, qu'elle retire ensuite
        mesurer_pages()
        mesurer_exports()
        mesurer_rapports()
        mesurer_cache_pdf()


if __name__ == "__main__":
    main()
