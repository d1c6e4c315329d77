"""Avant de figer et de transmettre : la liste de contrôle, les confirmations (sans elles rien n'est écrit), la date
réelle de la transmission (jamais future ni antérieure à la version figée), et une transmission en retard dite
« transmis en retard (N jours) » sur l'accueil du secrétariat."""

import datetime
import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from contrats.enums import TypeEcheance
from contrats.models import Contrat, Echeance
from rapports.enums import TypeRapport
from rapports.models import VersionRapport
from tests.conftest import CALPAE, CLS
from tests.outils import normaliser, texte_page

APERCU = reverse("rapports:apercu", args=[CLS, "mi-parcours"])
FIGER = reverse("rapports:figer", args=[CLS, "mi-parcours"])
MOTIF = "Transmission demandée par la préfecture avant la validation de 2025."


@pytest.fixture
def cls():
    return Contrat.objects.get(slug=CLS)


def texte_lu(reponse) -> str:
    """Le texte que lit l'utilisateur : balises retirées, entités décodées, blancs normalisés."""
    corps = reponse.content.decode().split("<main", 1)[-1]
    return normaliser(html.unescape(re.sub(r"<[^>]+>", " ", corps)))


def _transmission(date: datetime.date, **autres) -> dict:
    return {"date": date.strftime("%d/%m/%Y"), "destinataire": "Préfet de la Côte-d'Or", "moyen": "actes"} | autres


def _figee(client, cls, *, le: datetime.date | None = None) -> VersionRapport:
    client.post(FIGER, {"confirmer": "on", "reserve": MOTIF})
    version = VersionRapport.objects.get(contrat=cls, type=TypeRapport.MI_PARCOURS)
    if le is not None:  # une version figée plus tôt (le service date la version de l'instant où il l'écrit)
        moment = timezone.make_aware(datetime.datetime.combine(le, datetime.time(10)))
        VersionRapport.objects.filter(pk=version.pk).update(cree_le=moment)
        version.refresh_from_db()
    return version


def test_liste_de_controle_visible_avec_ce_qui_manque_et_ses_liens(connecte):
    texte = texte_lu(reponse := connecte("secretariat").get(APERCU))
    assert "Avant de figer pour transmission" in texte and "points à régler" in texte
    assert "À faire : Suivi 2024 validé par l'État : année aucune valeur saisie · Ouvrir le suivi 2024" in texte
    assert "À faire : Exécution 2024 saisie : non saisie · Saisir l'exécution 2024" in texte
    assert (
        "À faire : Vote du projet de délibération enregistré : le scrutin et les présences ne sont pas reportés"
        in (texte)
    )
    contenu = reponse.content.decode()
    for adresse in (
        reverse("indicateurs:grille", args=[CLS, 2024]),
        reverse("finances:execution", args=[CLS]),
        reverse("rapports:vote", args=[CLS, "deliberation-mi-parcours"]),
    ):
        assert f'href="{adresse}"' in contenu, adresse
    # Le bouton dit qu'on fige malgré ce qui manque, et le navigateur demande confirmation.
    assert "Figer quand même (PDF/A)" in texte
    assert 'data-confirmer="Le document n\'est pas prêt. Le figer quand même, avec le motif indiqué ?"' in contenu
    # Un rôle qui ne fige pas voit la liste, sans le formulaire.
    lecture = connecte("metropole").get(APERCU).content.decode()
    assert "Avant de figer pour transmission" in lecture and 'id="figer"' not in lecture


def test_figer_sans_confirmation_ou_sans_motif_n_ecrit_rien(connecte, cls, pdf_factice):
    client = connecte("secretariat")
    texte = texte_page(client.post(FIGER, {"reserve": MOTIF}))
    assert "La version n'a pas été figée" in texte and "Cochez la confirmation pour figer cette version." in texte
    texte = texte_page(client.post(FIGER, {"confirmer": "on", "reserve": ""}))
    assert "La version n'a pas été figée" in texte
    assert not VersionRapport.objects.filter(contrat=cls).exists()
    assert pdf_factice == []  # rien n'a même été mis en page
    # Confirmée et motivée : figée, avec ce qui manquait et le motif.
    version = _figee(client, cls)
    assert version.reserve == MOTIF and "Exécution 2024 saisie : non saisie" in version.manques


def test_transmettre_sans_confirmation_n_ecrit_rien(connecte, cls, pdf_factice):
    client = connecte("secretariat")
    version = _figee(client, cls)
    adresse = reverse("rapports:version_transmise", args=[CLS, version.pk])
    texte = texte_page(client.post(adresse, _transmission(timezone.localdate())))
    assert "La transmission n'a pas été enregistrée" in texte
    assert "Cochez la confirmation pour enregistrer la transmission." in texte
    version.refresh_from_db()
    assert not version.transmise and version.transmise_le is None
    assert Echeance.objects.get(contrat=cls, type=TypeEcheance.RAPPORT_MI_PARCOURS).realisee_le is None
    # La page demande aussi confirmation dans le navigateur et propose la date du jour.
    page = client.get(adresse).content.decode()
    assert 'data-confirmer="Enregistrer la transmission de cette version au préfet ?' in page
    assert f'value="{timezone.localdate():%d/%m/%Y}"' in page


