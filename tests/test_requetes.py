"""Le nombre de requêtes SQL de chaque page, export et rapport : épinglé, et le même pour un petit et un grand
contrat (8 et 80 actions, avec indicateurs, cibles, valeurs, récits, budget, avenant, exécution, historique…) et pour
1 et 12 contrats visibles (accueil, liste). Une requête de plus par action, par contrat ou par ligne d'historique
fait échouer le test, qui montre alors les requêtes en trop et la ligne de code (et de gabarit) qui les lance.

Chaque adresse est lue par un compte partie au contrat dont le rôle donne la page entière (collectivité, financier,
secrétariat du conseil, État), et par l'administrateur (superutilisateur : il ne passe pas par les permissions
objet). Les PDF sont mis en page par un WeasyPrint factice (la mise en page ne lit pas la base) ; un test vérifie
sur un vrai PDF que le compte est le même. Chaque mesure est faite à froid (cache vidé)."""

from dataclasses import dataclass, field

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import get_resolver, reverse

from actions.models import Action
from comptes.enums import Role
from contrats.models import Contrat
from documents.models import Document
from evaluation.models import EvaluationAction
from indicateurs.enums import Portee, StatutSuivi
from indicateurs.models import Indicateur, SuiviAnnuel
from indicateurs.services import indicateurs_rattacher
from pilotage.chargement import echeances_par_defaut_creer
from rapports.enums import TypeRapport
from rapports.models import VersionRapport
from referentiel.models import IndicateurNational, Pilier
from tests.actions.factories import ActionFactory
from tests.contrats.factories import ContratFactory, OrganisationFactory, ProfilFactory
from tests.finances.factories import LigneBudgetaireFactory
from tests.outils import (
    Requetes,
    compte,
    contrat_de_taille,
    ecart_de_requetes,
    formes_en_plus,
    page,
    requetes_get,
)

