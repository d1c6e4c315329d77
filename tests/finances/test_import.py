"""Import Excel de l'exécution et des indicateurs : modèle, aperçu, confirmation tout ou rien, refus clairs en
français de chaque fichier fautif du corpus, droits, commande de gestion, nombre de requêtes."""

import re
from decimal import Decimal
from io import BytesIO, StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from actions.models import Action
from finances.enums import Financeur
from finances.imports.fichier import TAILLE_MAX
from finances.imports.modele import (
    COLONNES_EXECUTION,
    COLONNES_INDICATEURS,
    FEUILLE_EXECUTION,
    FEUILLE_INDICATEURS,
    classeur_modele,
)
from finances.models import Execution
from finances.selectors import lignes_en_vigueur
from finances.views import CLE_SESSION
from indicateurs.enums import StatutSuivi
from indicateurs.models import Indicateur, Realisation, SuiviAnnuel
from indicateurs.services import Valeur, saisie_enregistrer, suivi_changer_statut, suivi_obtenir
from tests.conftest import CALPAE, CLS, CONTRAT_DE_VILLE
from tests.finances.corpus import (
    CORPUS,
    contrat,
    execution,
    indicateur_cls,
    indicateurs,
    ligne_execution,
    ligne_indicateur,
    octets,
    remplir,
)
from tests.indicateurs.factories import IndicateurFactory
from tests.outils import classeur_a_la_taille, page, requetes_exactes

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def sans_balises(reponse) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", page(reponse)).split())


def envoyer(client, donnees: bytes, type_import: str, slug: str = CLS, nom: str = "import.xlsx"):
    return client.post(
        reverse("finances:import", args=[slug]),
        {"type": type_import, "fichier": SimpleUploadedFile(nom, donnees, content_type=XLSX)},
    )


def confirmer(client, apercu, slug: str = CLS):
    empreinte = apercu.context["analyse"].empreinte
    return client.post(reverse("finances:import", args=[slug]), {"etape": "confirmer", "empreinte": empreinte})


def etat_base():
    """Tout ce qu'un import pourrait écrire : valeurs, statuts et versions, historiques."""
    return (
        sorted(Execution.objects.values_list("action_id", "annee", "financeur", "engage", "realise", "justification")),
        sorted(Realisation.objects.values_list("indicateur_id", "annee", "valeur", "commentaire")),
        sorted(SuiviAnnuel.objects.values_list("contrat_id", "annee", "statut", "version")),
        Execution.history.count(),
        Realisation.history.count(),
        SuiviAnnuel.history.count(),
    )


def utilisateur(identifiant):
    return get_user_model().objects.get(username=identifiant)


@pytest.fixture
def cls():
    return contrat(CLS)


@pytest.fixture
def existantes(cls):
    """Des valeurs déjà saisies : un import refusé ne doit ni les écraser ni en ajouter."""
    action = Action.objects.get(contrat=cls, numero="3")
    Execution.objects.create(
        action=action, annee=2025, financeur=Financeur.ETAT, engage=Decimal("800"), realise=Decimal("400")
    )
    Realisation.objects.create(indicateur=indicateur_cls(), annee=2025, valeur=Decimal("5"), commentaire="T1")


# --- Corpus de fichiers fautifs --------------------------------------------------------------------------------


def test_le_corpus_compte_au_moins_30_fichiers_fautifs():
    assert len(CORPUS) >= 30
    assert Action.objects.filter(contrat__slug=CALPAE, numero="1.1").exists()  # cas « action d'un autre contrat »
    assert not Action.objects.filter(contrat__slug=CLS, numero="1.1").exists()


# Le classeur de plus de 2 Mo est refusé dès l'envoi, par le formulaire (plus bas) ; la commande le refuse aussi.
@pytest.mark.parametrize("cas", [c for c in CORPUS if c.nom != "plus_de_2_mo"], ids=lambda cas: cas.nom)
def test_fichier_fautif_refuse_en_francais_sans_rien_ecrire(connecte, existantes, cas):
    if cas.preparer:
        cas.preparer()
    donnees = cas.fabrique()
    avant = etat_base()
    client = connecte(cas.compte)

    reponse = envoyer(client, donnees, cas.type_import)

    assert reponse.status_code == 200
    texte = page(reponse)
    assert cas.message in texte
    assert "rien ne sera importé" in texte
    assert "Confirmer l'import" not in texte
    assert CLE_SESSION not in client.session
    # Même en forçant une confirmation, rien n'est écrit : aucun aperçu n'est en attente.
    empreinte = reponse.context["analyse"].empreinte
    client.post(reverse("finances:import", args=[CLS]), {"etape": "confirmer", "empreinte": empreinte})
    assert etat_base() == avant


@pytest.mark.parametrize(("type_import", "compte"), [("execution", "finances"), ("indicateurs", "metropole")])
def test_un_classeur_de_plus_de_2_mo_est_refuse_des_l_envoi(connecte, existantes, type_import, compte):
    """Un octet de trop : le serveur cesse de recevoir le fichier, le formulaire revient avec le message."""
    avant = etat_base()
    client = connecte(compte)
    donnees = classeur_a_la_taille(execution(ligne_execution()), TAILLE_MAX + 1)
    reponse = envoyer(client, donnees, type_import, nom="lourd.xlsx")
    assert reponse.status_code == 200
    texte = page(reponse)
    assert "« lourd.xlsx » pèse plus de 2 Mo : la taille maximale d'un classeur est de 2 Mo." in texte
    assert "Vérifier le fichier" in texte and re.search(f'value="{type_import}"[^>]* checked>', texte)
    assert CLE_SESSION not in client.session
    assert etat_base() == avant


