"""Chaque adresse du projet, pour chaque rôle et pour le compte « autre-territoire » : la réponse suit le tableau
des droits du README. Jamais 200 là où le tableau dit non, jamais 500."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import get_resolver, reverse

from contrats.models import Contrat
from referentiel.models import IndicateurNational, Pilier
from tests.conftest import CALPAE, CLS, CONTRAT_DE_VILLE
from tests.outils import (
    CONNEXION,
    LECTEURS_NATIONAUX,
    ROLES,
    attendu_ecriture,
    attendu_lecture,
    client_pour,
    verifier,
)

DEPOSANTS = {"admin", "ddets", "metropole", "finances", "secretariat"}  # documents du contrat
EVALUATEURS = {"admin", "metropole"}  # évaluation à mi-parcours : saisie et pièces par la collectivité
IMPORTEURS = {"admin", "finances", "metropole"}  # exécution : finances ; valeurs d'indicateurs : metropole
EXAMINATEURS = {"admin", "ddets", "metropole"}
EXECUTANTS = {"admin", "finances", "metropole"}  # exécution et versements saisis dans le navigateur
# Rattacher les indicateurs d'un contrat aux indicateurs nationaux : ses agents et l'administration centrale.
RATTACHEURS = {"admin", "ddets", "metropole", "national"}
LOTS = {
    "admin",
    "ddets",
    "metropole",
    "secretariat",
    "autre-territoire",
}  # génération de rapports par lots  # un agent de l'une ou l'autre partie examine un constat


def saisir(role, slug):
    """Exécution et versements saisis dans le navigateur : les financiers et la collectivité."""
    return attendu_ecriture(role, slug, EXECUTANTS)


def inexistant(role, slug):
    """Un versement qui n'existe pas : 404 pour qui peut saisir, le refus habituel pour les autres."""
    attendu = saisir(role, slug)
    return 404 if attendu == "ok" else attendu


