"""La déclaration d'accessibilité : publique (sans connexion), liée du pied de chaque page, à jour de la version
d'axe-core que les tests de navigateur emploient (package.json)."""

import json
from pathlib import Path

from django.conf import settings
from django.urls import reverse

from tests.outils import requetes_exactes, texte_page

VERSION_AXE = json.loads((Path(settings.BASE_DIR) / "package.json").read_text())["devDependencies"]["axe-core"]


def test_declaration_publique_et_a_jour(client):
    with requetes_exactes(0):  # page fixe : aucune requête sans session
        reponse = client.get(reverse("accessibilite"))
    assert reponse.status_code == 200
    texte = texte_page(reponse)
    assert "Déclaration d'accessibilité" in texte
    assert "non conforme" in texte and "aucun audit" in texte.lower()
    assert f"axe-core {VERSION_AXE}" in texte
    assert "Signaler un problème d'accessibilité" in texte
    assert "Défenseur des droits" in texte


def test_lien_du_pied_de_page(client, connecte):
    lien = f'<a href="{reverse("accessibilite")}">Accessibilité : non conforme (audit à réaliser)</a>'
    assert lien in client.get(reverse("login")).content.decode()
    assert lien in connecte("lecteur").get(reverse("pilotage:liste")).content.decode()