def test_un_classeur_de_2_mo_tout_juste_est_lu(connecte, existantes):
    donnees = classeur_a_la_taille(execution(ligne_execution(engage=1200)), TAILLE_MAX)
    texte = sans_balises(envoyer(connecte("finances"), donnees, "execution"))
    assert "pèse plus de" not in texte and "1 ligne(s) à écrire" in texte and "Confirmer l'import" in texte


def test_chaque_erreur_est_listee_avec_sa_cellule(connecte, cls):
    donnees = execution(
        ligne_execution(engage="abc", realise=-1),
        ligne_execution(action="99", annee=2031, financeur="Région"),
    )
    texte = page(envoyer(connecte("finances"), donnees, "execution"))
    for reference, message in [
        ("Exécution!D6", "« abc » n'est pas un montant valide"),
        ("Exécution!E6", "Un montant ne peut pas être négatif."),
        ("Exécution!A7", "L'action « 99 » n'existe pas dans ce contrat"),
        ("Exécution!B7", "L'année 2031 est hors de la période du contrat (2024-2027)."),
        ("Exécution!C7", "Financeur « Région » inconnu"),
    ]:
        assert re.search(rf"<code>{reference}</code></td><td>{re.escape(message)}", texte), reference
    assert "5 erreur(s) : rien ne sera importé." in texte


# --- Modèle ------------------------------------------------------------------------------------------------------


def test_modele_pre_rempli_des_lignes_en_vigueur_et_des_valeurs_saisies(connecte, cls, existantes):
    reponse = connecte("finances").get(reverse("finances:modele", args=[CLS]))
    assert reponse.status_code == 200
    assert reponse["Content-Type"] == XLSX
    classeur = load_workbook(BytesIO(reponse.content))
    assert classeur.sheetnames == [FEUILLE_EXECUTION, FEUILLE_INDICATEURS]

    feuille = classeur[FEUILLE_EXECUTION]
    assert [c.value for c in feuille[5]] == COLONNES_EXECUTION
    assert feuille["A2"].value == cls.titre
    lignes = [tuple(c.value for c in rangee) for rangee in feuille.iter_rows(min_row=6)]
    assert len(lignes) == len(lignes_en_vigueur(cls)) == 64
    assert ("3", 2025, "État", Decimal("800"), Decimal("400"), None) in [
        (a, b, c, Decimal(str(d)) if d is not None else None, Decimal(str(e)) if e is not None else None, f)
        for a, b, c, d, e, f in lignes
    ]
    assert {ligne[2] for ligne in lignes} == {"État", "Collectivité"}
    assert lignes[0][:3] == ("1", 2024, "État")

    feuille = classeur[FEUILLE_INDICATEURS]
    assert [c.value for c in feuille[5]] == COLONNES_INDICATEURS
    lignes = [tuple(c.value for c in rangee) for rangee in feuille.iter_rows(min_row=6)]
    assert len(lignes) == 11 * 4  # 11 indicateurs × 4 années du CLS
    indicateur = indicateur_cls()
    assert (indicateur.pk, indicateur.action.numero, indicateur.libelle, 2025, 5, "T1") in lignes


def test_modele_du_fichier_telecharge_reimporte_tel_quel_ne_change_rien(connecte, existantes):
    client = connecte("finances")
    modele = client.get(reverse("finances:modele", args=[CLS])).content
    avant = etat_base()
    reponse = envoyer(client, modele, "execution")
    texte = page(reponse)
    assert "Rien à importer" in texte
    assert "0 ligne(s) à écrire, 1 ligne(s) inchangée(s), 63 ligne(s) vide(s) ignorée(s)" in texte
    assert "Confirmer l'import" not in texte
    assert etat_base() == avant


# --- De bout en bout ---------------------------------------------------------------------------------------------


def test_import_de_l_execution_de_bout_en_bout(connecte, cls, existantes):
    client = connecte("finances")
    classeur = load_workbook(BytesIO(client.get(reverse("finances:modele", args=[CLS])).content))
    feuille = classeur[FEUILLE_EXECUTION]
    rangees = {(r[0].value, r[1].value, r[2].value): r for r in feuille.iter_rows(min_row=6)}
    # Une ligne existante corrigée, une nouvelle en nombres, une nouvelle en texte à la française.
    rangees[("3", 2025, "État")][3].value = 900
    rangees[("1", 2024, "État")][3].value = 12000
    rangees[("1", 2024, "État")][4].value = 10500.5
    rangees[("1", 2024, "Collectivité")][3].value = "12 500,50"
    rangees[("1", 2024, "Collectivité")][4].value = "0"
    rangees[("1", 2024, "Collectivité")][5].value = "Recrutement décalé au second semestre."
    avant = Execution.objects.count()

    apercu = envoyer(client, octets(classeur), "execution", nom="execution 2024.xlsx")
    texte = sans_balises(apercu)
    assert apercu.status_code == 200
    assert "3 ligne(s) à écrire" in texte
    assert "800 € → 900 €" in texte
    assert "12 500,50 €" in texte and "10 500,50 €" in texte
    assert "Recrutement décalé au second semestre." in texte
    assert "Confirmer l'import" in texte
    assert Execution.objects.count() == avant  # rien n'est écrit à l'aperçu
    en_attente = client.session[CLE_SESSION]
    assert en_attente["contrat"] == cls.pk and en_attente["type"] == "execution"
    assert len(en_attente["empreinte"]) == 64
    assert {
        (ligne["action"], ligne["annee"], ligne["financeur"]): ligne["engage"] for ligne in en_attente["lignes"]
    } == {
        ("1", 2024, "etat"): "12000",
        ("1", 2024, "collectivite"): "12500.50",
        ("3", 2025, "etat"): "900",
    }

    reponse = client.post(
        reverse("finances:import", args=[CLS]),
        {"etape": "confirmer", "empreinte": en_attente["empreinte"]},
        follow=True,
    )
    assert "Import de « execution 2024.xlsx » terminé : 3 ligne(s) enregistrée(s)." in page(reponse)
    assert CLE_SESSION not in client.session
    assert Execution.objects.count() == avant + 2
    ligne = Execution.objects.get(action__contrat=cls, action__numero="1", annee=2024, financeur="collectivite")
    assert (ligne.engage, ligne.realise) == (Decimal("12500.50"), Decimal("0"))
    assert ligne.justification == "Recrutement décalé au second semestre."
    corrigee = Execution.objects.get(action__contrat=cls, action__numero="3", annee=2025, financeur="etat")
    assert (corrigee.engage, corrigee.realise) == (Decimal("900"), Decimal("400"))
    for execution_ecrite in (ligne, corrigee):
        historique = execution_ecrite.history.first()
        assert historique.history_user.username == "finances"
        assert historique.history_change_reason == "Import Excel"


