"""Règle « dates » : une action ne commence pas avant la délibération qui autorise le contrat (la plus ancienne des
siennes datée au plus tard de sa première année), le contrat est signé après elle, le calendrier d'une action ne
dépasse pas la fin du contrat, un ordinal (« le deuxième exercice ») s'accorde avec les années."""

import datetime

import pytest
from django.urls import reverse

from actions.models import Jalon
from coherence.constats import A_VERIFIER
from tests.actions.factories import ActionFactory
from tests.coherence.fabrique import citations, constats, contrat_fictif
from tests.contrats.factories import DeliberationFactory

AUTORISATION = datetime.date(2024, 3, 28)


@pytest.fixture
def contrat():
    contrat = contrat_fictif(lieu_signature="Valbrune")
    DeliberationFactory(contrat=contrat, date=AUTORISATION, objet="Autorisation de signer le contrat fictif")
    return contrat


def _action(contrat, calendrier, numero="1.1"):
    return ActionFactory(contrat=contrat, numero=numero, calendrier=calendrier)


# --- Avant la délibération qui autorise ----------------------------------------------------------------------------


def test_une_action_qui_commence_avant_la_deliberation(contrat):
    action = _action(contrat, "Démarrage en janvier 2024, montée en charge en 2025.")
    _action(contrat, "À partir de septembre 2024.", numero="1.2")
    (constat,) = constats(contrat, "dates.")
    assert (constat.regle, constat.gravite) == ("dates.autorisation", A_VERIFIER)
    assert constat.message == "1 action (1.1) commence avant la délibération du 28/03/2024 qui autorise le contrat."
    deliberation, calendrier = constat.preuves
    assert deliberation.document == f"Conseil de {contrat.collectivite.nom} du 28/03/2024"
    assert deliberation.citation == "28/03/2024 : Autorisation de signer le contrat fictif"
    assert (calendrier.lieu, calendrier.citation) == (
        "Fiche action 1.1, calendrier",
        "Démarrage en janvier 2024, montée en charge en 2025.",
    )
    assert calendrier.url == reverse("pilotage:action", args=[contrat.slug, action.numero])


def test_deux_actions_qui_commencent_avant_la_deliberation(contrat):
    _action(contrat, "Dès le 15/02/2024.")
    _action(contrat, "1er mars 2024 : recrutement.", numero="1.2")
    (constat,) = constats(contrat, "dates.autorisation")
    assert constat.message.startswith("2 actions (1.1, 1.2) commencent avant la délibération du 28/03/2024")
    assert len(constat.preuves) == 3


def test_des_actions_qui_commencent_apres_la_deliberation(contrat):
    _action(contrat, "Le 28 mars 2024, jour du vote, puis chaque trimestre.")
    _action(contrat, "De septembre 2024 à décembre 2027.", numero="1.2")
    _action(contrat, "Tout au long du contrat.", numero="1.3")  # sans date
    assert constats(contrat, "dates.") == []


def test_la_deliberation_qui_autorise_est_la_plus_ancienne_de_la_premiere_annee(contrat):
    # La plus ancienne délibération de la première année autorise ; celle d'un bilan, plus tard, n'autorise rien.
    DeliberationFactory(contrat=contrat, date=datetime.date(2024, 2, 14), objet="Projet de contrat fictif")
    DeliberationFactory(contrat=contrat, date=datetime.date(2024, 5, 2), objet="Second vote du contrat fictif")
    DeliberationFactory(contrat=contrat, date=datetime.date(2026, 4, 2), objet="Bilan 2025 du contrat fictif")
    _action(contrat, "Démarrage en mars 2024.")  # après le 14/02/2024 : rien à dire
    _action(contrat, "Démarrage en janvier 2024.", numero="1.2")
    (constat,) = constats(contrat, "dates.autorisation")
    assert constat.message.startswith("1 action (1.2) ")
    assert constat.message.endswith("avant la délibération du 14/02/2024 qui autorise le contrat.")


def test_une_deliberation_votee_apres_la_premiere_annee_n_autorise_rien():
    contrat = contrat_fictif()
    DeliberationFactory(contrat=contrat, date=datetime.date(2026, 4, 2), objet="Bilan 2025 du contrat fictif")
    _action(contrat, "Démarrage en janvier 2024.")
    contrat.date_signature = datetime.date(2024, 1, 5)
    contrat.save()
    assert constats(contrat, "dates.autorisation", "dates.signature") == []


