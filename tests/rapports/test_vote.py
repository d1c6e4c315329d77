"""Enregistrer le vote d'un projet de délibération : l'arithmétique du registre, vérifiée par le modèle."""

import pytest
from django.urls import reverse

from contrats.models import Contrat, Deliberation
from rapports.models import DeliberationRapport
from tests.conftest import CLS
from tests.outils import normaliser, texte_page, texte_pdf

# Le Bureau métropolitain du 12 septembre 2024 (registre des délibérations) : 41 membres en exercice, 33 présents,
# 6 procurations, 39 voix pour.
BUREAU = {
    "organe": "bureau",
    "date": "2024-09-12",
    "date_convocation": "2024-09-06",
    "president": "Monsieur REBSAMEN",
    "secretaire": "Monsieur HOAREAU",
    "membres": "41",
    "membres_en_exercice": "41",
    "presents": "33",
    "procurations": "6",
    "pour": "39",
    "contre": "0",
    "abstention": "0",
    "ne_prend_pas_part": "0",
}
URL = reverse("rapports:vote", args=[CLS, "deliberation-annuel-2024"])


def compter():
    return Deliberation.objects.count(), DeliberationRapport.objects.count()


def test_vote_du_bureau_enregistre_et_repris_dans_le_projet(connecte):
    client = connecte("secretariat")
    avant = compter()
    reponse = client.post(URL, BUREAU)
    assert reponse.status_code == 302 and reponse.url == reverse(
        "rapports:apercu", args=[CLS, "deliberation-annuel-2024"]
    )
    assert compter() == (avant[0] + 1, avant[1] + 1)
    deliberation = DeliberationRapport.objects.get(contrat__slug=CLS, annee=2024).deliberation
    assert (deliberation.membres_en_exercice, deliberation.presents, deliberation.procurations) == (41, 33, 6)
    assert deliberation.votants == 39 and deliberation.pour == 39
    assert deliberation.contrat.slug == CLS and deliberation.organisation.slug == "dijon-metropole"
    assert deliberation.objet == "Contrat local des solidarités 2024-2027 – Rapport annuel d'avancement 2024"
    assert deliberation.decision.startswith("Le Bureau, après en avoir délibéré, décide :")
    assert "665 000 €" in normaliser(deliberation.expose)
    assert deliberation.history.first().history_user.username == "secretariat"

    texte = texte_pdf(client.get(reverse("rapports:pdf", args=[CLS, "deliberation-annuel-2024"])).content)
    assert "du Bureau métropolitain de Dijon métropole" in texte and "Séance du jeudi 12 septembre 2024" in texte
    assert "Nombre de membres en exercice : 41" in texte and "Nombre de présents participant au vote : 33" in texte
    assert "Nombre de procurations : 6" in texte
    assert "Le Bureau, après en avoir délibéré, décide :" in texte
    assert "SCRUTIN POUR : 39 ABSTENTION : 0 CONTRE : 0 NE SE PRONONCE PAS : 0 DONT 6 PROCURATION(S)" in texte
    assert "PROJET" not in texte
    # La délibération figure avec les autres sur la page du contrat.
    assert "séance du 12 septembre 2024" in texte_page(client.get(reverse("pilotage:contrat", args=[CLS])))

    # Enregistrer de nouveau corrige le même vote, sans en créer un second.
    assert client.post(URL, BUREAU | {"abstention": "1", "pour": "38"}).status_code == 302
    assert compter() == (avant[0] + 1, avant[1] + 1)
    deliberation.refresh_from_db()
    assert (deliberation.pour, deliberation.abstention) == (38, 1)


@pytest.mark.parametrize(
    ("variante", "champ", "message"),
    [
        # 36 présents + 6 procurations = 42 votants pour 41 membres en exercice.
        ({"presents": "36", "pour": "42"}, "procurations", "Présents et procurations ensemble ne peuvent dépasser"),
        # 38 + 0 + 0 + 0 ≠ 39 votants.
        ({"pour": "38"}, "pour", "Le scrutin ne correspond pas aux votants"),
        # 39 pour + 1 abstention = 40 ≠ 39 votants.
        ({"abstention": "1"}, "pour", "Le scrutin ne correspond pas aux votants"),
        # 20 présents sur 41 : pas la majorité.
        ({"presents": "20", "pour": "26"}, "presents", "Quorum non atteint"),
        # Plus de membres en exercice que de membres.
        ({"membres": "40"}, "membres_en_exercice", "Les membres en exercice ne peuvent dépasser"),
        ({"presents": "trente-trois"}, "presents", "saisissez un nombre entier"),
        ({"presents": "33,5"}, "presents", "saisissez un nombre entier"),
        ({"contre": "-1"}, "contre", "un nombre ne peut pas être négatif"),
        ({"membres_en_exercice": "100000000000000000000"}, "membres_en_exercice", "999 au maximum"),
        ({"procurations": ""}, "procurations", "Indiquez le nombre : procurations."),
        ({"date": "2099-01-01"}, "date", "La séance ne peut pas être postérieure à aujourd'hui"),
        ({"date": "12 sept."}, "date", "Saisissez une date"),
        ({"date_convocation": "2024-09-13"}, "date_convocation", "La convocation précède la séance."),
    ],
)
def test_vote_incoherent_refuse_sans_rien_ecrire(connecte, variante, champ, message):
    client = connecte("admin")
    avant = compter()
    reponse = client.post(URL, BUREAU | variante)
    assert reponse.status_code == 200
    page = texte_page(reponse)
    assert "Le vote n'a pas été enregistré" in page and message in page
    form = reponse.context["form"]
    assert any(message in erreur for erreur in form.errors[champ]), form.errors
    assert 'aria-invalid="true"' in reponse.content.decode()
    assert compter() == avant


def test_vote_reserve_au_secretariat_et_aux_administrateurs(connecte):
    avant = compter()
    for identifiant in ("ddets", "metropole", "finances", "lecteur"):
        assert connecte(identifiant).post(URL, BUREAU).status_code == 403
        assert connecte(identifiant).get(URL).status_code == 403
    assert compter() == avant
    # Seul un projet de délibération se vote.
    assert connecte("admin").get(f"/contrats/{CLS}/rapports/mi-parcours/vote/").status_code == 404


def test_formulaire_prerempli_par_le_vote_enregistre(connecte):
    client = connecte("secretariat")
    client.post(URL, BUREAU)
    form = client.get(URL).context["form"]
    assert form.initial["presents"] == 33 and form.initial["organe"] == "bureau"
    assert Contrat.objects.get(slug=CLS).deliberations.count() == 2