def test_import_des_indicateurs_de_bout_en_bout(connecte, cls, existantes):
    client = connecte("metropole")
    classeur = load_workbook(BytesIO(client.get(reverse("finances:modele", args=[CLS])).content))
    feuille = classeur[FEUILLE_INDICATEURS]
    rangees = {(r[0].value, r[3].value): r for r in feuille.iter_rows(min_row=6)}
    premier, second = indicateur_cls(0), indicateur_cls(1)
    rangees[(premier.pk, 2025)][4].value = 42
    rangees[(premier.pk, 2025)][5].value = "Chiffre du bilan d'activité."
    rangees[(second.pk, 2024)][4].value = "1 250"
    rangees[(second.pk, 2026)][5].value = "Pas encore de données."

    apercu = envoyer(client, octets(classeur), "indicateurs")
    texte = sans_balises(apercu)
    assert "3 ligne(s) à écrire" in texte
    assert "5 → 42" in texte and "1 250" in texte
    assert client.session[CLE_SESSION]["versions"] == {"2024": 1, "2025": 1, "2026": 1}
    assert Realisation.objects.filter(indicateur__action__contrat=cls).count() == 1

    reponse = confirmer(client, apercu)
    assert reponse.status_code == 302
    valeur = Realisation.objects.get(indicateur=premier, annee=2025)
    assert (valeur.valeur, valeur.commentaire) == (Decimal("42"), "Chiffre du bilan d'activité.")
    assert Realisation.objects.get(indicateur=second, annee=2024).valeur == Decimal("1250")
    commentaire_seul = Realisation.objects.get(indicateur=second, annee=2026)
    assert (commentaire_seul.valeur, commentaire_seul.commentaire) == (None, "Pas encore de données.")
    assert valeur.history.first().history_user.username == "metropole"
    versions = dict(SuiviAnnuel.objects.filter(contrat=cls).values_list("annee", "version"))
    assert versions == {2024: 2, 2025: 2, 2026: 2}  # une saisie par année, verrou optimiste compris


def test_confirmation_refusee_si_l_annee_est_validee_entre_temps(connecte, cls):
    client = connecte("metropole")
    apercu = envoyer(client, indicateurs(ligne_indicateur(annee=2025, valeur=30)), "indicateurs")
    assert "Confirmer l'import" in page(apercu)

    suivi = suivi_obtenir(contrat=cls, annee=2025)
    suivi = suivi_changer_statut(user=utilisateur("metropole"), suivi=suivi, version=1, transition="soumettre")
    suivi_changer_statut(user=utilisateur("ddets"), suivi=suivi, version=suivi.version, transition="valider")
    avant = etat_base()

    reponse = confirmer(client, apercu)
    texte = page(reponse)
    assert reponse.status_code == 200
    assert "Import refusé à la confirmation : rien n'a été importé." in texte
    assert "L'année 2025 a été validée par Claire Démo, DDETS de la Côte-d'Or" in texte
    assert "Ses lignes ne peuvent plus être importées : envoyez de nouveau le fichier" in texte
    assert "Confirmer l'import" not in texte
    assert etat_base() == avant
    assert not Realisation.objects.filter(indicateur=indicateur_cls(), annee=2025).exists()


def test_confirmation_refusee_si_quelqu_un_a_saisi_l_annee_entre_temps(connecte, cls):
    client = connecte("metropole")
    apercu = envoyer(
        client,
        indicateurs(ligne_indicateur(annee=2024, valeur=7), ligne_indicateur(annee=2025, valeur=30)),
        "indicateurs",
    )
    saisie_enregistrer(
        user=utilisateur("admin"),
        suivi=suivi_obtenir(contrat=cls, annee=2025),
        version=1,
        valeurs={indicateur_cls(1): Valeur(Decimal("3"))},
        recits={},
    )
    avant = etat_base()

    texte = page(confirmer(client, apercu))
    assert "Les valeurs de 2025 ont été modifiées depuis l'aperçu par Adèle Prototype, Dijon métropole" in texte
    assert etat_base() == avant  # 2024 n'est pas écrite non plus : tout ou rien


def test_confirmation_refusee_si_l_execution_a_change_entre_temps(connecte, cls, existantes):
    client = connecte("finances")
    apercu = envoyer(client, execution(ligne_execution(engage=1000), ligne_execution(action="4")), "execution")
    Execution.objects.filter(action__contrat=cls, action__numero="3").update(realise=Decimal("450"))
    avant = etat_base()

    texte = page(confirmer(client, apercu))
    assert "Exécution!A6 : l'exécution (action 3, 2025, État) a été modifiée depuis l'aperçu." in texte
    assert etat_base() == avant