# Requêtes SQL de chaque adresse, par compte (session, utilisateur, profil et permissions compris, et, sur chaque page
# HTML, le nombre de notifications non lues de la barre de navigation), les mêmes pour
# le petit et pour le grand jeu de données. Le seul endroit à mettre à jour quand une page change : un échec donne
# la valeur mesurée et la ligne à recopier.
REQUETES = {
    # 1 et 12 contrats visibles
    "accueil": {"metropole": 7, "ddets": 7, "admin": 7},
    "pilotage:liste": {"metropole": 5, "ddets": 5, "admin": 5},
    # 8 et 80 actions
    "pilotage:contrat": {"metropole": 30, "admin": 30},
    "pilotage:contrat?au=2025-06-30": {"finances": 30},
    "pilotage:contrat?version=initiale": {"finances": 29},
    "coherence:constats": {"metropole": 12, "admin": 12},
    "coherence:xlsx": {"metropole": 13, "admin": 13},
    "pilotage:action": {"metropole": 11, "admin": 11},
    "pilotage:historique": {"metropole": 12, "admin": 12},
    "pilotage:historique_xlsx": {"metropole": 11, "admin": 11},
    "indicateurs:grille": {"metropole": 12, "ddets": 12, "admin": 12},
    "indicateurs:detail": {"metropole": 10, "admin": 10},
    "indicateurs:xlsx": {"metropole": 11, "admin": 11},
    "indicateurs:rattachement": {"metropole": 8, "ddets": 8, "national": 6, "admin": 6},
    "finances:budget_annee": {"finances": 6, "admin": 6},
    "finances:avenant_creer": {"finances": 7, "admin": 7},
    "finances:execution": {"finances": 9, "admin": 9},
    "finances:budget_xlsx": {"finances": 6, "admin": 6},
    "finances:execution_xlsx": {"finances": 8, "admin": 8},
    "finances:import": {"finances": 4, "metropole": 4, "admin": 4},
    "finances:modele": {"finances": 8, "admin": 8},
    "finances:execution_grille": {"finances": 9, "metropole": 9, "admin": 9},
    "finances:versements": {"finances": 11, "admin": 11},
    "finances:versement_modifier": {"finances": 6, "admin": 6},
    "rapports:liste": {"secretariat": 7, "admin": 7},
    # Aperçus : + les versions figées du document (son état en tête : transmis, figé ou à figer) ; mi-parcours et
    # annuel : + les versements (annexe 1).
    "rapports:apercu mi-parcours": {"secretariat": 21, "admin": 21},
    "rapports:apercu annuel-2025": {"secretariat": 21, "admin": 21},
    "rapports:apercu deliberation-mi-parcours": {"secretariat": 20, "admin": 20},
    "rapports:apercu deliberation-annuel-2025": {"secretariat": 20, "admin": 20},
    "rapports:pdf mi-parcours": {"secretariat": 19, "admin": 19},
    "rapports:pdf annuel-2025": {"secretariat": 19, "admin": 19},
    "rapports:pdf deliberation-mi-parcours": {"secretariat": 18, "admin": 18},
    "rapports:pdf deliberation-annuel-2025": {"secretariat": 18, "admin": 18},
    "rapports:version": {"secretariat": 4, "admin": 4},
    "rapports:vote deliberation-mi-parcours": {"secretariat": 5, "admin": 5},
    # 1 et 12 contrats visibles : une notification et un document de lot par contrat
    "notifications:boite": {"metropole": 6, "admin": 6},
    "lots:liste": {"metropole": 5, "admin": 5},
    "lots:detail": {"metropole": 5, "admin": 5},
    # 3 et 20 contrats (jeu national synthétique) ; la vue nationale à froid (son contenu n'est pas encore en cache)
    "national:tableau": {"national": 17, "region": 19, "ddets": 19, "admin": 17},
    "national:xlsx": {"national": 14, "admin": 14},
    "national:indicateur": {"national": 16, "region": 18},
    "national:referentiel": {"national": 5, "region": 7},
    "national:indicateur_creer": {"national": 4},
    "national:indicateur_modifier": {"national": 5},
    # 2 et 20 comptes dans l'organisation de l'administrateur de l'organisation
    "comptes:liste": {"gestionnaire": 4, "admin": 4},
    "comptes:inviter": {"gestionnaire": 3, "admin": 4},
    # Création d'un contrat : brouillon en session, 2 et 32 organisations proposées
    "creation:accueil": {"admin-metropole": 4, "admin": 4},
    "creation:parties": {"admin-metropole": 5, "admin": 5},
    "creation:contrat": {"admin-metropole": 4, "admin": 4},
    "creation:axes": {"admin-metropole": 5, "admin": 5},
    "creation:annexe": {"admin-metropole": 3, "admin": 3},
    "creation:modele": {"admin-metropole": 2, "admin": 2},
    # 8 et 80 actions
    "creation:suite": {"admin": 5},
    # 3 et 20 contrats (jeu national synthétique), une évaluation et une pièce par action
    "national:evaluations_xlsx": {"national": 4, "admin": 4},
    # 8 et 80 actions : une évaluation, une pièce justificative et un document par action
    "documents:liste": {"metropole": 5, "admin": 5},
    "documents:telecharger": {"metropole": 4, "admin": 4},
    "documents:supprimer": {"metropole": 5, "admin": 5},
    "evaluation:synthese": {"metropole": 6, "admin": 6},
    "evaluation:action": {"metropole": 7, "ddets": 7, "admin": 7},
    "evaluation:piece_supprimer": {"metropole": 6, "admin": 6},
}


# Pages dont le nombre de requêtes croît encore avec les données, et pourquoi : le test les marque « xfail » tant
# qu'elles croissent (le nombre épinglé est celui du petit jeu, toujours vérifié). Une fois la boucle corrigée, le
# test échoue en donnant le nouveau nombre : l'épingler, et retirer la page d'ici.
CROISSANCES_CONNUES = {
    # page : (la requête répétée, pourquoi) ; aucune aujourd'hui.
}