def cas():
    """(nom d'URL, méthode, fonction rôle,slug → réponse attendue, arguments)."""
    for slug in (CLS, CALPAE, CONTRAT_DE_VILLE):
        contrat = Contrat.objects.get(slug=slug)
        annee = contrat.annee_debut
        action = contrat.actions.order_by("ordre").first()
        indicateur = (
            action.indicateurs.first() or contrat.actions.exclude(indicateurs=None).first().indicateurs.first()
        )
        lire = attendu_lecture
        yield "pilotage:contrat", "get", lire, [slug]
        yield "coherence:constats", "get", lire, [slug]
        yield "coherence:xlsx", "get", lire, [slug]
        yield "coherence:constats", "post", lambda r, s: attendu_ecriture(r, s, EXAMINATEURS), [slug]
        yield "pilotage:action", "get", lire, [slug, action.numero]
        yield "pilotage:historique", "get", lire, [slug]
        yield "pilotage:historique_xlsx", "get", lire, [slug]
        yield "finances:budget_xlsx", "get", lire, [slug]
        yield "finances:execution_xlsx", "get", lire, [slug]
        yield "indicateurs:xlsx", "get", lire, [slug]
        yield "finances:execution", "get", lire, [slug]
        yield "finances:import", "get", lambda r, s: attendu_ecriture(r, s, IMPORTEURS), [slug]
        yield "finances:import", "post", lambda r, s: attendu_ecriture(r, s, IMPORTEURS), [slug]
        yield "finances:modele", "get", lambda r, s: attendu_ecriture(r, s, IMPORTEURS), [slug]
        yield "finances:execution", "post", lambda r, s: attendu_ecriture(r, s, {"admin", "finances"}), [slug]
        yield "finances:avenant_creer", "get", lambda r, s: attendu_ecriture(r, s, {"admin", "finances"}), [slug]
        yield "finances:avenant_creer", "post", lambda r, s: attendu_ecriture(r, s, {"admin", "finances"}), [slug]
        yield "indicateurs:grille", "get", lire, [slug, annee]
        # Exécution et versements saisis dans le navigateur : les financiers et la collectivité.
        yield "finances:execution_grille", "get", lire, [slug, annee]
        yield "finances:execution_grille", "post", saisir, [slug, annee]
        yield "finances:versements", "get", lire, [slug]
        yield "finances:versements", "post", saisir, [slug]
        yield "finances:versement_modifier", "get", inexistant, [slug, 999999]
        yield "finances:versement_modifier", "post", inexistant, [slug, 999999]
        yield "finances:versement_supprimer", "post", inexistant, [slug, 999999]
        yield "indicateurs:detail", "get", lire, [slug, indicateur.pk]
        yield "indicateurs:rattachement", "get", lambda r, s: attendu_ecriture(r, s, RATTACHEURS), [slug]
        yield "indicateurs:rattachement", "post", lambda r, s: attendu_ecriture(r, s, RATTACHEURS), [slug]
        yield (
            "finances:budget_annee",
            "get",
            lambda r, s: attendu_ecriture(r, s, {"admin", "finances"}),
            [slug, annee],
        )
        yield (
            "finances:budget_annee",
            "post",
            lambda r, s: attendu_ecriture(r, s, {"admin", "finances"}),
            [slug, annee],
        )
        yield "indicateurs:grille", "post", lambda r, s: attendu_ecriture(r, s, {"admin", "metropole"}), [slug, annee]
        yield (
            "indicateurs:statut", "post", lambda r, s: attendu_ecriture(r, s, {"admin", "ddets", "metropole"}),
            [slug, annee],
        )  # fmt: skip
        yield (
            "indicateurs:cible", "post", lambda r, s: attendu_ecriture(r, s, {"admin", "ddets", "metropole"}),
            [slug, indicateur.pk, annee],
        )  # fmt: skip
        # Les adresses qui n'acceptent que POST répondent 405 à un GET, pour tous, sans rien révéler.
        yield (
            "indicateurs:commenter",
            "post",
            lambda r, s: attendu_ecriture(r, s, {"admin", "ddets", "metropole"}),
            [
                slug,
                annee,
            ],
        )
        yield "indicateurs:commenter", "get", lambda r, s: CONNEXION if r == "anonyme" else 405, [slug, annee]
        yield "indicateurs:statut", "get", lambda r, s: CONNEXION if r == "anonyme" else 405, [slug, annee]
        yield (
            "indicateurs:cible",
            "get",
            lambda r, s: CONNEXION if r == "anonyme" else 405,
            [slug, indicateur.pk, annee],
        )
        yield from cas_documents(contrat, action)
    # Vue nationale : lue par l'administration centrale, la préfecture de région, un service de l'État et
    # l'administrateur ; le référentiel n'est modifié que par l'administration centrale (et l'administrateur).
    national = IndicateurNational.objects.get_or_create(
        pilier=Pilier.objects.get(numero=1), libelle="Indicateur du parcours des droits", defaults={"source": "test"}
    )[0]
    lire_national = lambda r, s: CONNEXION if r == "anonyme" else 200 if r in LECTEURS_NATIONAUX else 403  # noqa: E731
    modifier_national = lambda r, s: CONNEXION if r == "anonyme" else "ok" if r in {"admin", "national"} else 403  # noqa: E731
    yield "national:tableau", "get", lire_national, []
    yield "national:xlsx", "get", lire_national, []
    yield "national:evaluations_xlsx", "get", lire_national, []
    yield "national:indicateur", "get", lire_national, [national.pk]
    yield "national:referentiel", "get", lire_national, []
    yield "national:indicateur_creer", "get", modifier_national, []
    yield "national:indicateur_creer", "post", modifier_national, []
    yield "national:indicateur_modifier", "get", modifier_national, [national.pk]
    yield "national:indicateur_modifier", "post", modifier_national, [national.pk]
    yield "accueil", "get", lambda r, s: CONNEXION if r == "anonyme" else 200, []
    # Notifications : chacun sa boîte ; celle d'un autre (ou inexistante) répond 404.
    connecte = lambda reponse: lambda r, s: CONNEXION if r == "anonyme" else reponse  # noqa: E731
    yield "notifications:boite", "get", connecte(200), []
    yield "notifications:tout_lire", "post", connecte(302), []
    yield "notifications:tout_lire", "get", connecte(405), []
    yield "notifications:ouvrir", "post", connecte(404), [999999]
    yield "notifications:ouvrir", "get", connecte(405), [999999]
    # Rapports par lots : administrateurs, secrétariat, agents (les contrats proposés sont ceux que l'on voit).
    generent = lambda reponse: lambda r, s: CONNEXION if r == "anonyme" else (reponse if r in LOTS else 403)  # noqa: E731
    yield "lots:liste", "get", generent(200), []
    yield "lots:liste", "post", generent(200), []
    yield "lots:detail", "get", generent(404), [999999]
    yield "pilotage:liste", "get", lambda r, s: CONNEXION if r == "anonyme" else 200, []
    yield "login", "get", lambda r, s: 200, []
    yield "accessibilite", "get", lambda r, s: 200, []  # déclaration d'accessibilité : publique
    yield "sante", "get", lambda r, s: 200, []  # sonde de santé : publique, ne dit que si la base répond
    yield "logout", "post", lambda r, s: 302, []
    # L'administration : aux administrateurs de la plateforme ; les autres reçoivent la page 403.
    yield "admin:index", "get", lambda r, s: CONNEXION if r == "anonyme" else 200 if r == "admin" else 403, []
    yield from cas_comptes()
    yield from cas_creation()


