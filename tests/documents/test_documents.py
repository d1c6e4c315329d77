"""Documents d'un contrat : dépôt (type vérifié par l'extension et le contenu, taille maximale), liste (qui, quand,
taille), téléchargement contrôlé par les droits, suppression après confirmation, historique."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import MemoryFileUploadHandler, TemporaryFileUploadHandler
from django.urls import reverse

from commun.sauvegarde import fichiers_stockes
from contrats.models import Contrat
from documents.enums import NatureDocument
from documents.models import Document
from documents.services import document_deposer
from tests.conftest import CALPAE, CLS
from tests.documents.fichiers import PDF, doc, docx, odt, pdf
from tests.outils import page


def deposer(client, slug=CLS, fichier=None, nature=NatureDocument.CONTRAT_SIGNE, titre="Contrat signé"):
    return client.post(
        reverse("documents:liste", args=[slug]),
        {"nature": nature, "titre": titre, "fichier": fichier or pdf()},
    )


def test_depot_puis_liste_avec_auteur_date_et_taille_puis_telechargement(connecte):
    client = connecte("metropole")
    reponse = deposer(client)
    assert reponse.status_code == 302
    document = Document.objects.get(contrat__slug=CLS)
    assert (document.nom, document.taille, document.type_mime) == ("contrat-signe.pdf", len(PDF), "application/pdf")
    assert document.fichier.name.startswith(f"contrats/{document.contrat_id}/documents/")
    texte = page(client.get(reverse("documents:liste", args=[CLS])))
    assert "Contrat signé" in texte and "Paul Exemple, Dijon métropole" in texte and f"{len(PDF)} octets" in texte
    # Toute partie le télécharge, octet pour octet, en pièce jointe et jamais mis en cache.
    reponse = connecte("lecteur").get(reverse("documents:telecharger", args=[CLS, document.pk]))
    assert reponse.status_code == 200 and b"".join(reponse.streaming_content) == PDF
    assert reponse["Content-Disposition"] == 'attachment; filename="contrat-signe.pdf"'
    assert "no-store" in reponse["Cache-Control"]
    # Le dépôt est dans l'historique, avec son auteur.
    assert Document.history.filter(id=document.pk, history_type="+").get().history_user.username == "metropole"


@pytest.mark.parametrize(
    "fichier", [docx(), odt(), doc(), odt("tableau.ods", "application/vnd.oasis.opendocument.spreadsheet")]
)
def test_les_formats_bureautiques_courants_sont_acceptes(connecte, fichier):
    assert deposer(connecte("ddets"), fichier=fichier, nature=NatureDocument.AVENANT).status_code == 302
    assert Document.objects.filter(contrat__slug=CLS, nom=fichier.name).exists()


@pytest.mark.parametrize(
    ("fichier", "message"),
    [
        (SimpleUploadedFile("virus.exe", b"MZ\x90\x00"), "« virus.exe » : ce type de fichier n'est pas accepté"),
        (SimpleUploadedFile("photo.pdf", b"\x89PNG\r\n\x1a\n"), "« photo.pdf » n'est pas un fichier PDF valide"),
        (SimpleUploadedFile("faux.docx", PDF), "« faux.docx » n'est pas un fichier Word valide"),
        (odt("faux.ods"), "« faux.ods » n'est pas un fichier tableur OpenDocument valide"),
        (SimpleUploadedFile("vide.pdf", b""), "« vide.pdf » est vide."),
    ],
)
def test_un_fichier_refuse_l_est_en_francais_et_rien_n_est_ecrit(connecte, fichier, message):
    reponse = deposer(connecte("metropole"), fichier=fichier)
    assert reponse.status_code == 200 and message in page(reponse)
    assert not Document.objects.exists()


def _stockes() -> list[str]:
    return fichiers_stockes(default_storage, "contrats")


def _a_la_taille(octets: int, nom: str = "gros.pdf"):
    return pdf(nom, PDF + b"0" * (octets - len(PDF)))


def test_un_document_a_la_taille_maximale_passe(connecte, settings):
    settings.DOCUMENTS_TAILLE_MAX_MO = 1
    assert deposer(connecte("metropole"), fichier=_a_la_taille(1024 * 1024)).status_code == 302
    assert Document.objects.get().taille == 1024 * 1024


def test_un_document_trop_lourd_est_refuse_des_l_envoi_et_le_formulaire_re_affiche(connecte, settings):
    """Un octet de trop : le serveur cesse de transmettre le fichier, la page répond en français, le titre saisi est
    gardé, rien n'est écrit."""
    settings.DOCUMENTS_TAILLE_MAX_MO = 1
    avant = _stockes()
    reponse = deposer(connecte("metropole"), fichier=_a_la_taille(1024 * 1024 + 1), titre="Avenant n° 2")
    assert reponse.status_code == 200
    texte = page(reponse)
    assert "« gros.pdf » pèse plus de 1 Mo : la taille maximale d'un document est de 1 Mo." in texte
    assert 'value="Avenant n° 2"' in texte and "Déposer un document" in texte
    assert not Document.objects.exists() and _stockes() == avant


