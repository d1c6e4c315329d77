"""Un fichier envoyé est refusé dès qu'il dépasse la limite de sa page, même sur une page qui n'en déclare pas ;
le fichier refusé n'est jamais pris pour un fichier reçu, par aucun champ de formulaire."""

import pytest
from django import forms
from django.core.files.uploadedfile import InMemoryUploadedFile, SimpleUploadedFile
from django.test import RequestFactory
from django.urls import reverse

from commun.forms import FichierEnvoyeField
from commun.televersement import TeleversementRefuse, limite_de_la_requete
from tests.conftest import CLS


def _requete(chemin: str, octets: int):
    fichier = SimpleUploadedFile("lourd.bin", b"x" * octets)
    return RequestFactory().post(chemin, {"titre": "gardé", "fichier": fichier, "apres": "gardé aussi"})


def test_une_page_sans_limite_declaree_a_celle_d_un_document(settings):
    settings.DOCUMENTS_TAILLE_MAX_MO = 1
    requete = _requete("/adresse-inconnue/", 1024 * 1024 + 1)
    refus = requete.FILES["fichier"]
    assert isinstance(refus, TeleversementRefuse)
    assert refus.message == "« lourd.bin » pèse plus de 1 Mo : la taille maximale d'un fichier est de 1 Mo."
    # Les champs du formulaire, avant comme après le fichier, sont reçus.
    assert (requete.POST["titre"], requete.POST["apres"]) == ("gardé", "gardé aussi")
    assert isinstance(_requete("/adresse-inconnue/", 1024 * 1024).FILES["fichier"], InMemoryUploadedFile)


@pytest.mark.parametrize(
    ("adresse", "arguments", "limite"),
    [
        ("documents:liste", [CLS], "document de 20 Mo"),
        ("evaluation:piece", [CLS, "1"], "document de 20 Mo"),
        ("finances:import", [CLS], "classeur de 2 Mo"),
        ("creation:annexe", [], "classeur de 2 Mo"),
    ],
)
def test_chaque_page_de_depot_declare_sa_limite(settings, adresse, arguments, limite):
    settings.DOCUMENTS_TAILLE_MAX_MO = 20
    declaree = limite_de_la_requete(RequestFactory().post(reverse(adresse, args=arguments)))
    assert f"{declaree.quoi} de {declaree.valeur() // (1024 * 1024)} Mo" == limite


class Formulaire(forms.Form):
    envoye = FichierEnvoyeField(allow_empty_file=True)
    ordinaire = forms.FileField(allow_empty_file=True)


def test_le_fichier_refuse_n_est_accepte_par_aucun_champ(settings):
    settings.DOCUMENTS_TAILLE_MAX_MO = 1
    requete = RequestFactory().post(
        "/adresse-inconnue/",
        {
            "envoye": SimpleUploadedFile("a.pdf", b"x" * (1024 * 1024 + 1)),
            "ordinaire": SimpleUploadedFile("b.pdf", b"x" * (1024 * 1024 + 1)),
        },
    )
    form = Formulaire(requete.POST, requete.FILES)
    assert not form.is_valid()
    assert form.errors["envoye"] == ["« a.pdf » pèse plus de 1 Mo : la taille maximale d'un fichier est de 1 Mo."]
    assert form.errors.as_data()["ordinaire"][0].code == "invalid"  # « aucun fichier n'a été soumis »