def test_un_rappel_de_l_historique_de_l_action_n_est_pas_son_debut(contrat):
    _action(contrat, "Action lancée en octobre 2019 ; renforcée à partir de septembre 2024.")
    assert constats(contrat, "dates.autorisation") == []


# --- Signature -----------------------------------------------------------------------------------------------------


def test_un_contrat_signe_avant_la_deliberation(contrat):
    contrat.date_signature = datetime.date(2024, 2, 10)
    contrat.save()
    (constat,) = constats(contrat, "dates.")
    assert (constat.regle, constat.gravite, constat.lieu) == ("dates.signature", A_VERIFIER, "Signature")
    assert constat.message == (
        "Le contrat est signé le 10/02/2024, avant la délibération du 28/03/2024 qui l'autorise."
    )
    assert citations(constat) == ["28/03/2024 : Autorisation de signer le contrat fictif", "Valbrune, le 10/02/2024"]


def test_un_contrat_signe_apres_la_deliberation(contrat):
    contrat.date_signature = datetime.date(2024, 4, 15)
    contrat.save()
    assert constats(contrat, "dates.") == []


# --- Fin du contrat ------------------------------------------------------------------------------------------------


def test_un_calendrier_qui_depasse_la_fin_du_contrat(contrat):
    action = _action(contrat, "De septembre 2024 à juin 2028.")
    (constat,) = constats(contrat, "dates.")
    assert (constat.regle, constat.gravite, constat.lieu) == ("dates.periode", A_VERIFIER, "Fiche action 1.1")
    assert constat.message == (
        f"Le calendrier de l'action dépasse la fin du contrat ({contrat.periode}) : « juin 2028 »."
    )
    assert citations(constat) == ["De septembre 2024 à juin 2028."]
    assert constat.url == reverse("pilotage:action", args=[contrat.slug, action.numero])


def test_une_annee_nue_apres_la_fin_du_contrat(contrat):
    _action(contrat, "Déploiement progressif de 2025 à 2029.")
    (constat,) = constats(contrat, "dates.")
    assert constat.regle == "dates.periode"
    assert constat.message.endswith(" : « 2029 ».")


def test_un_jalon_apres_la_fin_du_contrat(contrat):
    action = _action(contrat, "")
    Jalon.objects.create(action=action, annee=2028, libelle="Évaluation finale du dispositif")
    (constat,) = constats(contrat, "dates.")
    assert constat.regle == "dates.periode"
    assert "« 2028 : Évaluation finale du dispositif »" in constat.message
    assert citations(constat) == ["2028 : Évaluation finale du dispositif"]


def test_un_calendrier_dans_la_periode_du_contrat(contrat):
    action = _action(contrat, "D'avril 2024 au 31 décembre 2027.")
    Jalon.objects.create(action=action, annee=2027, libelle="Bilan final")
    assert constats(contrat, "dates.") == []


# --- Ordinaux ------------------------------------------------------------------------------------------------------


def _expose(contrat, texte):
    return DeliberationFactory(
        contrat=contrat, date=datetime.date(2027, 3, 18), objet="Bilan 2026 du contrat fictif", expose=texte
    )


def test_un_ordinal_qui_ne_s_accorde_pas_avec_l_annee(contrat):
    phrase = "L'année 2026 constitue le deuxième exercice du contrat"
    _expose(contrat, f"Le conseil prend connaissance du bilan. {phrase}. Les crédits ont été consommés.")
    (constat,) = constats(contrat, "dates.")
    assert (constat.regle, constat.gravite) == ("dates.ordinal", A_VERIFIER)
    assert constat.lieu == f"Conseil de {contrat.collectivite.nom} du 18/03/2027 – Exposé"
    assert constat.message == (
        "Le texte fait de 2026 le rang 2 ; le contrat commençant en 2024, 2026 en est la 3e année."
    )
    texte, duree = citations(constat)
    assert phrase in texte and "deuxième exercice" in texte
    assert duree == f"{contrat.periode} (première année : 2024)"


@pytest.mark.parametrize(
    "texte",
    [
        "L'année 2026 constitue le troisième exercice du contrat.",
        "Pour 2024, premier exercice, les actions ont démarré.",
        "Le bilan de 2025, deuxième année du contrat, est approuvé.",
        "Entre 2025 et 2026, deuxième exercice, le budget a crû.",  # deux années : rien à comparer
    ],
)
def test_un_ordinal_qui_s_accorde(contrat, texte):
    _expose(contrat, texte)
    assert constats(contrat, "dates.") == []