def test_date_de_transmission_ni_future_ni_avant_la_version_figee(connecte, cls, pdf_factice):
    client = connecte("secretariat")
    aujourd_hui = timezone.localdate()
    version = _figee(client, cls, le=aujourd_hui - datetime.timedelta(days=10))
    adresse = reverse("rapports:version_transmise", args=[CLS, version.pk])
    demain = aujourd_hui + datetime.timedelta(days=1)
    texte = texte_page(client.post(adresse, _transmission(demain, confirmer="on")))
    assert f"La transmission ne peut pas être datée du {demain:%d/%m/%Y}, postérieur à aujourd'hui" in texte
    trop_tot = aujourd_hui - datetime.timedelta(days=11)
    texte = texte_page(client.post(adresse, _transmission(trop_tot, confirmer="on")))
    assert "La transmission ne peut pas précéder la version transmise" in texte
    version.refresh_from_db()
    assert not version.transmise

    # La date réelle, antérieure à aujourd'hui, est celle qui est enregistrée (et celle de l'échéance).
    reelle = aujourd_hui - datetime.timedelta(days=3)
    reponse = client.post(adresse, _transmission(reelle, confirmer="on"), follow=True)
    assert f"transmise au préfet le {reelle:%d/%m/%Y}" in texte_page(reponse)
    version.refresh_from_db()
    assert version.transmise and version.transmise_le == reelle
    assert (version.destinataire, version.moyen) == ("Préfet de la Côte-d'Or", "actes")
    echeance = Echeance.objects.get(contrat=cls, type=TypeEcheance.RAPPORT_MI_PARCOURS)
    assert echeance.realisee_le == reelle


def test_transmission_en_retard_sur_l_accueil_du_secretariat(connecte, cls, pdf_factice):
    echeance = Echeance.objects.get(contrat=cls, type=TypeEcheance.RAPPORT_MI_PARCOURS)
    aujourd_hui = timezone.localdate()
    # Échéance passée et rapport non transmis : à préparer, en retard, sur l'accueil du secrétariat.
    Echeance.objects.filter(pk=echeance.pk).update(date=aujourd_hui - datetime.timedelta(days=30))
    client = connecte("secretariat")
    a_preparer = f"Rapport d'exécution à mi-parcours 2024-2025 · {cls.titre}"
    texte = texte_lu(client.get("/"))
    assert "Rapports à préparer et transmettre au préfet" in texte and a_preparer in texte
    assert f"en retard : dû le {aujourd_hui - datetime.timedelta(days=30):%d/%m/%Y}" in texte

    version = _figee(client, cls, le=aujourd_hui - datetime.timedelta(days=20))
    transmise = aujourd_hui - datetime.timedelta(days=12)
    client.post(
        reverse("rapports:version_transmise", args=[CLS, version.pk]), _transmission(transmise, confirmer="on")
    )
    texte = texte_lu(client.get("/"))
    # 30 − 12 = 18 jours après l'échéance : rendue en retard, jamais parmi les échéances tenues.
    assert (
        f"Rapport d'exécution à mi-parcours 2024-2025, transmis au préfet (Art. 2.3) – dû le "
        f"{aujourd_hui - datetime.timedelta(days=30):%d/%m/%Y}, transmis en retard (18 jours) le {transmise:%d/%m/%Y}"
    ) in texte
    assert a_preparer not in texte  # transmis : plus à préparer
    tenues = texte.split("Échéances tenues")[1] if "Échéances tenues" in texte else ""
    assert "Rapport d'exécution à mi-parcours" not in tenues


def test_rapport_annuel_transmis_en_retard_sur_l_accueil(connecte, pdf_factice):
    """Un rapport annuel dont le document fixe l'échéance (CALPAE, Art. 2.4 : 31 mars de l'exercice suivant)
    transmis après elle est dit en retard ; le CLS, dont l'Art. 2.3 ne date pas le rapport annuel, n'en a pas."""
    calpae = Contrat.objects.get(slug=CALPAE)
    client = connecte("secretariat")
    client.post(reverse("rapports:figer", args=[CALPAE, "annuel-2020"]), {"confirmer": "on", "reserve": MOTIF})
    version = VersionRapport.objects.get(contrat=calpae, type=TypeRapport.ANNUEL, annee=2020)
    aujourd_hui = timezone.localdate()
    client.post(
        reverse("rapports:version_transmise", args=[CALPAE, version.pk]),
        _transmission(aujourd_hui, confirmer="on"),
    )
    echeance = Echeance.objects.get(contrat=calpae, type=TypeEcheance.RAPPORT_ANNUEL, annee=2020)
    assert echeance.realisee_le == aujourd_hui and echeance.date == datetime.date(2021, 3, 31)
    retard = (aujourd_hui - echeance.date).days
    texte = texte_lu(client.get("/"))
    assert f"Rapport d'exécution 2020 (Art. 2.4) – dû le 31/03/2021, transmis en retard ({retard} jours)" in texte