PETIT, GRAND = 8, 80  # actions du contrat
UN, DOUZE = 1, 12  # contrats visibles
ANNEE = 2025


@dataclass
class Jeu:
    """Un jeu de données : le contrat dont on lit les pages, et les comptes (nom → utilisateur) qui les lisent."""

    libelle: str
    contrat: Contrat
    comptes: dict = field(default_factory=dict)

    def client(self, nom: str) -> Client:
        client = Client()
        if nom in ("admin", "national"):  # comptes de démonstration qui voient tous les contrats
            client.force_login(get_user_model().objects.get(username=nom))
        else:
            client.force_login(self.comptes.get(nom) or compte(self.contrat, nom))
        return client


def territoire(nombre: int, departement: str) -> Jeu:
    """`nombre` contrats d'une collectivité, dans un département à part : la collectivité (« metropole ») et le
    service de l'État du département (« ddets ») voient ces contrats et eux seuls. Chacun a ses actions, son
    budget, ses échéances et une année à chaque statut du circuit."""
    collectivite = OrganisationFactory(departement=departement)
    contrats = []
    for n in range(1, nombre + 1):
        contrat = ContratFactory(collectivite=collectivite, departement=departement, titre=f"Contrat témoin {n:02d}")
        for numero in ("1", "2"):
            LigneBudgetaireFactory(action=ActionFactory(contrat=contrat, numero=numero), annee=2024)
        echeances_par_defaut_creer(contrat=contrat)
        SuiviAnnuel.objects.create(contrat=contrat, annee=2024, statut=StatutSuivi.VALIDE)
        SuiviAnnuel.objects.create(contrat=contrat, annee=2025, statut=StatutSuivi.SOUMIS)
        SuiviAnnuel.objects.create(contrat=contrat, annee=2026, statut=StatutSuivi.A_CORRIGER, motif="À revoir")
        contrats.append(contrat)
    service_etat = OrganisationFactory(ddets=True, departement=departement)
    comptes = {
        "metropole": ProfilFactory(organisation=collectivite, role=Role.AGENT_COLLECTIVITE).user,
        "ddets": ProfilFactory(organisation=service_etat, role=Role.AGENT_ETAT).user,
    }
    return Jeu(f"{nombre} contrat(s) visible(s)", contrats[0], comptes)


@pytest.fixture(scope="module")
def jeux(django_db_setup, django_db_blocker):
    """Les jeux de données, construits une fois pour le module dans une transaction annulée à la fin ; chaque
    test y lit dans sa propre transaction (un point de sauvegarde)."""
    with django_db_blocker.unblock(), transaction.atomic():
        contrats = [Jeu(f"{taille} actions", contrat_de_taille(taille, complet=True)[0]) for taille in (PETIT, GRAND)]
        for jeu in contrats:
            rattacher_aux_indicateurs_nationaux(jeu.contrat)
        yield {"territoires": [territoire(UN, "97"), territoire(DOUZE, "98")], "contrats": contrats}
        transaction.set_rollback(True)


def rattacher_aux_indicateurs_nationaux(contrat: Contrat) -> None:
    """Deux indicateurs nationaux ; chaque indicateur « national » du contrat rattaché à l'un, puis la moitié
    rattachée à l'autre : autant de rattachements (et de lignes d'historique) que d'actions."""
    premier, second = (
        IndicateurNational.objects.get_or_create(
            pilier=Pilier.objects.get(numero=numero), libelle=f"Indicateur national {numero}", defaults={"source": "s"}
        )[0]
        for numero in (1, 3)
    )
    indicateurs = list(Indicateur.objects.filter(action__contrat=contrat, portee=Portee.NATIONAL).order_by("pk"))
    utilisateur = get_user_model().objects.get(username="national")
    indicateurs_rattacher(
        user=utilisateur, contrat=contrat, changements={i.pk: (None, premier.pk) for i in indicateurs}
    )
    indicateurs_rattacher(
        user=utilisateur, contrat=contrat, changements={i.pk: (premier.pk, second.pk) for i in indicateurs[::2]}
    )


