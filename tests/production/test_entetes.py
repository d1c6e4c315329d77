"""En-têtes de sécurité et de cache : sur une page, sur un fichier téléchargé, sur la page du contrat et ses
graphiques ; aucun script ni style en ligne dans les gabarits."""

import base64
import hashlib
import html
import re
from pathlib import Path

from django.conf import settings
from django.urls import reverse

from tests.conftest import CLS


def directives(reponse) -> dict[str, list[str]]:
    politique = reponse["Content-Security-Policy"]
    return {nom: valeurs for nom, *valeurs in (d.split() for d in politique.split(";") if d.strip())}


def verifier_entetes_de_securite(reponse):
    csp = directives(reponse)
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]  # aucun script en ligne, aucune autre origine
    assert csp["object-src"] == ["'none'"] and csp["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in reponse["Content-Security-Policy"]
    assert "camera=()" in reponse["Permissions-Policy"] and "geolocation=()" in reponse["Permissions-Policy"]
    assert reponse["X-Content-Type-Options"] == "nosniff"
    assert reponse["X-Frame-Options"] == "DENY"
    assert reponse["Referrer-Policy"] == "same-origin"


def sans_cache(reponse) -> bool:
    return {"no-store", "private"} <= {d.strip() for d in reponse["Cache-Control"].split(",")}


def test_une_page_porte_les_entetes_de_securite_et_n_est_pas_gardee_en_cache(connecte):
    reponse = connecte("metropole").get(reverse("pilotage:liste"))
    assert reponse.status_code == 200
    verifier_entetes_de_securite(reponse)
    assert sans_cache(reponse)
    assert re.fullmatch(r"[0-9a-f]{32}", reponse["X-Request-ID"])


def test_un_fichier_telecharge_porte_les_entetes_de_securite_et_n_est_pas_garde_en_cache(connecte):
    reponse = connecte("finances").get(reverse("finances:budget_xlsx", args=[CLS]))
    assert reponse.status_code == 200
    assert "attachment" in reponse["Content-Disposition"]
    verifier_entetes_de_securite(reponse)
    assert sans_cache(reponse)


def test_la_page_de_connexion_non_plus(client):
    reponse = client.get(reverse("login"))
    verifier_entetes_de_securite(reponse)
    assert sans_cache(reponse)


def _empreinte(texte: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(texte.encode()).digest()).decode() + "'"


def test_les_graphiques_de_la_page_du_contrat_n_autorisent_que_leurs_propres_styles(connecte):
    """pygal écrit une feuille de style dans chaque graphique SVG : la politique autorise chacune par son empreinte
    (calculée sur le texte tel que le navigateur le lit, entités décodées), rien d'autre en ligne."""
    reponse = connecte("metropole").get(reverse("pilotage:contrat", args=[CLS]))
    graphiques = re.findall(r'<svg[^>]*class="pygal-chart".*?</svg>', reponse.content.decode(), re.DOTALL)
    assert graphiques  # exécution budgétaire (atteinte des cibles : quand des valeurs sont saisies)
    feuilles = [re.search(r"<style[^>]*>([^<]*)</style>", graphique).group(1) for graphique in graphiques]
    assert all("&gt;" in feuille for feuille in feuilles)  # le sélecteur « > » de pygal, échappé dans le HTML
    attributs = {a for graphique in graphiques for a in re.findall(r'\sstyle="([^"]*)"', graphique)}
    style_src = directives(reponse)["style-src"]
    assert style_src[0] == "'self'"
    # Seuls les styles de pygal, chacun par son empreinte exacte ('unsafe-hashes' n'autorise rien d'autre).
    assert set(style_src) == {"'self'", "'unsafe-hashes'"} | {
        _empreinte(html.unescape(texte)) for texte in [*feuilles, *attributs]
    }


def test_une_page_sans_graphique_n_autorise_aucun_style_en_ligne(connecte):
    reponse = connecte("metropole").get(reverse("pilotage:liste"))
    assert directives(reponse)["style-src"] == ["'self'"]


GABARITS = Path(settings.BASE_DIR) / "templates"
EN_LIGNE = re.compile(r"""\son[a-z]+\s*=|\sstyle\s*=|<style\b|<script\b(?![^>]*\bsrc=)|javascript:""", re.IGNORECASE)


def test_aucun_script_ni_style_en_ligne_dans_les_gabarits_des_pages():
    """Les pages : ni script en ligne, ni gestionnaire d'événement en attribut, ni style en ligne (la politique les
    refuserait). Les gabarits des PDF (rapports/pdf/) ne passent que par WeasyPrint, jamais par un navigateur."""
    fautes = [
        f"{chemin.relative_to(GABARITS)}:{numero}: {ligne.strip()}"
        for chemin in sorted(GABARITS.rglob("*.html"))
        if "pdf" not in chemin.relative_to(GABARITS).parts
        for numero, ligne in enumerate(chemin.read_text(encoding="utf-8").splitlines(), 1)
        if EN_LIGNE.search(ligne)
    ]
    assert not fautes, "\n".join(fautes)


def test_le_script_de_l_application_est_servi_par_elle(client):
    """Les confirmations (data-confirmer) passent par static/js/app.js, chargé par chaque page."""
    page = client.get(reverse("login")).content.decode()
    assert re.search(r'<script src="/static/js/app(\.[0-9a-f]+)?\.js"', page)
    script = b"".join(client.get("/static/js/app.js").streaming_content).decode()
    assert "data-confirmer" in script or "dataset.confirmer" in script