@pytest.fixture
def gestionnaires(monkeypatch):
    """Ce que reçoivent les gestionnaires qui gardent les fichiers (mémoire, fichier temporaire) : octets reçus par
    chacun, et les gestionnaires de fichiers temporaires."""
    recu = {MemoryFileUploadHandler: 0, TemporaryFileUploadHandler: 0, "temporaires": []}
    for classe in (MemoryFileUploadHandler, TemporaryFileUploadHandler):
        origine = classe.receive_data_chunk

        def espion(self, raw_data, start, origine=origine, classe=classe):
            recu[classe] += len(raw_data)
            if isinstance(self, TemporaryFileUploadHandler) and self not in recu["temporaires"]:
                recu["temporaires"].append(self)
            return origine(self, raw_data, start)

        monkeypatch.setattr(classe, "receive_data_chunk", espion)
    return recu


def test_une_requete_trop_longue_est_refusee_avant_le_premier_octet_du_fichier(connecte, settings, gestionnaires):
    """La longueur annoncée dépasse la limite plus la marge des champs : aucun octet n'est gardé."""
    settings.DOCUMENTS_TAILLE_MAX_MO = 1
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    reponse = deposer(connecte("metropole"), fichier=_a_la_taille(3 * 1024 * 1024))
    assert "« gros.pdf » pèse plus de 1 Mo : la taille maximale d'un document est de 1 Mo." in page(reponse)
    assert gestionnaires[MemoryFileUploadHandler] == gestionnaires[TemporaryFileUploadHandler] == 0
    assert not Document.objects.exists()


def test_un_fichier_trop_lourd_cesse_d_etre_recu_a_la_limite(connecte, settings, gestionnaires, tmp_path):
    """Sous la longueur qui le trahit d'emblée, le fichier est compté au passage : le fichier temporaire ne reçoit
    pas plus que la limite, et il est effacé dès le refus."""
    settings.DOCUMENTS_TAILLE_MAX_MO = 1
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0  # tout fichier passe par un fichier temporaire
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    reponse = deposer(connecte("metropole"), fichier=_a_la_taille(1024 * 1024 + 100_000))
    assert "pèse plus de 1 Mo" in page(reponse)
    assert 0 < gestionnaires[TemporaryFileUploadHandler] <= 1024 * 1024
    (temporaire,) = gestionnaires["temporaires"]
    assert temporaire.file.closed and not list(tmp_path.iterdir())
    assert not Document.objects.exists()


def test_la_taille_verifiee_aussi_sans_formulaire(django_user_model, settings):
    """Le service vérifie encore la taille d'un fichier qui ne passe pas par une page (commande, code)."""
    settings.DOCUMENTS_TAILLE_MAX_MO = 1
    admin = django_user_model.objects.get(username="admin")
    with pytest.raises(ValidationError, match="« gros.pdf » pèse 1 Mo : la taille maximale d'un document est de 1 Mo"):
        document_deposer(
            user=admin, contrat=Contrat.objects.get(slug=CLS), fichier=_a_la_taille(1024 * 1024 + 1),
            nature=NatureDocument.CONTRAT_SIGNE,
        )  # fmt: skip


def test_telechargement_refuse_hors_du_contrat(connecte):
    deposer(connecte("metropole"))
    document = Document.objects.get()
    url = reverse("documents:telecharger", args=[CLS, document.pk])
    assert connecte("autre-territoire").get(url).status_code == 404
    # Le lecteur voit le CLS, pas la CALPAE : le document n'est pas joignable par l'adresse d'un autre contrat.
    assert connecte("lecteur").get(reverse("documents:telecharger", args=[CALPAE, document.pk])).status_code == 404
    assert connecte("metropole").get(reverse("documents:telecharger", args=[CALPAE, document.pk])).status_code == 404


def test_aucune_adresse_publique_des_fichiers(settings, client):
    assert not settings.MEDIA_URL or settings.MEDIA_URL == "/"  # aucun MEDIA_URL : rien n'est servi directement
    deposer(client.__class__())  # anonyme : renvoyé à la connexion, rien de déposé
    assert not Document.objects.exists()


def test_suppression_confirmee_par_un_role_qui_ecrit(connecte):
    deposer(connecte("metropole"))
    document = Document.objects.get()
    url = reverse("documents:supprimer", args=[CLS, document.pk])
    assert connecte("lecteur").post(url).status_code == 403
    client = connecte("secretariat")
    confirmation = client.get(url)
    assert confirmation.status_code == 200 and "Supprimer le document « Contrat signé » ?" in page(confirmation)
    assert Document.objects.exists()  # la page de confirmation ne supprime rien
    assert client.post(url).status_code == 302
    assert not Document.objects.exists()
    suppression = Document.history.get(id=document.pk, history_type="-")
    assert suppression.history_user.username == "secretariat"
    historique = page(client.get(reverse("pilotage:historique", args=[CLS])))
    assert "Contrat signé « Contrat signé »" in historique and "supprimé (contrat-signe.pdf)" in historique


def test_depot_refuse_aux_roles_qui_lisent(connecte):
    for role in ("lecteur", "national", "region"):
        assert deposer(connecte(role)).status_code == 403, role
    assert not Document.objects.exists()


def test_un_contrat_clos_refuse_le_depot(connecte, monkeypatch):
    monkeypatch.setattr(Contrat, "clos", property(lambda self: True))
    monkeypatch.setattr(Contrat, "message_clos", property(lambda self: "Ce contrat est clos."))
    reponse = deposer(connecte("metropole"))
    assert reponse.status_code == 403
    assert not Document.objects.exists()