def adresse(cle: str, contrat: Contrat) -> str:
    """L'adresse de `cle` : un nom d'URL, suivi d'une chaîne de requête (« ?au=… ») ou d'un document."""
    nom, _, document = cle.partition(" ")
    nom, _, requete = nom.partition("?")
    if nom in ("accueil", "pilotage:liste"):
        return reverse(nom)
    if nom == "pilotage:action":
        args = [contrat.slug, "1"]
    elif nom in ("indicateurs:grille", "finances:budget_annee", "finances:execution_grille"):
        args = [contrat.slug, ANNEE]
    elif nom == "finances:versement_modifier":
        args = [contrat.slug, contrat.versements.order_by("pk").first().pk]
    elif nom == "indicateurs:detail":  # l'indicateur national : cibles nd, une fixée, valeurs corrigées
        args = [
            contrat.slug,
            Indicateur.objects.get(action__contrat=contrat, action__numero="1", portee=Portee.NATIONAL).pk,
        ]
    elif nom in ("documents:telecharger", "documents:supprimer"):
        args = [contrat.slug, Document.objects.filter(contrat=contrat, action=None).order_by("pk").first().pk]
    elif nom == "evaluation:action":
        args = [contrat.slug, "1"]
    elif nom == "evaluation:piece_supprimer":
        args = [contrat.slug, "1", Document.objects.get(contrat=contrat, action__numero="1").pk]
    elif nom == "rapports:version":
        args = [contrat.slug, VersionRapport.objects.filter(contrat=contrat, type=TypeRapport.MI_PARCOURS).first().pk]
    else:
        args = [contrat.slug, document] if document else [contrat.slug]
    return reverse(nom, args=args) + (f"?{requete}" if requete else "")


def mesurer(cle: str, nom: str, jeu: Jeu):
    """La réponse et les requêtes d'un GET à froid : le cache vidé, une page mise en cache compte ses requêtes."""
    client = jeu.client(nom)
    cache.clear()
    return requetes_get(client, adresse(cle, jeu.contrat))


def verifier(cle: str, nom: str, mesures: dict[str, Requetes]) -> None:
    """Le même nombre de requêtes pour chaque jeu, égal à celui épinglé ; sinon, de quoi trouver pourquoi."""
    attendu = REQUETES[cle][nom]
    (petit_jeu, petit), (grand_jeu, grand) = mesures.items()
    if len(petit) == len(grand) == attendu:
        return
    repetee, pourquoi = CROISSANCES_CONNUES.get(cle.partition("?")[0], (None, ""))
    if repetee and len(petit) == attendu and all(repetee in forme for forme in formes_en_plus(petit, grand)):
        pytest.xfail(f"{len(petit)} → {len(grand)} requêtes, {pourquoi}")
    message = [f"{cle} ({nom}) : {attendu} requêtes épinglées ; mesurées : {len(petit)} ({petit_jeu}), "
               f"{len(grand)} ({grand_jeu})."]  # fmt: skip
    if len(petit) != len(grand):
        message += [
            f"Le nombre croît avec les données ; requêtes en plus ({grand_jeu}) :",
            ecart_de_requetes(petit, grand),
        ]
    else:
        message.append(f'Si le changement est voulu, dans REQUETES : "{cle}": {{… "{nom}": {len(petit)} …}}')
        if repetee:
            message.append(f"La page ne croît plus : retirez « {cle.partition('?')[0]} » de CROISSANCES_CONNUES.")
    message.append(grand.rapport(f"Requêtes ({grand_jeu}) :"))
    pytest.fail("\n".join(message), pytrace=False)


def cas(*prefixes):
    return [
        pytest.param(cle, nom, id=f"{cle} ({nom})")
        for cle, comptes in REQUETES.items()
        if cle.startswith(prefixes)
        for nom in comptes
    ]


