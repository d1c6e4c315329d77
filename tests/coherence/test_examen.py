"""Examen d'un constat (coherence/services.py, coherence/selectors.py) : examiné avec un commentaire, il n'est plus
ouvert ; il redevient « à revoir » quand les données qu'il cite changent ; rouvert, il l'est de nouveau, et
l'historique garde chaque événement."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from coherence.historique import historique_des_examens
from coherence.models import ExamenConstat
from coherence.selectors import A_REVOIR, EXAMINE, OUVERT, decompte, suivi_des_constats
from coherence.services import constat_examiner, constat_rouvrir
from indicateurs.enums import RelationChiffre
from indicateurs.models import Bilan, BilanChiffre, BilanRubrique
from tests.coherence.fabrique import contrat_fictif
from tests.contrats.factories import DeliberationFactory, UserFactory


@pytest.fixture
def dossier():
    """(contrat, partie) : un bilan dont le total (90 familles) ne vaut pas la somme de ses parties (35 + 50)."""
    contrat = contrat_fictif()
    deliberation = DeliberationFactory(contrat=contrat, date=datetime.date(2026, 3, 12), objet="Bilan 2025 fictif")
    bilan = Bilan.objects.create(contrat=contrat, annee=2025, deliberation=deliberation)
    rubrique = BilanRubrique.objects.create(
        bilan=bilan,
        intitule="Médiation familiale",
        texte="Le service a reçu 90 familles : 35 en séance et 50 à domicile.",
    )
    total = BilanChiffre.objects.create(rubrique=rubrique, libelle="familles reçues", valeur=Decimal(90))
    BilanChiffre.objects.create(
        rubrique=rubrique, libelle="en séance", valeur=Decimal(35), parent=total, relation=RelationChiffre.PARTIE
    )
    partie = BilanChiffre.objects.create(
        rubrique=rubrique, libelle="à domicile", valeur=Decimal(50), parent=total, relation=RelationChiffre.PARTIE
    )
    return contrat, partie


@pytest.fixture
def agent():
    return UserFactory(username="agente-fictive")


def _suivi(contrat):
    (suivi,) = [s for s in suivi_des_constats(contrat) if s.constat.regle == "bilans.arithmetique"]
    return suivi


def _examiner(contrat, suivi, agent, commentaire="Écart expliqué : 5 familles suivies à distance."):
    return constat_examiner(
        contrat=contrat, cle=suivi.constat.cle, empreinte=suivi.constat.empreinte, commentaire=commentaire, user=agent
    )


def test_un_constat_nouveau_est_ouvert(dossier):
    contrat, _ = dossier
    suivi = _suivi(contrat)
    assert (suivi.etat, suivi.ouvert, suivi.examen) == (OUVERT, True, None)


def test_examiner_un_constat(dossier, agent):
    contrat, _ = dossier
    avant = _suivi(contrat)
    examen = _examiner(contrat, avant, agent)
    assert (examen.cle, examen.empreinte, examen.examine_par) == (avant.constat.cle, avant.constat.empreinte, agent)
    assert examen.commentaire == "Écart expliqué : 5 familles suivies à distance."
    apres = _suivi(contrat)
    assert (apres.etat, apres.ouvert, apres.examen) == (EXAMINE, False, examen)
    # Le seul constat de ce contrat : plus rien d'ouvert.
    assert [s.constat.regle for s in suivi_des_constats(contrat)] == ["bilans.arithmetique"]
    compte = decompte(suivi_des_constats(contrat))
    assert (compte["ouverts"], compte["examines"], compte["par_gravite"]["Erreur"]) == (0, 1, 0)


@pytest.mark.parametrize("commentaire", ["", "   ", None])
def test_un_examen_sans_commentaire_est_refuse(dossier, agent, commentaire):
    contrat, _ = dossier
    with pytest.raises(ValidationError, match="commentaire"):
        _examiner(contrat, _suivi(contrat), agent, commentaire=commentaire)
    assert not ExamenConstat.objects.filter(contrat=contrat).exists()
    assert not ExamenConstat.history.filter(contrat_id=contrat.pk).exists()
    assert _suivi(contrat).etat == OUVERT


def test_un_examen_d_une_autre_empreinte_est_refuse(dossier, agent):
    contrat, _ = dossier
    suivi = _suivi(contrat)
    with pytest.raises(ValidationError, match="a changé depuis l'affichage"):
        constat_examiner(
            contrat=contrat, cle=suivi.constat.cle, empreinte="0" * 64, commentaire="Vu en comité.", user=agent
        )
    with pytest.raises(ValidationError, match="n'existe plus"):
        constat_examiner(
            contrat=contrat, cle="bilans.arithmetique|ailleurs|", empreinte=suivi.constat.empreinte,
            commentaire="Vu en comité.", user=agent,
        )  # fmt: skip
    assert not ExamenConstat.objects.filter(contrat=contrat).exists()
    assert _suivi(contrat).etat == OUVERT


def test_un_constat_examine_dont_les_donnees_changent_est_a_revoir(dossier, agent):
    contrat, partie = dossier
    avant = _suivi(contrat)
    _examiner(contrat, avant, agent)
    partie.valeur = Decimal(52)  # toujours faux (35 + 52 ≠ 90), mais plus le même écart
    partie.save()
    apres = _suivi(contrat)
    assert apres.constat.cle == avant.constat.cle
    assert apres.constat.empreinte != avant.constat.empreinte
    assert (apres.etat, apres.ouvert) == (A_REVOIR, True)
    # Examiné de nouveau, sur les données nouvelles.
    _examiner(contrat, apres, agent, commentaire="Nouvel écart vérifié avec le service.")
    assert _suivi(contrat).etat == EXAMINE
    versions = ExamenConstat.history.filter(contrat_id=contrat.pk).order_by("history_id")
    assert list(versions.values_list("history_type", flat=True)) == ["+", "~"]


def test_un_constat_corrige_disparait_du_suivi(dossier, agent):
    contrat, partie = dossier
    _examiner(contrat, _suivi(contrat), agent)
    partie.valeur = Decimal(55)
    partie.save()
    assert not [s for s in suivi_des_constats(contrat) if s.constat.regle == "bilans.arithmetique"]


def test_rouvrir_un_constat_examine(dossier, agent):
    contrat, _ = dossier
    suivi = _suivi(contrat)
    _examiner(contrat, suivi, agent)
    constat_rouvrir(contrat=contrat, cle=suivi.constat.cle, user=agent, motif="Le comité veut en reparler.")
    assert _suivi(contrat).etat == OUVERT
    assert not ExamenConstat.objects.filter(contrat=contrat).exists()
    versions = ExamenConstat.history.filter(contrat_id=contrat.pk).order_by("history_id")
    assert [(v.history_type, v.history_user) for v in versions] == [("+", agent), ("-", agent)]
    assert versions[0].history_change_reason == "Écart expliqué : 5 familles suivies à distance."
    assert versions[1].history_change_reason == "Le comité veut en reparler."
    evenements = historique_des_examens(contrat)
    assert sorted(e.type for e in evenements) == ["examiné", "rouvert"]
    assert {e.motif for e in evenements} == {
        "Écart expliqué : 5 familles suivies à distance.",
        "Le comité veut en reparler.",
    }


def test_rouvrir_un_constat_sans_examen_est_refuse(dossier, agent):
    contrat, _ = dossier
    with pytest.raises(ValidationError, match="n'était pas examiné"):
        constat_rouvrir(contrat=contrat, cle=_suivi(contrat).constat.cle, user=agent)