CREATEURS = {"admin", "admin-metropole"}  # création d'un contrat : la plateforme, l'administrateur d'une organisation


def cas_creation():
    """Le parcours de création d'un contrat depuis son annexe : l'administrateur de la plateforme et celui d'une
    organisation ; les autres reçoivent 403. Sans brouillon en session, chaque étape renvoie à la précédente."""
    creer = lambda r, s: CONNEXION if r == "anonyme" else "ok" if r in CREATEURS else 403  # noqa: E731
    connecte = lambda attendu: lambda r, s: CONNEXION if r == "anonyme" else attendu  # noqa: E731
    for nom in ("accueil", "parties", "contrat", "axes", "annexe", "modele"):
        yield f"creation:{nom}", "get", creer, []
    for nom in ("parties", "contrat", "axes", "annexe", "confirmer", "abandonner"):
        yield f"creation:{nom}", "post", creer, []
    yield "creation:confirmer", "get", connecte(405), []
    yield "creation:abandonner", "get", connecte(405), []
    # La page qui suit la création : un contrat visible, et le droit de créer.
    yield "creation:suite", "get", lambda r, s: attendu_ecriture(r, s, CREATEURS), [CLS]


def cas_documents(contrat, action):
    """Documents du contrat et évaluation à mi-parcours : un document et une pièce justificative déposés pour le
    parcours ; les suppressions (POST) viennent en dernier."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from documents.enums import NatureDocument
    from documents.services import document_deposer
    from evaluation.services import piece_deposer

    admin = get_user_model().objects.get(username="admin")
    pdf = lambda nom: SimpleUploadedFile(nom, b"%PDF-1.7 parcours des droits")  # noqa: E731
    document = document_deposer(user=admin, contrat=contrat, fichier=pdf("contrat.pdf"), nature=NatureDocument.AUTRE)
    piece = piece_deposer(user=admin, contrat=contrat, action=action, fichier=pdf("piece.pdf"))
    slug, numero = contrat.slug, action.numero
    lire = attendu_lecture
    deposer = lambda r, s: attendu_ecriture(r, s, DEPOSANTS)  # noqa: E731
    evaluer = lambda r, s: attendu_ecriture(r, s, EVALUATEURS)  # noqa: E731
    seulement_post = lambda r, s: CONNEXION if r == "anonyme" else 405  # noqa: E731
    yield "documents:liste", "get", lire, [slug]
    yield "documents:liste", "post", deposer, [slug]
    yield "documents:telecharger", "get", lire, [slug, document.pk]
    yield "documents:supprimer", "get", deposer, [slug, document.pk]
    yield "evaluation:synthese", "get", lire, [slug]
    yield "evaluation:action", "get", lire, [slug, numero]
    yield "evaluation:action", "post", evaluer, [slug, numero]
    yield (
        "evaluation:statut",
        "post",
        lambda r, s: attendu_ecriture(r, s, {"admin", "ddets", "metropole"}),
        [slug, numero],
    )
    yield "evaluation:statut", "get", seulement_post, [slug, numero]
    yield "evaluation:piece", "post", evaluer, [slug, numero]
    yield "evaluation:piece", "get", seulement_post, [slug, numero]
    yield "evaluation:piece_supprimer", "get", evaluer, [slug, numero, piece.pk]
    yield "evaluation:piece_supprimer", "post", evaluer, [slug, numero, piece.pk]
    yield "documents:supprimer", "post", deposer, [slug, document.pk]


GESTIONNAIRES = {"admin", "admin-metropole"}  # comptes : l'administrateur de la plateforme, celui de l'organisation


def cas_comptes():
    """Les adresses des comptes, du mot de passe, de la session et des pages légales."""
    connecte = lambda attendu: lambda r, s: CONNEXION if r == "anonyme" else attendu  # noqa: E731
    gerer = lambda r, s: CONNEXION if r == "anonyme" else "ok" if r in GESTIONNAIRES else 403  # noqa: E731
    public = lambda r, s: 200  # noqa: E731
    metropole = get_user_model().objects.get(username="metropole").pk
    yield "mentions_legales", "get", public, []
    yield "donnees_personnelles", "get", public, []
    yield "password_change", "get", connecte(200), []
    yield "password_change", "post", connecte(200), []  # formulaire vide : erreurs, rien de changé
    yield "password_change_done", "get", connecte(200), []
    yield "password_reset", "get", public, []
    yield "password_reset", "post", public, []
    yield "password_reset_done", "get", public, []
    yield "password_reset_confirm", "get", public, ["MQ", "jeton-invalide"]  # lien invalide : page qui le dit
    yield "password_reset_complete", "get", public, []
    yield "comptes:liste", "get", gerer, []
    yield "comptes:inviter", "get", gerer, []
    yield "comptes:inviter", "post", gerer, []
    yield "comptes:desactiver", "post", gerer, [metropole]
    yield "comptes:reactiver", "post", gerer, [metropole]
    yield "comptes:reinviter", "post", gerer, [metropole]
    yield "comptes:desactiver", "get", connecte(405), [metropole]
    yield "comptes:session", "get", public, []  # anonyme : {"restant": 0}
    yield "comptes:session", "post", public, []
    yield "comptes:reprise", "get", connecte(302), []  # rien de gardé : retour à l'accueil
    yield "comptes:reprise", "post", connecte(302), []


@pytest.mark.parametrize("role", [*ROLES, "admin-metropole"])
def test_chaque_adresse_respecte_le_tableau_des_droits(role):
    client = client_pour(role)
    for nom, methode, attendu, args in cas():
        url = reverse(nom, args=args)
        reponse = getattr(client, methode)(url, {} if methode == "post" else None)
        verifier(reponse, attendu(role, args[0] if args else None), f"{role} {methode.upper()} {url}")
        if nom == "logout":
            client = client_pour(role)


def test_toutes_les_adresses_du_projet_sont_couvertes():
    noms_testes = {nom for nom, *_ in cas()}
    noms_projet = set()

    def parcourir(motifs, espace=""):
        for motif in motifs:
            if hasattr(motif, "url_patterns"):
                if motif.namespace == "admin":
                    continue
                parcourir(motif.url_patterns, f"{motif.namespace}:" if motif.namespace else espace)
            elif motif.name:
                noms_projet.add(espace + motif.name)

    parcourir(get_resolver().url_patterns)
    # Les adresses des rapports sont parcourues, rôle par rôle, par tests/rapports/test_droits.py, qui vérifie
    # aussi qu'il n'en oublie aucune.
    assert {n for n in noms_projet - noms_testes if not n.startswith("rapports:")} == set()


def test_aucune_ecriture_par_un_role_non_autorise():
    """Les POST refusés du parcours n'ont rien écrit."""
    from finances.models import LigneBudgetaire
    from indicateurs.models import Realisation, SuiviAnnuel

    avant = (LigneBudgetaire.objects.count(), Realisation.objects.count(), SuiviAnnuel.objects.count())
    for role in ("ddets", "secretariat", "lecteur", "autre-territoire"):
        client = client_pour(role)
        client.post(reverse("finances:budget_annee", args=[CLS, 2024]), {})
        client.post(reverse("indicateurs:grille", args=[CLS, 2024]), {"version": 1})
    assert (LigneBudgetaire.objects.count(), Realisation.objects.count(), SuiviAnnuel.objects.count()) == avant


