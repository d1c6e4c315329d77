"""Le fichier d'un document supprimé — par la page des documents, en cascade avec son contrat ou son action, depuis
l'administration — est effacé du stockage, une fois la suppression validée ; jamais quand la transaction est annulée,
ni pendant la restauration d'une sauvegarde."""

import pytest
from django.apps import apps
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.urls import reverse
from simple_history.models import HistoricalChanges

from actions.models import Action
from commun.stockage import MODELES, nettoyage_suspendu
from contrats.models import Contrat
from documents.enums import NatureDocument
from documents.models import Document
from documents.services import document_deposer
from tests.actions.factories import ActionFactory
from tests.conftest import CLS
from tests.contrats.factories import ContratFactory
from tests.documents.fichiers import pdf
from tests.outils import client_pour


@pytest.fixture
def valide(django_capture_on_commit_callbacks):
    """Le bloc est une transaction validée : ce qui attend la validation (`on_commit`) s'exécute à sa sortie."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def admin(django_user_model):
    return django_user_model.objects.get(username="admin")


@pytest.fixture
def contrat():
    """Un contrat qui peut être supprimé : ses actions ne sont rangées dans aucun axe (un axe qui a des actions, une
    délibération protègent le contrat)."""
    contrat = ContratFactory()
    ActionFactory(contrat=contrat, axe=None)
    return contrat


@pytest.fixture
def cls():
    return Contrat.objects.get(slug=CLS)


def _deposer(admin, contrat, **kwargs) -> str:
    kwargs.setdefault("nature", NatureDocument.CONTRAT_SIGNE)
    document = document_deposer(user=admin, contrat=contrat, fichier=pdf(), **kwargs)
    assert default_storage.exists(document.fichier.name)
    return document.fichier.name


def _piece(admin, action) -> str:
    return _deposer(admin, action.contrat, action=action, nature=NatureDocument.PIECE_JUSTIFICATIVE)


def test_la_suppression_d_un_contrat_efface_les_fichiers_de_ses_documents_une_fois_validee(valide, admin, contrat):
    chemins, pk = [_deposer(admin, contrat), _piece(admin, contrat.actions.get())], contrat.pk
    with valide():
        contrat.delete()
        # Tant que la transaction n'est pas validée, les fichiers restent.
        assert all(default_storage.exists(chemin) for chemin in chemins)
    assert not Document.objects.filter(contrat_id=pk).exists()
    assert not any(default_storage.exists(chemin) for chemin in chemins)


def test_la_suppression_d_un_contrat_depuis_l_administration(valide, admin, contrat):
    chemins = [_deposer(admin, contrat), _piece(admin, contrat.actions.get())]
    with valide():
        reponse = client_pour("admin").post(
            reverse("admin:contrats_contrat_delete", args=[contrat.pk]), {"post": "yes"}
        )
    assert reponse.status_code == 302 and not Contrat.objects.filter(pk=contrat.pk).exists()
    assert not any(default_storage.exists(chemin) for chemin in chemins)


def test_la_suppression_d_une_action_efface_ses_pieces(valide, admin, cls):
    action = Action.objects.filter(contrat=cls).first()
    piece, autre = _piece(admin, action), _deposer(admin, cls)
    with valide():
        action.delete()
    assert not default_storage.exists(piece)
    assert default_storage.exists(autre)  # le contrat signé n'est pas une pièce de l'action


def test_la_suppression_depuis_la_page_des_documents(valide, admin, cls):
    chemin = _deposer(admin, cls)
    with valide():
        reponse = client_pour("secretariat").post(
            reverse("documents:supprimer", args=[CLS, Document.objects.get().pk])
        )
    assert reponse.status_code == 302 and not default_storage.exists(chemin)


class Annulation(Exception):
    pass


def test_une_transaction_annulee_n_efface_rien(valide, admin, contrat):
    chemin, pk = _deposer(admin, contrat), contrat.pk
    with valide(), pytest.raises(Annulation), transaction.atomic():
        contrat.delete()
        raise Annulation
    assert Document.objects.filter(contrat_id=pk).exists()
    assert default_storage.exists(chemin)


def test_rien_n_est_efface_pendant_que_le_nettoyage_est_suspendu(valide, admin, cls):
    chemin = _deposer(admin, cls)
    with valide(), nettoyage_suspendu():
        Document.objects.all().delete()
    assert default_storage.exists(chemin)
    with valide():
        document = document_deposer(user=admin, contrat=cls, fichier=pdf(), nature=NatureDocument.AVENANT)
        document.delete()
    assert not default_storage.exists(document.fichier.name)  # le nettoyage reprend à la sortie du bloc


def test_tout_modele_qui_range_des_fichiers_est_nettoye():
    """Un FileField ajouté plus tard sans `fichiers_nettoyer` laisserait ses fichiers sur le disque."""
    avec_fichiers = {
        modele
        for modele in apps.get_models()
        if not issubclass(modele, HistoricalChanges)
        and any(isinstance(champ, models.FileField) for champ in modele._meta.concrete_fields)
    }
    assert avec_fichiers == MODELES == {Document}