@pytest.mark.parametrize(("cle", "nom"), cas("accueil", "pilotage:liste"))
def test_accueil_et_liste(jeux, cle, nom):
    mesures = {}
    for jeu in jeux["territoires"]:
        reponse, mesures[jeu.libelle] = mesurer(cle, nom, jeu)
        texte = page(reponse)
        titres = Contrat.objects.filter(collectivite=jeu.contrat.collectivite).values_list("titre", flat=True)
        assert all(titre in texte for titre in titres), (cle, nom, jeu.libelle)  # tous les contrats, sur une page
    verifier(cle, nom, mesures)


@pytest.mark.parametrize(("cle", "nom"), cas("pilotage:contrat", "pilotage:co", "pilotage:action", "pilotage:hist"))
def test_pages_du_contrat(jeux, cle, nom):
    verifier(cle, nom, {jeu.libelle: mesurer(cle, nom, jeu)[1] for jeu in jeux["contrats"]})


@pytest.mark.parametrize(("cle", "nom"), cas("indicateurs:", "finances:"))
def test_indicateurs_et_finances(jeux, cle, nom):
    verifier(cle, nom, {jeu.libelle: mesurer(cle, nom, jeu)[1] for jeu in jeux["contrats"]})


def documents_et_evaluations(contrats) -> None:
    """Pour chaque action : un document du contrat, une pièce justificative et une évaluation soumise. Le premier
    document a un vrai fichier (téléchargé) ; les listes croissent avec le nombre d'actions."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from documents.enums import NatureDocument
    from documents.services import document_deposer

    admin = get_user_model().objects.get(username="admin")
    maintenant = timezone.now()
    documents, evaluations = [], []
    for contrat in contrats:
        fichier = SimpleUploadedFile("contrat.pdf", b"%PDF-1.7 mesure")
        document_deposer(user=admin, contrat=contrat, fichier=fichier, nature=NatureDocument.CONTRAT_SIGNE)
        for action in Action.objects.filter(contrat=contrat):
            commun = {"contrat": contrat, "fichier": "contrats/x.pdf", "nom": "x.pdf", "taille": 10,
                      "type_mime": "application/pdf", "empreinte": "0" * 64, "depose_par": admin,
                      "depose_le": maintenant}  # fmt: skip
            documents.append(Document(nature=NatureDocument.AUTRE, titre=f"Document {action.numero}", **commun))
            documents.append(Document(nature=NatureDocument.PIECE_JUSTIFICATIVE, titre="Pièce", action=action,
                                      **commun))  # fmt: skip
            evaluations.append(
                EvaluationAction(action=action, constats="Constat", statut=StatutSuivi.SOUMIS, modifie_par=admin,
                                 modifie_le=maintenant, statut_par=admin, statut_le=maintenant)
            )  # fmt: skip
    Document.objects.bulk_create(documents)
    EvaluationAction.objects.bulk_create(evaluations)


@pytest.mark.parametrize(("cle", "nom"), cas("documents:", "evaluation:"))
def test_documents_et_evaluation(jeux, cle, nom):
    documents_et_evaluations([jeu.contrat for jeu in jeux["contrats"]])
    verifier(cle, nom, {jeu.libelle: mesurer(cle, nom, jeu)[1] for jeu in jeux["contrats"]})


@pytest.mark.parametrize(("cle", "nom"), cas("rapports:"))
def test_rapports(jeux, pdf_factice, cle, nom):
    mesures = {}
    for jeu in jeux["contrats"]:
        reponse, mesures[jeu.libelle] = mesurer(cle, nom, jeu)
        assert b"VARIABLE_INCONNUE" not in reponse.content, (cle, nom, jeu.libelle)
    verifier(cle, nom, mesures)


@pytest.mark.parametrize(("cle", "nom"), cas("national:"))
def test_vue_nationale(cle, nom):
    """La vue nationale, son export et ses pages d'indicateur : le même nombre de requêtes pour 3 et 20 contrats."""
    from django.contrib.auth import get_user_model

    from national.jeu import jeu_national_generer

    mesures = {}
    for nombre in (3, 20):
        contrats = jeu_national_generer(nombre=nombre)
        if cle == "national:evaluations_xlsx":
            documents_et_evaluations(contrats)
        client = Client()
        client.force_login(get_user_model().objects.get(username=nom))
        indicateur = IndicateurNational.objects.order_by("pk").first()
        args = [indicateur.pk] if cle in ("national:indicateur", "national:indicateur_modifier") else []
        cache.clear()
        reponse, mesures[f"{nombre} contrats"] = requetes_get(client, reverse(cle, args=args))
        assert reponse.status_code == 200, (cle, nom, reponse.status_code)
    verifier(cle, nom, mesures)