DECHETS = {
    "version": "abc", "transition": "pirater", "motif": "=1+1", "valeur": "-1e999", "source": "nulle-part",
    "justification": "\x00", "execution": "99999999999999999999", "annee": "deux mille", "fichier": "pas un fichier",
    "type_import": "tout", "avenant-numero": "-3", "avenant-date": "32/13/2025", "avenant-objet": "",
    "presents": "beaucoup", "pour": "-5", "date": "hier", "organe": "senat",
}  # fmt: skip


@pytest.mark.parametrize("role", ["admin", "finances", "metropole", "ddets", "secretariat", "national", "region"])
def test_saisies_absurdes_sans_erreur_serveur_ni_ecriture(role):
    """Des données absurdes envoyées à chaque adresse d'écriture : jamais de 500, rien d'écrit."""
    from finances.models import Avenant, Execution, LigneBudgetaire
    from indicateurs.models import Cible, Indicateur, Realisation, SuiviAnnuel

    modeles = (Avenant, Execution, LigneBudgetaire, Realisation, SuiviAnnuel, Cible, Indicateur, IndicateurNational)
    adresses = list(cas())  # crée l'indicateur national du parcours avant l'état de référence
    avant = [sorted(m.objects.values_list(flat=False)) for m in modeles]
    client = client_pour(role)
    for nom, methode, _, args in adresses:
        if methode != "post":
            continue
        reponse = client.post(reverse(nom, args=args), DECHETS)
        assert reponse.status_code in (200, 302, 403, 404), (role, nom, reponse.status_code)
    assert [sorted(m.objects.values_list(flat=False)) for m in modeles] == avant
