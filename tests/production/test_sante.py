"""La sonde de santé (/sante/) : sans connexion, 200 si la base répond, 503 avec un texte français sinon ; et le
journal des requêtes (identifiant, utilisateur, durée)."""

import logging
import re
from unittest import mock

from django.db import OperationalError
from django.urls import reverse

from tests.conftest import CLS


def test_sante_repond_200_sans_connexion(client, django_assert_num_queries):
    with django_assert_num_queries(1):  # SELECT 1, rien d'autre (ni session ni utilisateur)
        reponse = client.get("/sante/")
    assert reponse.status_code == 200
    assert reponse["Content-Type"] == "text/plain; charset=utf-8"
    assert reponse.content.decode() == "Disponible : la base de données répond.\n"
    assert "no-store" in reponse["Cache-Control"]
    assert client.head("/sante/").status_code == 200


def test_sante_repond_503_quand_la_base_ne_repond_pas(client, caplog):
    with mock.patch("commun.views.connection.cursor", side_effect=OperationalError("timeout expired")):
        reponse = client.get(reverse("sante"))
    assert reponse.status_code == 503
    assert reponse["Retry-After"] == "30"
    assert reponse.content.decode() == "Indisponible : la base de données ne répond pas.\n"
    assert any(r.levelname == "ERROR" and "Sonde de santé" in r.getMessage() for r in caplog.records)


def test_une_ligne_de_journal_par_requete(connecte, caplog):
    client = connecte("metropole")
    with caplog.at_level(logging.INFO, logger="commun.requetes"):
        reponse = client.get(reverse("pilotage:contrat", args=[CLS]), {"q": "recherche privée"})
    (ligne,) = [r for r in caplog.records if r.name == "commun.requetes"]
    assert re.fullmatch(rf"GET /contrats/{CLS}/ 200 \d+ ms utilisateur=metropole", ligne.getMessage()), (
        ligne.getMessage()
    )
    assert ligne.request_id == reponse["X-Request-ID"]


def test_l_identifiant_du_mandataire_est_repris_s_il_est_sain(client, caplog):
    with caplog.at_level(logging.INFO, logger="commun.requetes"):
        assert client.get("/sante/", HTTP_X_REQUEST_ID="proxy-1234.abc")["X-Request-ID"] == "proxy-1234.abc"
        refuse = client.get("/sante/", HTTP_X_REQUEST_ID="a b\n<script>")["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", refuse)
    assert [r.request_id for r in caplog.records if r.name == "commun.requetes"] == ["proxy-1234.abc", refuse]