def test_tout_ou_rien_si_une_ecriture_echoue_en_cours_de_route(connecte, cls, monkeypatch):
    from finances import services

    client = connecte("metropole")
    apercu = envoyer(
        client,
        indicateurs(ligne_indicateur(annee=2024, valeur=7), ligne_indicateur(annee=2025, valeur=30)),
        "indicateurs",
    )
    avant = etat_base()
    vraie_saisie = services.saisie_enregistrer
    appels = []

    def saisie_puis_panne(**kwargs):
        appels.append(kwargs["suivi"].annee)
        if len(appels) == 2:
            raise ValidationError("Panne simulée.")
        return vraie_saisie(**kwargs)

    monkeypatch.setattr(services, "saisie_enregistrer", saisie_puis_panne)
    texte = page(confirmer(client, apercu))
    assert appels == [2024, 2025]
    assert "Panne simulée." in texte and "rien n'a été importé" in texte
    assert etat_base() == avant  # l'année 2024, déjà écrite, est annulée avec le reste


def test_confirmation_sans_apercu_en_attente_ou_pour_un_autre_fichier(connecte):
    client = connecte("finances")
    url = reverse("finances:import", args=[CLS])
    reponse = client.post(url, {"etape": "confirmer", "empreinte": "0" * 64}, follow=True)
    assert "Aucun import en attente de confirmation" in page(reponse)

    envoyer(client, execution(ligne_execution()), "execution")
    avant = etat_base()
    reponse = client.post(url, {"etape": "confirmer", "empreinte": "f" * 64}, follow=True)
    assert "Aucun import en attente de confirmation pour ce fichier" in page(reponse)
    # L'aperçu d'un contrat ne se confirme pas depuis un autre contrat.
    empreinte = client.session[CLE_SESSION]["empreinte"]
    reponse = client.post(
        reverse("finances:import", args=[CONTRAT_DE_VILLE]), {"etape": "confirmer", "empreinte": empreinte}
    )
    assert reponse.status_code == 302
    assert etat_base() == avant


# --- Droits ------------------------------------------------------------------------------------------------------


def adresses(slug):
    fichier = execution(ligne_execution())
    return [
        ("get", reverse("finances:import", args=[slug]), None),
        ("get", reverse("finances:modele", args=[slug]), None),
        ("post", reverse("finances:import", args=[slug]), {"type": "execution", "fichier": fichier}),
        ("post", reverse("finances:import", args=[slug]), {"type": "indicateurs", "fichier": fichier}),
        ("post", reverse("finances:import", args=[slug]), {"etape": "confirmer", "empreinte": "0" * 64}),
    ]


def appeler(client, methode, url, donnees):
    if donnees and "fichier" in donnees:
        donnees = donnees | {"fichier": SimpleUploadedFile("import.xlsx", donnees["fichier"], content_type=XLSX)}
    return getattr(client, methode)(url, donnees)


@pytest.mark.parametrize(("compte", "attendu"), [("secretariat", 403), ("lecteur", 403), ("autre-territoire", 404)])
def test_chaque_adresse_d_import_refusee(connecte, compte, attendu):
    avant = etat_base()
    client = connecte(compte)
    for slug in (CLS, CONTRAT_DE_VILLE):
        code = attendu if compte != "lecteur" or slug == CLS else 404  # le lecteur ne voit que le CLS
        for methode, url, donnees in adresses(slug):
            assert appeler(client, methode, url, donnees).status_code == code, (compte, methode, url, donnees)
    assert etat_base() == avant


def test_chacun_n_importe_que_ce_qu_il_a_le_droit_de_saisir(connecte, client):
    avant = etat_base()
    url = reverse("finances:import", args=[CLS])
    fichier = execution(ligne_execution())
    metropole = connecte("metropole")
    assert appeler(metropole, "post", url, {"type": "execution", "fichier": fichier}).status_code == 403
    assert 'value="execution"' not in page(metropole.get(url))
    finances = connecte("finances")
    assert appeler(finances, "post", url, {"type": "indicateurs", "fichier": fichier}).status_code == 403
    assert 'value="indicateurs"' not in page(finances.get(url))
    admin = connecte("admin")
    assert 'value="execution"' in page(admin.get(url)) and 'value="indicateurs"' in page(admin.get(url))
    client.logout()
    for methode, adresse, donnees in adresses(CLS):
        reponse = appeler(client, methode, adresse, donnees)
        assert reponse.status_code == 302 and reponse.url.startswith(reverse("login"))
    assert etat_base() == avant


# --- Commande de gestion -----------------------------------------------------------------------------------------


def test_commande_modele_simulation_erreurs_et_import(tmp_path, cls, existantes):
    modele = tmp_path / "modele.xlsx"
    sortie = StringIO()
    call_command("importer", CLS, "--modele", str(modele), stdout=sortie)
    assert "Modèle d'import" in sortie.getvalue()
    classeur = load_workbook(modele)
    assert classeur.sheetnames == [FEUILLE_EXECUTION, FEUILLE_INDICATEURS]

    remplir(classeur[FEUILLE_EXECUTION], [ligne_execution(engage=1200, realise=600), ligne_execution(action="4")])
    bon = tmp_path / "bon.xlsx"
    classeur.save(bon)
    avant = etat_base()
    sortie = StringIO()
    options = {"type": "execution", "utilisateur": "finances"}
    call_command("importer", CLS, str(bon), "--dry-run", *_options(options), stdout=sortie)
    assert "2 ligne(s) à écrire" in sortie.getvalue()
    assert "Simulation (--dry-run) : rien n'a été écrit." in sortie.getvalue()
    assert etat_base() == avant

    mauvais = tmp_path / "mauvais.xlsx"
    mauvais.write_bytes(execution(ligne_execution(engage="abc"), ligne_execution(action="4", realise="=1+1")))
    erreurs = StringIO()
    with pytest.raises(CommandError, match=r"2 erreur\(s\) dans mauvais.xlsx : rien n'a été importé."):
        call_command("importer", CLS, str(mauvais), *_options(options), stdout=StringIO(), stderr=erreurs)
    assert "Exécution!D6 : « abc » n'est pas un montant valide" in erreurs.getvalue()
    assert "Formule refusée en Exécution!E7 : saisissez une valeur." in erreurs.getvalue()
    assert etat_base() == avant

    for arguments, message in [
        ([str(bon), "--type", "execution", "--utilisateur", "metropole"], "n'a pas le droit"),
        ([str(bon), "--type", "budget", "--utilisateur", "finances"], "Indiquez --type execution"),
        ([str(bon), "--type", "execution"], "Indiquez --utilisateur"),
        ([str(tmp_path / "absent.xlsx"), "--type", "execution", "--utilisateur", "finances"], "introuvable"),
    ]:
        with pytest.raises(CommandError, match=message):
            call_command("importer", CLS, *arguments, stdout=StringIO(), stderr=StringIO())
    with pytest.raises(CommandError, match="Contrat inconnu"):
        call_command("importer", "inconnu", "--modele", str(modele))
    assert etat_base() == avant

    sortie = StringIO()
    call_command("importer", CLS, str(bon), *_options(options), stdout=sortie)
    assert "Import terminé : 2 ligne(s) enregistrée(s)." in sortie.getvalue()
    ecrite = Execution.objects.get(action__contrat=cls, action__numero="3", annee=2025, financeur="etat")
    assert (ecrite.engage, ecrite.realise) == (Decimal("1200"), Decimal("600"))
    assert ecrite.history.first().history_user.username == "finances"
    assert ecrite.history.first().history_change_reason == "Import Excel"


