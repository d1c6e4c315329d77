"""Commandes de gestion : chargement idempotent, contrôles de cohérence, comptes de démonstration."""

from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import override_settings

from actions.models import Action
from contrats.models import Contrat, Deliberation
from finances.models import LigneBudgetaire
from indicateurs.models import Cible, Indicateur


def compter():
    return [m.objects.count() for m in (Contrat, Action, Indicateur, Cible, LigneBudgetaire, Deliberation)]


def test_chargement_idempotent():
    avant = compter()
    sortie = StringIO()
    call_command("charger_donnees", stdout=sortie)
    assert compter() == avant
    assert "dijon-cls-2024-2027 : 8 actions" in sortie.getvalue()


def test_donnees_fautives_refusees_sans_rien_ecrire(tmp_path):
    """Un fichier qui casse la parité de la CLS (collectivité à 40 %) est refusé en bloc."""
    source = yaml.safe_load((Path(settings.BASE_DIR) / "fixtures" / "dijon-cls-2024-2027.yaml").read_text())
    source["contrat"]["titre"] = "Titre qui ne doit pas être écrit"
    for ligne in source["actions"][0]["budget"]:
        if ligne["financeur"] == "collectivite" and ligne["annee"] == 2027:
            ligne["montant"] = 40000
    (tmp_path / "cls.yaml").write_text(yaml.safe_dump(source, allow_unicode=True))
    avant = compter()
    with pytest.raises(CommandError) as erreur:
        call_command("charger_donnees", dossier=str(tmp_path))
    assert "Action 1, 2027 : la collectivité apporte" in str(erreur.value)
    assert compter() == avant
    assert Contrat.objects.get(slug="dijon-cls-2024-2027").titre == "Contrat local des solidarités 2024-2027"


def test_commande_coherence():
    sortie = StringIO()
    call_command("coherence", "dijon-cls-2024-2027", stdout=sortie)
    texte = sortie.getvalue()
    assert "Fiche action 2" in texte and "plus de 15 ans" in texte
    assert "Fiche action 3" in texte and "Axe 3" in texte
    with pytest.raises(CommandError, match="Contrat inconnu : inexistant"):
        call_command("coherence", "inexistant")


def test_comptes_de_demo_refuses_hors_developpement():
    with pytest.raises(CommandError, match="qu'en développement"):
        call_command("creer_comptes_demo")
    with override_settings(DEBUG=True):
        sortie = StringIO()
        call_command("creer_comptes_demo", stdout=sortie)
        assert "autre-territoire" in sortie.getvalue()