@pytest.mark.parametrize(("cle", "nom"), cas("comptes:"))
def test_comptes(cle, nom):
    """La liste des comptes et l'invitation : le même nombre de requêtes pour 2 et 20 comptes de l'organisation."""
    organisation = OrganisationFactory(departement="96")
    gestionnaire = ProfilFactory(organisation=organisation, role=Role.ADMIN_ORGANISATION).user
    mesures = {}
    for nombre in (2, 20):
        while organisation.profils.count() < nombre + 1:
            ProfilFactory(organisation=organisation, role=Role.AGENT_COLLECTIVITE)
        client = Client()
        client.force_login(gestionnaire if nom == "gestionnaire" else get_user_model().objects.get(username="admin"))
        cache.clear()
        reponse, mesures[f"{nombre} comptes"] = requetes_get(client, reverse(cle))
        assert reponse.status_code == 200, (cle, nom, reponse.status_code)
    verifier(cle, nom, mesures)


def test_un_vrai_pdf_coute_les_memes_requetes(jeux):
    """WeasyPrint ne lit pas la base : un PDF réellement mis en page coûte ce que coûte le PDF factice."""
    cle = "rapports:pdf deliberation-annuel-2025"
    reponse, requetes = mesurer(cle, "secretariat", jeux["contrats"][0])
    assert reponse.content.startswith(b"%PDF-") and b"factice" not in reponse.content
    assert len(requetes) == REQUETES[cle]["secretariat"], requetes.rapport()


def test_chaque_adresse_lue_par_get_est_epinglee():
    """Toute adresse nommée du projet qui répond à un GET figure au tableau : une page ajoutée sans son nombre de
    requêtes fait échouer ce test (seules les adresses d'écriture, POST seulement, en sont exemptées)."""
    noms = set()

    def parcourir(motifs, espace=""):
        for motif in motifs:
            if hasattr(motif, "url_patterns"):
                if motif.namespace != "admin":
                    parcourir(motif.url_patterns, f"{motif.namespace}:" if motif.namespace else espace)
            elif motif.name:
                noms.add(espace + motif.name)

    parcourir(get_resolver().url_patterns)
    post_seulement = {
        "indicateurs:statut",
        "indicateurs:commenter",
        "indicateurs:cible",
        "rapports:figer",
        "rapports:version_transmise",
        "notifications:ouvrir",
        "notifications:tout_lire",
        "finances:versement_supprimer",
        "comptes:desactiver",
        "comptes:reactiver",
        "comptes:reinviter",
        "creation:confirmer",
        "creation:abandonner",
        "evaluation:statut",
        "evaluation:piece",
    }
    authentification = {"login", "logout"}
    # Page fixe, sans donnée : sa requête (aucune sans session) est épinglée par tests/pilotage/test_accessibilite.py.
    authentification.add("accessibilite")
    # Sonde de santé, sans session : sa seule requête (SELECT 1) est épinglée par tests/production/test_sante.py.
    authentification.add("sante")
    # Pages fixes, sans donnée d'un contrat ni d'une liste (mentions, données personnelles, mot de passe, état de la
    # session en JSON, reprise d'une saisie gardée) : Django ou comptes/views.py, quelques requêtes de session au plus.
    authentification |= {
        "mentions_legales",
        "donnees_personnelles",
        "password_change",
        "password_change_done",
        "password_reset",
        "password_reset_done",
        "password_reset_confirm",
        "password_reset_complete",
        "comptes:session",
        "comptes:reprise",
    }
    epinglees = {cle.partition(" ")[0].partition("?")[0] for cle in REQUETES}
    assert noms - post_seulement - authentification == epinglees