def _options(options: dict) -> list[str]:
    return [argument for cle, valeur in options.items() for argument in (f"--{cle}", valeur)]


@pytest.mark.parametrize("cas", [c for c in CORPUS if c.preparer is None], ids=lambda cas: cas.nom)
def test_commande_refuse_chaque_fichier_du_corpus(tmp_path, existantes, cas):
    chemin = tmp_path / "import.xlsx"
    chemin.write_bytes(cas.fabrique())
    avant = etat_base()
    erreurs = StringIO()
    with pytest.raises(CommandError, match="rien n'a été importé"):
        call_command(
            "importer", CLS, str(chemin), "--type", cas.type_import, "--utilisateur", cas.compte,
            stdout=StringIO(), stderr=erreurs,
        )  # fmt: skip
    assert cas.message in re.sub(r"[\u00a0\u202f]", " ", erreurs.getvalue())
    assert etat_base() == avant


# --- Nombre de requêtes ------------------------------------------------------------------------------------------


def requetes(fonction) -> int:
    with CaptureQueriesContext(connection) as contexte:
        fonction()
    return len(contexte.captured_queries)


def lignes_execution_cdv(nombre_de_lignes):
    cdv = contrat(CONTRAT_DE_VILLE)
    actions = Action.objects.filter(contrat=cdv).order_by("ordre")
    cles = [(a.numero, annee, f.label) for a in actions for annee in cdv.annees for f in Financeur]
    return [(numero, annee, financeur, 1000, 500, "") for numero, annee, financeur in cles[:nombre_de_lignes]]


def lignes_indicateurs_cls(nombre_de_lignes):
    cls = contrat(CLS)
    if Indicateur.objects.filter(action__contrat=cls).count() < 26:
        IndicateurFactory.create_batch(15, action=Action.objects.get(contrat=cls, numero="1"))
    indicateurs_cls = Indicateur.objects.filter(action__contrat=cls).order_by("pk")
    cles = [(indicateur.pk, annee) for indicateur in indicateurs_cls for annee in cls.annees]
    return [(pk, "", "", annee, 10, "") for pk, annee in cles[:nombre_de_lignes]]


# Aperçu : session, utilisateur et profil, contrat, droits, puis l'état du contrat lu une fois (actions et exécutions,
# ou indicateurs, valeurs et suivis), enfin l'écriture de la session : rien ne dépend du nombre de lignes.
# Confirmation : les mêmes lectures, une fois, puis pour les indicateurs un suivi par année (saisie_enregistrer).
# Seule l'écriture elle-même croît avec le fichier : chaque ligne écrite passe par full_clean() (existence de la clé
# étrangère, contrainte d'unicité, contrainte de positivité dans un point de sauvegarde : 5 requêtes), puis son
# INSERT et celui de son historique. 7 requêtes par ligne écrite, aucune lecture par ligne.
PAR_LIGNE_ECRITE = 7


@pytest.mark.parametrize(
    ("type_import", "compte", "slug", "fabrique", "apercu_attendu", "confirmation_fixe"),
    [
        # + 1 : la version des données du contrat, incrémentée une fois pour tout l'import (contrats/versions.py) ;
        # aperçu : + 1, le nombre de notifications non lues de la barre de navigation ; confirmation : une lecture
        # fixe de plus depuis les fusions de décembre 2026 (mesurée : la même pour 10 et 100 lignes)
        # aperçu de l'exécution : + 1, les années validées (finances.selectors.annees_verrouillees, avec qui les a
        # validées) pour dire quelles lignes ne seront pas importées ; les indicateurs lisaient déjà leurs suivis ;
        # − 2 : le profil et l'organisation viennent avec l'utilisateur (comptes/backends.py)
        ("execution", "finances", CONTRAT_DE_VILLE, lignes_execution_cdv, 10, 12),
        (
            "indicateurs",
            "metropole",
            CLS,
            lignes_indicateurs_cls,
            10,
            51,
        ),  # 4 années : un suivi créé et pris par année
    ],
)
def test_requetes_independantes_du_nombre_de_lignes(
    connecte, type_import, compte, slug, fabrique, apercu_attendu, confirmation_fixe
):
    mesures = {}
    for nombre_de_lignes in (10, 100):
        lignes = fabrique(nombre_de_lignes)
        classeur = classeur_modele(contrat(slug))
        remplir(classeur[FEUILLE_EXECUTION if type_import == "execution" else FEUILLE_INDICATEURS], lignes)
        donnees = octets(classeur)
        client = connecte(compte)
        apercus = []
        apercu = requetes(lambda: apercus.append(envoyer(client, donnees, type_import, slug=slug)))  # noqa: B023
        assert f"{nombre_de_lignes} ligne(s) à écrire" in page(apercus[0])
        confirmation = requetes(lambda: confirmer(client, apercus[0], slug=slug))  # noqa: B023
        mesures[nombre_de_lignes] = (apercu, confirmation)
        Execution.objects.all().delete()
        Realisation.objects.all().delete()
        SuiviAnnuel.objects.all().delete()
    assert mesures[10][0] == mesures[100][0] == apercu_attendu
    # Lectures fixes ; seul le coût propre à chaque ligne écrite croît avec le fichier.
    assert mesures[10][1] == confirmation_fixe + 10 * PAR_LIGNE_ECRITE
    assert mesures[100][1] == confirmation_fixe + 100 * PAR_LIGNE_ECRITE


