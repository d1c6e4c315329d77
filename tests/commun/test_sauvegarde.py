"""Sauvegarde → base vidée → restauration : les mêmes pages, le même historique, les PDF figés et les documents
déposés identiques octet pour octet (SHA-256). Une archive altérée est refusée sans rien écrire."""

import hashlib
import io
import tarfile

import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.urls import reverse

from actions.models import Action
from commun.sauvegarde import base_vider
from contrats.models import Contrat
from documents.enums import NatureDocument
from documents.models import Document
from documents.services import document_deposer
from rapports.models import VersionRapport
from tests.conftest import CLS
from tests.contrats.test_cache import sans_jeton
from tests.documents.fichiers import PDF, pdf
from tests.outils import client_pour, page

SCELLE = b"%PDF-1.7 rapport fige " + bytes(range(256))


def _liste() -> str:
    """La page des documents, au jeton CSRF et au temps de session restant près (propres à chaque requête)."""
    return sans_jeton(page(client_pour("metropole").get(reverse("documents:liste", args=[CLS]))))


@pytest.fixture
def archive(tmp_path):
    return tmp_path / "sauvegarde.tar.gz"


def _etat():
    contrat = Contrat.objects.get(slug=CLS)
    document = Document.objects.get(contrat=contrat)
    with default_storage.open(document.fichier.name, "rb") as fichier:
        octets = fichier.read()
    version = VersionRapport.objects.get(contrat=contrat)
    return {
        "document": (document.pk, document.nom, document.empreinte, hashlib.sha256(octets).hexdigest()),
        "pdf_fige": hashlib.sha256(bytes(version.pdf)).hexdigest(),
        "historique": sorted(Document.history.values_list("history_id", "history_type", "history_user__username")),
        # Aucune ligne d'historique ajoutée par le chargement (les relations plusieurs-à-plusieurs des actions).
        "historique_des_actions": sorted(Action.history.values_list("history_id", "id", "history_type")),
        "contrats": sorted(Contrat.objects.values_list("slug", "titre")),
    }


def test_aller_retour_avec_un_document_depose(archive, django_user_model):
    admin = django_user_model.objects.get(username="admin")
    contrat = Contrat.objects.get(slug=CLS)
    document = document_deposer(user=admin, contrat=contrat, fichier=pdf(), nature=NatureDocument.CONTRAT_SIGNE)
    VersionRapport.objects.create(
        contrat=contrat,
        type="mi_parcours",
        annee=2025,
        pdf=SCELLE,
        sha256=hashlib.sha256(SCELLE).hexdigest(),
        taille=len(SCELLE),
    )
    avant = _etat()
    liste = _liste()

    call_command("sauvegarder", str(archive), stdout=io.StringIO())
    # Tout disparaît : la base est vidée, le fichier effacé du stockage.
    default_storage.delete(document.fichier.name)
    base_vider()
    assert not Contrat.objects.exists() and not default_storage.exists(document.fichier.name)

    sortie = io.StringIO()
    call_command("restaurer", str(archive), stdout=sortie)
    assert "Restauration faite" in sortie.getvalue()
    assert _etat() == avant
    with default_storage.open(document.fichier.name, "rb") as fichier:
        assert fichier.read() == PDF
    assert _liste() == liste
    telechargement = client_pour("lecteur").get(reverse("documents:telecharger", args=[CLS, document.pk]))
    assert b"".join(telechargement.streaming_content) == PDF


def test_une_base_non_vide_n_est_remplacee_que_sur_demande(archive):
    call_command("sauvegarder", str(archive), stdout=io.StringIO())
    with pytest.raises(CommandError, match="la base n'est pas vide : relancez avec --remplacer"):
        call_command("restaurer", str(archive))
    Contrat.objects.filter(slug=CLS).update(titre="Modifié après la sauvegarde")
    call_command("restaurer", str(archive), remplacer=True, stdout=io.StringIO())
    assert Contrat.objects.get(slug=CLS).titre != "Modifié après la sauvegarde"


def test_une_archive_alteree_est_refusee_sans_rien_ecrire(archive, tmp_path, django_user_model):
    admin = django_user_model.objects.get(username="admin")
    document_deposer(user=admin, contrat=Contrat.objects.get(slug=CLS), fichier=pdf(), nature="contrat_signe")
    call_command("sauvegarder", str(archive), stdout=io.StringIO())
    alteree = tmp_path / "alteree.tar.gz"
    with tarfile.open(archive, "r:gz") as source, tarfile.open(alteree, "w:gz") as cible:
        for membre in source.getmembers():
            donnees = source.extractfile(membre).read()
            if membre.name.startswith("fichiers/"):
                donnees = donnees.replace(b"PDF", b"XXX")
            cible.addfile(membre, io.BytesIO(donnees))
    Contrat.objects.filter(slug=CLS).update(titre="Gardé")
    with pytest.raises(CommandError, match="ne correspond pas à son empreinte : archive altérée"):
        call_command("restaurer", str(alteree), remplacer=True)
    assert Contrat.objects.get(slug=CLS).titre == "Gardé"


@pytest.mark.parametrize("par_l_orm", [False, True], ids=["vidage", "suppressions-une-a-une"])
def test_la_restauration_ne_perd_aucun_fichier(
    archive, django_user_model, django_capture_on_commit_callbacks, monkeypatch, par_l_orm
):
    """Le fichier d'un document supprimé est effacé une fois la suppression validée (commun/stockage.py) ; la
    restauration, qui remplace la base et remet les fichiers de l'archive, n'en perd aucun — même si le vidage de la
    base supprimait les documents un à un (signal de suppression compris)."""
    admin = django_user_model.objects.get(username="admin")
    document = document_deposer(user=admin, contrat=Contrat.objects.get(slug=CLS), fichier=pdf(), nature="avenant")
    call_command("sauvegarder", str(archive), stdout=io.StringIO())
    if par_l_orm:
        vider = base_vider

        def vider_document_par_document():
            Document.objects.all().delete()
            vider()

        monkeypatch.setattr("commun.sauvegarde.base_vider", vider_document_par_document)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("restaurer", str(archive), remplacer=True, stdout=io.StringIO())
    assert Document.objects.get().pk == document.pk
    with default_storage.open(document.fichier.name, "rb") as fichier:
        assert fichier.read() == PDF