@pytest.mark.parametrize(("cle", "nom"), cas("notifications:", "lots:"))
def test_notifications_et_lots(jeux, cle, nom):
    """La boîte de réception et les rapports par lots : une notification et un document de lot par contrat visible."""
    from notifications.models import Notification
    from rapports.models import ElementLot, LotRapports

    mesures = {}
    for jeu in jeux["territoires"]:
        user = get_user_model().objects.get(username="admin") if nom == "admin" else jeu.comptes[nom]
        contrats = list(Contrat.objects.filter(collectivite=jeu.contrat.collectivite))
        Notification.objects.bulk_create(
            [Notification(destinataire=user, cle=f"mesure:{c.pk}", type="rappel", titre=c.titre, contrat=c)
             for c in contrats]
        )  # fmt: skip
        lot = LotRapports.objects.create(type=TypeRapport.MI_PARCOURS, cree_par=user)
        ElementLot.objects.bulk_create([ElementLot(lot=lot, contrat=c) for c in contrats])
        url = reverse("lots:detail", args=[lot.pk]) if cle == "lots:detail" else reverse(cle)
        cache.clear()
        reponse, mesures[jeu.libelle] = requetes_get(jeu.client(nom), url)
        assert all(c.titre in page(reponse) for c in contrats) or cle == "lots:liste", (cle, nom, jeu.libelle)
    verifier(cle, nom, mesures)


@pytest.mark.parametrize(("cle", "nom"), cas("creation:suite"))
def test_creation_suite(jeux, cle, nom):
    verifier(cle, nom, {jeu.libelle: mesurer(cle, nom, jeu)[1] for jeu in jeux["contrats"]})


@pytest.mark.parametrize(("cle", "nom"), [p for p in cas("creation:") if p.values[0] != "creation:suite"])
def test_creation_etapes(cle, nom):
    """Les étapes de la création, un brouillon complet en session : le même nombre de requêtes quel que soit le
    nombre d'organisations proposées comme parties."""
    from contrats.enums import TypeOrganisation
    from contrats.models import Organisation
    from creation.brouillon import AxeBrouillon, Brouillon
    from referentiel.models import Pilier

    brouillon = Brouillon(
        etat_id=Organisation.objects.get(slug="prefet-cote-dor-cls-2024-2027").pk,
        collectivite_id=Organisation.objects.get(slug="dijon-metropole").pk,
        type_collectivite=TypeOrganisation.METROPOLE, titre="Contrat témoin", annee_debut=2024, annee_fin=2027,
        departement="21",
        axes=[AxeBrouillon(numero=p.numero, intitule=p.intitule, pilier_numero=p.numero, etat={"2024": "1000"})
              for p in Pilier.objects.order_by("numero")],
    )  # fmt: skip
    mesures = {}
    for nombre in (2, 32):
        for rang in range(Organisation.objects.filter(slug__startswith="mesure-").count(), nombre - 2):
            type_ = TypeOrganisation.PREFECTURE if rang % 2 else TypeOrganisation.METROPOLE
            Organisation.objects.create(slug=f"mesure-{rang}", nom=f"Organisation témoin {rang}", type=type_)
        client = Client()
        client.force_login(get_user_model().objects.get(username=nom))
        session = client.session
        brouillon.en_session(session)
        session.save()
        cache.clear()
        mesures[f"{nombre} organisations"] = requetes_get(client, reverse(cle))[1]
    verifier(cle, nom, mesures)