def test_annees_verrouillees_signalees_dans_le_modele(connecte, cls):
    SuiviAnnuel.objects.create(contrat=cls, annee=2024, statut=StatutSuivi.VALIDE)
    classeur = load_workbook(BytesIO(connecte("metropole").get(reverse("finances:modele", args=[CLS])).content))
    assert "Années non modifiables : 2024 (validé)." in classeur[FEUILLE_INDICATEURS]["A4"].value


# --- Années verrouillées : l'aperçu le dit, la confirmation fait ce qu'il a dit -----------------------------------

CLAIRE = "Claire Démo, DDETS de la Côte-d'Or"  # l'agent de l'État qui valide, tel qu'on le nomme (jamais « ddets »)
PAUL = "Paul Exemple, Dijon métropole"


def soumettre(contrat_, annee):
    suivi = suivi_obtenir(contrat=contrat_, annee=annee)
    return suivi_changer_statut(
        user=utilisateur("metropole"), suivi=suivi, version=suivi.version, transition="soumettre"
    )


def valider(contrat_, annee):
    """L'année soumise par la collectivité puis validée par l'État, comme dans l'application."""
    suivi = soumettre(contrat_, annee)
    return suivi_changer_statut(user=utilisateur("ddets"), suivi=suivi, version=suivi.version, transition="valider")


def le(suivi) -> str:
    return f"{timezone.localtime(suivi.statut_le):%d/%m/%Y}"


def alerte(texte: str) -> str:
    """Le texte de l'alerte des années verrouillées, qui précède tout le reste de l'aperçu."""
    debut = texte.index(">", texte.index('id="annees-verrouillees"')) + 1
    assert debut < texte.index('id="refus"' if 'id="refus"' in texte else "<table"), "l'alerte vient en tête"
    return " ".join(re.sub(r"<[^>]+>", " ", texte[debut : texte.index("</div>", debut)]).split())


def lignes_marquees(texte: str) -> list[str]:
    """Ce que l'aperçu dit de chaque ligne non importée (colonne Changement)."""
    return re.findall(r"<td[^>]*>(non importée : [^<]+)</td>", texte)


def valeurs_de(*indicateurs_lus) -> dict:
    return {(r.indicateur_id, r.annee): r.valeur for r in Realisation.objects.filter(indicateur__in=indicateurs_lus)}


def test_indicateurs_2024_validee_2025_ouverte_seule_2025_est_importee(connecte, cls):
    premier, second = indicateur_cls(0), indicateur_cls(1)
    Realisation.objects.create(indicateur=premier, annee=2024, valeur=Decimal("5"))
    suivi_2024 = valider(cls, 2024)
    client = connecte("metropole")
    donnees = indicateurs(
        ligne_indicateur(annee=2024, valeur=6),  # 5 → 6 dans une année validée
        ligne_indicateur(identifiant=second.pk, annee=2024, valeur=3),  # nouvelle, dans une année validée
        ligne_indicateur(annee=2025, valeur=8),
        ligne_indicateur(identifiant=second.pk, annee=2025, valeur=4),
    )

    apercu = envoyer(client, donnees, "indicateurs", nom="valeurs.xlsx")
    texte = page(apercu)
    assert apercu.status_code == 200
    assert 'class="alert alert-warning" role="alert" id="annees-verrouillees"' in texte
    motif = f"année validée le {le(suivi_2024)} par {CLAIRE}"
    assert alerte(texte) == (
        "Années verrouillées : aucune de leurs lignes ne sera importée. "
        f"2024 : {motif} — 2 ligne(s) non importée(s). "
        "La confirmation n'importera que les années modifiables : 2025. "
        "Seul un agent de l'État peut rouvrir une année validée ; une année soumise redevient modifiable si l'État "
        "la renvoie pour correction."
    )
    assert lignes_marquees(texte) == [f"non importée : {motif}"] * 2
    assert "2 ligne(s) à écrire, 2 ligne(s) non importée(s) (années verrouillées)" in sans_balises(apercu)
    assert "Confirmer l'import des années modifiables (2025)</button>" in texte
    en_attente = client.session[CLE_SESSION]
    assert {(ligne["indicateur"], ligne["annee"]) for ligne in en_attente["lignes"]} == {
        (premier.pk, 2025),
        (second.pk, 2025),
    }
    assert en_attente["versions"] == {"2025": 1}
    suivi_avant = SuiviAnnuel.objects.filter(contrat=cls, annee=2024).values_list("statut", "version").get()

    reponse = client.post(
        reverse("finances:import", args=[CLS]),
        {"etape": "confirmer", "empreinte": apercu.context["analyse"].empreinte},
        follow=True,
    )
    assert "Import de « valeurs.xlsx » terminé : 2 ligne(s) enregistrée(s)." in page(reponse)
    assert valeurs_de(premier, second) == {
        (premier.pk, 2024): Decimal("5"),  # l'année validée n'a pas bougé
        (premier.pk, 2025): Decimal("8"),
        (second.pk, 2025): Decimal("4"),
    }
    assert SuiviAnnuel.objects.filter(contrat=cls, annee=2024).values_list("statut", "version").get() == suivi_avant


