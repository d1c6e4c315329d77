"""La page d'un indicateur lit le taux d'atteinte dans indicateurs/selectors.py, comme les rapports."""

from django.urls import reverse

from contrats.models import Contrat
from tests.conftest import CLS
from tests.outils import indicateur, page, saisir


def test_taux_d_atteinte_au_dixieme_comme_dans_les_rapports(connecte):
    cls = Contrat.objects.get(slug=CLS)
    jeunes = indicateur(cls, "1")  # cible 2024 : 450
    saisir(cls, 2024, {jeunes: ("462", "")}, {})
    texte = page(connecte("ddets").get(reverse("indicateurs:detail", args=[CLS, jeunes.pk])))
    assert "102,7 %" in texte  # 462 / 450, le même arrondi que le rapport à mi-parcours
    assert "103 %" not in texte