def executions_de(contrat_) -> dict:
    return {
        (e.action.numero, e.annee, e.financeur): (e.engage, e.realise)
        for e in Execution.objects.filter(action__contrat=contrat_).select_related("action")
    }


def test_execution_2024_validee_2025_ouverte_seule_2025_est_importee(connecte, cls, existantes):
    suivi_2024 = valider(cls, 2024)
    client = connecte("finances")
    donnees = execution(
        ligne_execution(annee=2024, engage=700, realise=300),
        ligne_execution(action="4", annee=2024, engage=50, realise=0),
        ligne_execution(engage=900),  # action 3, 2025, État : 800 → 900
        ligne_execution(action="4"),
    )
    avant = executions_de(cls)

    apercu = envoyer(client, donnees, "execution", nom="execution.xlsx")
    texte = page(apercu)
    motif = f"année validée le {le(suivi_2024)} par {CLAIRE}"
    assert alerte(texte).startswith(
        "Années verrouillées : aucune de leurs lignes ne sera importée. "
        f"2024 : {motif} — 2 ligne(s) non importée(s). La confirmation n'importera que les années modifiables : 2025."
    )
    assert "une année soumise" not in alerte(texte)  # l'exécution ne se ferme qu'à la validation
    assert lignes_marquees(texte) == [f"non importée : {motif}"] * 2
    assert "Confirmer l'import des années modifiables (2025)</button>" in texte
    assert {ligne["annee"] for ligne in client.session[CLE_SESSION]["lignes"]} == {2025}
    assert executions_de(cls) == avant

    reponse = confirmer(client, apercu)
    assert reponse.status_code == 302
    assert executions_de(cls) == avant | {
        ("3", 2025, "etat"): (Decimal("900"), Decimal("500")),
        ("4", 2025, "etat"): (Decimal("1000"), Decimal("500")),
    }  # et rien en 2024


@pytest.mark.parametrize(
    ("type_import", "compte", "fabrique", "ligne"),
    [
        ("indicateurs", "metropole", indicateurs, ligne_indicateur),
        ("execution", "finances", execution, ligne_execution),
    ],
)
def test_tout_est_verrouille_rien_d_importable_bouton_desactive_rien_ecrit(
    connecte, cls, existantes, type_import, compte, fabrique, ligne
):
    suivis = {annee: valider(cls, annee) for annee in (2024, 2025)}
    client = connecte(compte)
    avant = etat_base()

    apercu = envoyer(client, fabrique(ligne(annee=2024), ligne(annee=2025, valeur=99, engage=99)), type_import)
    texte = page(apercu)
    assert apercu.status_code == 200
    assert alerte(texte).startswith(
        "Années verrouillées : aucune de leurs lignes ne sera importée. "
        f"2024 : année validée le {le(suivis[2024])} par {CLAIRE} — 1 ligne(s) non importée(s). "
        f"2025 : année validée le {le(suivis[2025])} par {CLAIRE} — 1 ligne(s) non importée(s). "
        "Aucune ligne n'est importable : rien ne sera écrit."
    )
    assert len(lignes_marquees(texte)) == 2
    assert "0 ligne(s) à écrire, 2 ligne(s) non importée(s) (années verrouillées)" in sans_balises(apercu)
    assert re.search(r'<button [^>]*type="button" disabled aria-describedby="rien-d-importable">Confirmer', texte)
    assert (
        "Rien d'importable : chaque ligne qui changerait une valeur porte sur une année verrouillée (2024, 2025). "
        "Rien ne sera écrit." in sans_balises(apercu)
    )
    assert 'name="etape"' not in texte and "Rien à importer" not in texte
    assert CLE_SESSION not in client.session
    # Même en forçant la confirmation, rien n'est écrit : aucun aperçu n'est en attente.
    reponse = confirmer(client, apercu)
    assert reponse.status_code == 302
    assert etat_base() == avant


def test_annee_soumise_fermee_aux_valeurs_des_indicateurs_ouverte_a_l_execution(connecte, cls):
    """La règle de chaque grille de saisie : une année soumise n'accepte plus de valeurs d'indicateurs, mais son
    exécution reste modifiable jusqu'à la validation."""
    suivi = soumettre(cls, 2025)
    client = connecte("metropole")
    texte = page(
        envoyer(client, indicateurs(ligne_indicateur(annee=2025), ligne_indicateur(annee=2026)), "indicateurs")
    )
    motif = f"année soumise le {le(suivi)} par {PAUL}, en attente d'examen par l'État"
    assert f"2025 : {motif} — 1 ligne(s) non importée(s)." in alerte(texte)
    assert lignes_marquees(texte) == [f"non importée : {motif}"]
    assert "Confirmer l'import des années modifiables (2026)</button>" in texte

    client = connecte("finances")
    apercu = envoyer(client, execution(ligne_execution(annee=2025)), "execution")
    assert 'id="annees-verrouillees"' not in page(apercu) and not lignes_marquees(page(apercu))
    confirmer(client, apercu)
    assert executions_de(cls) == {("3", 2025, "etat"): (Decimal("1000"), Decimal("500"))}


@pytest.mark.parametrize(
    ("statut", "motif"),
    [
        (StatutSuivi.BROUILLON, ""),
        (StatutSuivi.SOUMIS, ""),
        (StatutSuivi.VALIDE, ""),
        (StatutSuivi.A_CORRIGER, "Valeur à revoir."),
    ],
)
def test_l_apercu_ferme_les_memes_annees_que_les_grilles_de_saisie(connecte, cls, statut, motif):
    """Une seule définition d'« année modifiable » par type de données : celle de sa grille de saisie."""
    SuiviAnnuel.objects.create(contrat=cls, annee=2025, statut=statut, motif=motif)
    for compte, type_import, fichier, grille in [
        ("metropole", "indicateurs", indicateurs(ligne_indicateur(annee=2025)), "indicateurs:grille"),
        ("finances", "execution", execution(ligne_execution(annee=2025)), "finances:execution_grille"),
    ]:
        client = connecte(compte)
        lecture_seule = client.get(reverse(grille, args=[CLS, 2025])).context["lecture_seule"]
        analyse = envoyer(client, fichier, type_import).context["analyse"]
        assert bool(analyse.non_importees) == lecture_seule, (type_import, statut)
        assert bool(analyse.a_ecrire) != lecture_seule, (type_import, statut)


def test_annee_verrouillee_aux_lignes_inchangees_signalee_sans_alarme(connecte, cls):
    Realisation.objects.create(indicateur=indicateur_cls(), annee=2024, valeur=Decimal("5"))
    suivi = valider(cls, 2024)
    client = connecte("metropole")
    inchangee = ligne_indicateur(annee=2024, valeur=5)

    texte = page(envoyer(client, indicateurs(inchangee, ligne_indicateur(annee=2025, valeur=8)), "indicateurs"))
    assert 'class="alert alert-info" role="status" id="annees-verrouillees"' in texte
    assert f"2024 : année validée le {le(suivi)} par {CLAIRE} — aucune ligne modifiée, rien n'est perdu." in alerte(
        texte
    )
    assert "1 ligne(s) à écrire, 1 ligne(s) inchangée(s)" in texte
    assert "Confirmer l'import</button>" in texte and not lignes_marquees(texte)


def test_annee_rouverte_apres_l_apercu_ses_lignes_restent_non_importees(connecte, cls):
    """La confirmation écrit ce que l'aperçu a annoncé, rien de plus : une année rouverte entre-temps n'y entre pas."""
    suivi = valider(cls, 2024)
    client = connecte("metropole")
    apercu = envoyer(
        client,
        indicateurs(ligne_indicateur(annee=2024, valeur=6), ligne_indicateur(annee=2025, valeur=8)),
        "indicateurs",
    )
    suivi_changer_statut(
        user=utilisateur("ddets"), suivi=suivi, version=suivi.version, transition="rouvrir", motif="Erreur de saisie."
    )
    confirmer(client, apercu)
    assert valeurs_de(indicateur_cls()) == {(indicateur_cls().pk, 2025): Decimal("8")}


def test_execution_refusee_si_l_annee_est_validee_apres_l_apercu(connecte, cls, existantes):
    client = connecte("finances")
    apercu = envoyer(client, execution(ligne_execution(annee=2024), ligne_execution(engage=900)), "execution")
    assert "Confirmer l'import</button>" in page(apercu)
    suivi = valider(cls, 2025)
    avant = etat_base()

    texte = page(confirmer(client, apercu))
    assert "Import refusé à la confirmation : rien n'a été importé." in texte
    assert (
        f"L'année 2025 a été validée par {CLAIRE} le {le(suivi)} : elle est verrouillée. Ses lignes ne peuvent plus "
        "être importées : envoyez de nouveau le fichier, l'aperçu dira lesquelles restent importables." in texte
    )
    assert etat_base() == avant  # 2024, encore ouverte, n'est pas écrite non plus : l'aperçu promettait les deux


def test_commande_annonce_les_lignes_non_importees_et_n_ecrit_que_les_annees_ouvertes(tmp_path, cls, existantes):
    suivi = valider(cls, 2024)
    chemin = tmp_path / "execution.xlsx"
    chemin.write_bytes(execution(ligne_execution(annee=2024), ligne_execution(engage=900)))
    avant = executions_de(cls)
    sortie = StringIO()
    call_command("importer", CLS, str(chemin), "--type", "execution", "--utilisateur", "finances", stdout=sortie)
    texte = sortie.getvalue()
    assert "1 ligne(s) à écrire, 0 inchangée(s), 1 non importée(s) (années verrouillées)" in texte
    assert f"ligne 6 (non importée : année validée le {le(suivi)} par {CLAIRE}) : action 3, 2024, État" in texte
    assert "Import terminé : 1 ligne(s) enregistrée(s)." in texte
    assert executions_de(cls) == avant | {("3", 2025, "etat"): (Decimal("900"), Decimal("500"))}


def _dix_lignes_indicateurs() -> bytes:
    return indicateurs(
        *(
            ligne_indicateur(identifiant=indicateur_cls(rang).pk, annee=annee)
            for rang in range(5)
            for annee in (2024, 2025)
        )
    )


def _dix_lignes_execution() -> bytes:
    return execution(
        *(ligne_execution(action=str(rang), annee=annee) for rang in range(1, 6) for annee in (2024, 2025))
    )


@pytest.mark.parametrize(
    ("type_import", "compte", "fabrique"),
    [("execution", "finances", _dix_lignes_execution), ("indicateurs", "metropole", _dix_lignes_indicateurs)],
)
def test_requetes_de_l_apercu_avec_des_annees_verrouillees(connecte, cls, type_import, compte, fabrique):
    """Les noms des personnes qui ont validé viennent avec les suivis : pas une requête de plus par année fermée ni
    par ligne non importée (le nombre épinglé par test_requetes_independantes_du_nombre_de_lignes)."""
    valider(cls, 2024)
    donnees = fabrique()
    client = connecte(compte)
    with requetes_exactes(10):
        apercu = envoyer(client, donnees, type_import)
    assert len(lignes_marquees(page(apercu))) == 5 and len(apercu.context["analyse"].a_ecrire) == 5
