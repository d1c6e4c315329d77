"""Outils partagés des tests : le texte d'une page ou d'un PDF, un classeur recalculé par LibreOffice, les requêtes
SQL comptées (et listées quand le compte n'est pas celui attendu), des contrats fictifs de la taille voulue, la
saisie comme la grille la fait, les droits attendus.

Un module de test n'importe jamais un autre module de test : ce qui sert à plusieurs vit ici."""

import datetime
import html
import random
import re
import shutil
import subprocess
import sys
import uuid
import zipfile
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from actions.models import Action, Jalon
from comptes.enums import Role
from comptes.services import MOT_DE_PASSE_DEMO
from contrats.enums import CategorieQuartier, RoleSignataire
from contrats.models import Contrat, InstanceGouvernance, PartenaireAssocie, Quartier, SousAxe, Visa
from creation.modele import ActionAnnexe, IndicateurAnnexe, classeur_annexe
from finances.enums import Financeur
from finances.models import Avenant, Execution, LigneBudgetaire, MontantAnnonce
from indicateurs.enums import Portee
from indicateurs.models import Bilan, BilanChiffre, BilanRubrique, Cible, Indicateur, Realisation, RecitAction
from indicateurs.services import CHAMPS_RECIT, Valeur, saisie_enregistrer, suivi_changer_statut, suivi_obtenir
from pilotage.chargement import echeances_par_defaut_creer
from rapports.enums import TypeRapport
from tests.conftest import CLS
from tests.contrats.factories import (
    AxeFactory,
    ContratFactory,
    DeliberationFactory,
    OrganisationFactory,
    ProfilFactory,
    UserFactory,
)
from tests.finances.factories import VersementFactory
from tests.rapports.factories import DeliberationRapportFactory, VersionRapportFactory

# --- Texte ---------------------------------------------------------------------------------------------------------


def page(reponse) -> str:
    """Le texte HTML de la réponse, entités décodées, espaces insécables et fines ramenées à des espaces."""
    return re.sub(r"[\u00a0\u202f]", " ", html.unescape(reponse.content.decode()))


def normaliser(texte: str) -> str:
    """Espaces insécables et fines (les montants à la française), retours à la ligne : une espace ordinaire."""
    return re.sub(r"[\s\u00a0\u202f]+", " ", texte).strip()


def texte_page(reponse) -> str:
    """Le texte HTML de la réponse, entités décodées, tous les blancs ramenés à une espace."""
    return normaliser(html.unescape(reponse.content.decode()))


def texte_pdf(contenu: bytes) -> str:
    """Le texte d'un PDF, lu par pypdf, page après page, blancs normalisés."""
    lecteur = PdfReader(BytesIO(contenu))
    return normaliser(" ".join(p.extract_text() for p in lecteur.pages))


def recalculer(contenu: bytes, dossier: Path):
    """Ouvre le classeur avec LibreOffice, qui recalcule toutes les formules, et relit les valeurs obtenues."""
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.fail("LibreOffice est requis : lancez `make libreoffice` (fait par `make test`).")
    source = dossier / "source.xlsx"
    source.write_bytes(contenu)
    sortie = dossier / "recalcule"
    profil = dossier / f"profil-{uuid.uuid4().hex}"
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{profil}", "--headless", "--norestore",
         "--convert-to", "xlsx", "--outdir", str(sortie), str(source)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    return load_workbook(sortie / "source.xlsx", data_only=True)


# --- Fichiers envoyés ----------------------------------------------------------------------------------------------


def classeur_a_la_taille(donnees: bytes, taille: int) -> bytes:
    """Le classeur .xlsx alourdi jusqu'à `taille` octets tout juste : une image incompressible (que la lecture ignore),
    puis le commentaire de l'archive pour l'octet près."""
    flux = BytesIO(donnees)
    with zipfile.ZipFile(flux, "a", zipfile.ZIP_STORED) as archive:
        archive.writestr("xl/media/image1.png", random.Random(7).randbytes(taille - len(donnees) - 1000))
    with zipfile.ZipFile(flux, "a") as archive:
        archive.comment = b" " * (taille - len(flux.getvalue()))
    assert len(flux.getvalue()) == taille
    return flux.getvalue()


# --- Requêtes SQL --------------------------------------------------------------------------------------------------

RACINE = Path(settings.BASE_DIR).resolve()
_EXCLUS = (str(RACINE / ".venv"), str(RACINE / "tests"))  # l'origine cherchée est dans le code du projet


@dataclass
class Requete:
    sql: str
    params: tuple
    origine: str  # fichier:ligne (fonction) du projet qui l'a lancée, et le gabarit en cours de rendu

    @property
    def forme(self) -> str:
        """La requête sans ses paramètres ni la longueur de ses listes (`IN (%s, …)`) : deux requêtes de même forme
        répétées N fois trahissent une boucle."""
        forme = re.sub(r"IN \((?:%s, )+%s\)", "IN (%s, …)", _abreger(self.sql))
        return re.sub(r'((?:"\w+"\.)?"\w+" = %s)(?: OR \1)+', r"\1 OR …", forme)

    def lisible(self) -> str:
        """La requête avec ses paramètres, les longues listes de valeurs abrégées."""
        try:
            texte = _abreger(self.sql) % tuple(_litteral(p) for p in self.params)
        except (TypeError, ValueError):
            return f"{_abreger(self.sql)}  -- paramètres {self.params!r}"
        texte = re.sub(r"IN \(([^()]*)\)", _abreger_liste, texte)
        return re.sub(r'((?:"\w+"\.)?"\w+") = ([^ ()]+)((?: OR \1 = [^ ()]+)+)', _abreger_ou, texte)


def _litteral(valeur) -> str:
    if valeur is None:
        return "NULL"
    if isinstance(valeur, bool | int | float | Decimal):
        return str(valeur)
    texte = str(valeur)
    return "'" + (texte if len(texte) <= 60 else texte[:57] + "…").replace("'", "''") + "'"


def _abreger_liste(trouve) -> str:
    valeurs = trouve[1].split(", ")
    if len(valeurs) <= 6:
        return trouve[0]
    return f"IN ({', '.join(valeurs[:5])}, … {len(valeurs)} valeurs)"


def _abreger_ou(trouve) -> str:
    nombre = trouve[3].count(" OR ") + 1
    if nombre <= 6:
        return trouve[0]
    return f"{trouve[1]} = {trouve[2]} OR … ({nombre} valeurs)"


def _abreger(sql: str) -> str:
    """`SELECT "t"."a", "t"."b", … FROM` → `SELECT "t"."a", … (12 colonnes) FROM` : la liste des colonnes (hors
    sous-requêtes) est ce qui rend une requête Django illisible, et elle n'aide pas à trouver une boucle."""
    if not sql.startswith("SELECT "):
        return sql
    profondeur, colonnes, debut = 0, 1, len("SELECT ")
    for i in range(debut, len(sql)):
        caractere = sql[i]
        if caractere == "(":
            profondeur += 1
        elif caractere == ")":
            profondeur -= 1
        elif profondeur == 0 and caractere == ",":
            colonnes += 1
        elif profondeur == 0 and sql.startswith(" FROM ", i):
            if colonnes <= 3:
                return sql
            premiere = sql[debut:i].split(",", 1)[0]
            return f"SELECT {premiere}, … ({colonnes} colonnes){sql[i:]}"
    return sql


def _origine() -> str:
    """La ligne du projet la plus proche de la base qui a lancé la requête, et le gabarit en cours de rendu."""
    code = gabarit = None
    cadre = sys._getframe(2)
    while cadre is not None and (code is None or gabarit is None):
        fichier = cadre.f_code.co_filename
        if gabarit is None and fichier.endswith(("django/template/base.py", "django/template/defaulttags.py")):
            noeud = cadre.f_locals.get("self")
            origin, token = getattr(noeud, "origin", None), getattr(noeud, "token", None)
            if origin is not None and token is not None and origin.name:
                gabarit = f"{_relatif(origin.name)}:{token.lineno}"
        if code is None and fichier.startswith(str(RACINE)) and not fichier.startswith(_EXCLUS):
            code = f"{_relatif(fichier)}:{cadre.f_lineno} ({cadre.f_code.co_name})"
        cadre = cadre.f_back
    return (
        ", ".join(filter(None, [code, f"gabarit {gabarit}" if gabarit else None]))
        or "hors du code du projet (Django, bibliothèques)"
    )


def _relatif(chemin: str) -> str:
    try:
        return str(Path(chemin).resolve().relative_to(RACINE))
    except ValueError:
        return chemin


class Requetes(list):
    """Les requêtes SQL d'un bloc, dans l'ordre, chacune avec la ligne du projet qui l'a lancée."""

    def rapport(self, titre: str = "") -> str:
        lignes = [titre] if titre else []
        largeur = len(str(len(self)))
        for numero, requete in enumerate(self, 1):
            lignes.append(f"{numero:>{largeur}}. {requete.lisible()}")
            lignes.append(f"{' ' * largeur}   ← {requete.origine}")
        repetees = [(n, forme) for forme, n in Counter(r.forme for r in self).most_common() if n > 1]
        if repetees:
            lignes.append("Requêtes de même forme répétées (une boucle ?) :")
            lignes += [f"  {n} × {forme}" for n, forme in repetees]
        return "\n".join(lignes)


@contextmanager
def requetes_capturees(connexion=connection):
    """Toutes les requêtes SQL du bloc (sessions, points de sauvegarde compris), comme CaptureQueriesContext, plus
    leur origine dans le code :

        with requetes_capturees() as requetes:
            client.get(url)
        len(requetes), requetes.rapport()
    """
    requetes = Requetes()

    def noter(execute, sql, params, many, context):
        requetes.append(Requete(sql, tuple(params or ()) if not many else (), _origine()))
        return execute(sql, params, many, context)

    with connexion.execute_wrapper(noter):
        yield requetes


@contextmanager
def requetes_exactes(attendu: int, connexion=connection):
    """Échoue si le bloc ne lance pas exactement `attendu` requêtes SQL, en les listant toutes, numérotées, avec
    la ligne de code et de gabarit qui a lancé chacune (à la manière de `assert_database_query_count` de Zulip) :

        with requetes_exactes(3):
            classeur_budget(contrat)
    """
    with requetes_capturees(connexion) as requetes:
        yield requetes
    if len(requetes) != attendu:
        pytest.fail(requetes.rapport(f"{len(requetes)} requêtes SQL au lieu de {attendu} :"), pytrace=False)


def requetes_get(client, url: str, *, statut: int = 200):
    """(réponse, requêtes) d'un GET ; la réponse doit avoir le statut attendu (sans quoi le compte ne dit rien)."""
    with requetes_capturees() as requetes:
        reponse = client.get(url)
    assert reponse.status_code == statut, (url, reponse.status_code)
    return reponse, requetes


def formes_en_plus(petit: Requetes, grand: Requetes) -> dict[str, tuple[int, int]]:
    """Les formes de requêtes dont le nombre change du petit au grand jeu : forme → (avant, après)."""
    avant, apres = Counter(r.forme for r in petit), Counter(r.forme for r in grand)
    return {forme: (avant[forme], apres[forme]) for forme in avant | apres if avant[forme] != apres[forme]}


def ecart_de_requetes(petit: Requetes, grand: Requetes) -> str:
    """Les requêtes dont le nombre change du petit au grand jeu, et d'où elles viennent : la boucle à chercher."""
    lignes = []
    for forme, (avant, apres) in formes_en_plus(petit, grand).items():
        origines = sorted({r.origine for r in grand if r.forme == forme}) or ["(absente du grand jeu)"]
        lignes.append(f"  {avant} → {apres} × {forme}\n      ← " + "\n      ← ".join(origines))
    return "\n".join(lignes)


# --- Contrats fictifs ----------------------------------------------------------------------------------------------

# Les comptes d'un contrat fictif, nommés comme les comptes de démonstration dont ils ont le rôle.
ROLES_DES_COMPTES = {
    "metropole": Role.AGENT_COLLECTIVITE,
    "finances": Role.FINANCIER,
    "secretariat": Role.SECRETARIAT,
    "lecteur": Role.LECTEUR,
    "ddets": Role.AGENT_ETAT,
}


def compte(contrat, nom: str):
    """L'utilisateur `nom` (metropole, finances, secretariat, lecteur, ddets) partie au contrat fictif : de la
    collectivité, ou de la préfecture signataire pour « ddets ». Créé au premier appel, le même ensuite."""
    identifiant = f"{nom}-{contrat.slug}"
    utilisateur = get_user_model().objects.filter(username=identifiant).first()
    if utilisateur is not None:
        return utilisateur
    if nom == "ddets":
        organisation = contrat.signataires.get(role=RoleSignataire.ETAT).organisation
    else:
        organisation = contrat.collectivite
    profil = ProfilFactory(
        user=UserFactory(username=identifiant), organisation=organisation, role=ROLES_DES_COMPTES[nom]
    )
    return profil.user


def contrat_de_taille(nb_actions: int, *, complet: bool = False):
    """(contrat, financier) : un CLS 2024-2027 fictif de `nb_actions` actions sur 4 axes, deux lignes budgétaires
    (État, collectivité) par action et par année, un indicateur par action et ses quatre cibles.

    `complet` y ajoute tout ce que les pages, exports et rapports montrent, et en fait croître chaque liste avec le
    nombre d'actions : un axe (et son sous-axe) pour 10 actions, au moins 2 ; jalons, interactions, un indicateur
    national aux cibles « nd » dont une fixée ensuite ; valeurs et récits 2024 et 2025 saisis par la collectivité
    (et corrigés), 2024 soumise puis validée par l'État ; budget 2024 corrigé ; un avenant (et sa délibération)
    pour 8 actions ; exécution 2024-2025 (dont des sous-consommations justifiées ou non) ; versements et montants
    annoncés par axe ; une version figée pour 4 actions, dont une transmise ; visas, quartiers, instances,
    partenaire associé, bilan, échéances, vote du projet de délibération à mi-parcours.

    Écrit en masse (bulk_create, avec l'historique de django-simple-history, auteurs et motifs compris) : quelques
    dizaines de requêtes au lieu de milliers, pour qu'un contrat de 80 actions se construise en une seconde. Les
    règles des services ne sont donc pas rejouées : les montants sont choisis pour les respecter."""
    contrat = ContratFactory()
    nb_axes = max(2, nb_actions // 10) if complet else 4
    axes = [AxeFactory(contrat=contrat, numero=n) for n in range(1, nb_axes + 1)]
    sous_axes = [SousAxe.objects.create(axe=a, intitule=f"Sous-axe de l'axe {a.numero}") for a in axes if complet]
    actions = bulk_create_with_history(
        [
            Action(
                contrat=contrat,
                axe=axes[n % nb_axes],
                sous_axe=sous_axes[n % nb_axes] if complet else None,
                numero=str(n + 1),
                ordre=Action.ordre_depuis_numero(str(n + 1)),
                intitule=f"Action de test {n + 1}",
            )
            for n in range(nb_actions)
        ],
        Action,
    )
    bulk_create_with_history(
        [
            LigneBudgetaire(action=action, annee=annee, financeur=financeur, montant=Decimal("1000"))
            for action in actions
            for annee in contrat.annees
            for financeur in (Financeur.ETAT, Financeur.COLLECTIVITE)
        ],
        LigneBudgetaire,
    )
    indicateurs = bulk_create_with_history(
        [
            Indicateur(action=action, libelle=f"Personnes accompagnées (action {action.numero})", unite="personnes",
                       t0=Decimal("10"))
            for action in actions
        ],
        Indicateur,
    )  # fmt: skip
    bulk_create_with_history(
        [Cible(indicateur=i, annee=annee, valeur=Decimal("20")) for i in indicateurs for annee in contrat.annees],
        Cible,
    )
    financier = compte(contrat, "finances")
    if complet:
        _completer(contrat, axes, actions, indicateurs)
    return contrat, financier


def _completer(contrat, axes, actions, indicateurs):
    agent, etat, financier = compte(contrat, "metropole"), compte(contrat, "ddets"), compte(contrat, "finances")
    secretariat = compte(contrat, "secretariat")

    # Les fiches : interactions (chaque action cite la précédente), jalons, indicateur national aux cibles « nd ».
    Action.interactions.through.objects.bulk_create(
        [Action.interactions.through(from_action=a, to_action=b) for a, b in zip(actions[1:], actions, strict=False)]
    )
    Jalon.objects.bulk_create(
        [Jalon(action=a, annee=annee, libelle=f"Jalon {annee} de l'action {a.numero}") for a in actions
         for annee in (2024, 2025)]
    )  # fmt: skip
    nationaux = bulk_create_with_history(
        [
            Indicateur(action=a, ordre=1, portee=Portee.NATIONAL, libelle=f"Taux de sortie positive ({a.numero})",
                       unite="%", t0=None)
            for a in actions
        ],
        Indicateur,
    )  # fmt: skip
    cibles_nd = bulk_create_with_history(
        [Cible(indicateur=i, annee=2024, valeur=Decimal("50")) for i in nationaux]
        + [
            Cible(indicateur=i, annee=annee, nd=True, nd_motif="Indicateur national en cours de définition")
            for i in nationaux
            for annee in (2025, 2026, 2027)
        ],
        Cible,
    )
    # La cible 2025 de chaque indicateur national, fixée par l'État au dialogue de gestion.
    fixees = [c for c in cibles_nd if c.annee == 2025]
    for cible in fixees:
        cible.valeur, cible.nd, cible.nd_motif = Decimal("55"), False, ""
    bulk_update_with_history(
        fixees, Cible, ["valeur", "nd", "nd_motif"], default_user=etat,
        default_change_reason="Dialogue de gestion : cible fixée",
    )  # fmt: skip

    # Valeurs et récits 2024 et 2025 saisis par la collectivité, puis les valeurs 2025 corrigées.
    for annee in (2024, 2025):
        suivi_obtenir(contrat=contrat, annee=annee)
        realisations = bulk_create_with_history(
            [
                Realisation(indicateur=i, annee=annee, valeur=Decimal(12 + n % 20), commentaire="Saisi")
                for n, i in enumerate(indicateurs + nationaux)
            ],
            Realisation,
            default_user=agent,
            default_change_reason=f"Saisie {annee}",
        )
        bulk_create_with_history(
            [
                RecitAction(
                    action=a, annee=annee, **{c: f"{c} de l'action {a.numero} en {annee}" for c in CHAMPS_RECIT}
                )
                for a in actions
            ],
            RecitAction,
            default_user=agent,
            default_change_reason=f"Saisie {annee}",
        )
    for realisation in realisations:
        realisation.valeur += 1
    bulk_update_with_history(
        realisations, Realisation, ["valeur"], default_user=agent, default_change_reason="Saisie 2025"
    )
    suivi = suivi_obtenir(contrat=contrat, annee=2024)
    suivi = suivi_changer_statut(user=agent, suivi=suivi, version=suivi.version, transition="soumettre")
    suivi_changer_statut(user=etat, suivi=suivi, version=suivi.version, transition="valider")

    # Budget : 2024 de la collectivité corrigé par le financier ; un avenant pour 8 actions, chacun fixant l'État 2025
    # de ses 8 actions ; montants annoncés par axe (2024 ferme, égal aux lignes de l'État ; la suite provisoire).
    lignes = list(
        LigneBudgetaire.objects.filter(action__contrat=contrat, annee=2024, financeur=Financeur.COLLECTIVITE)
    )
    for ligne in lignes:
        ligne.montant = Decimal("1200")
    bulk_update_with_history(lignes, LigneBudgetaire, ["montant"], default_user=financier)
    for numero, debut in enumerate(range(0, len(actions), 8), 1):
        avenant = Avenant.objects.create(
            contrat=contrat,
            numero=numero,
            date=datetime.date(2025, 4, numero),
            objet=f"Crédits de l'État 2025 n°{numero}",
            deliberation=DeliberationFactory(contrat=contrat, date=datetime.date(2025, 3, numero)),
        )
        bulk_create_with_history(
            [
                LigneBudgetaire(
                    action=a, annee=2025, financeur=Financeur.ETAT, montant=Decimal("900"), avenant=avenant
                )
                for a in actions[debut : debut + 8]
            ],
            LigneBudgetaire,
            default_user=financier,
            default_change_reason=f"Avenant n°{numero}",
        )
    MontantAnnonce.objects.bulk_create(
        [
            MontantAnnonce(
                contrat=contrat, axe=axe, annee=annee, financeur=Financeur.ETAT, provisoire=annee > 2024,
                montant=Decimal(1000 * sum(1 for a in actions if a.axe_id == axe.pk)), source="Art. 3",
            )
            for axe in axes
            for annee in contrat.annees
        ]
    )  # fmt: skip

    # Exécution 2024 et 2025 : une action sur trois sous-consommée, une sur six avec sa justification.
    bulk_create_with_history(
        [
            Execution(
                action=a, annee=annee, financeur=financeur,
                engage=Decimal("700" if rang % 3 == 0 else "950"), realise=Decimal("500" if rang % 3 == 0 else "900"),
                justification="Recrutement décalé" if rang % 6 == 0 else "",
            )
            for rang, a in enumerate(actions)
            for annee in (2024, 2025)
            for financeur in (Financeur.ETAT, Financeur.COLLECTIVITE)
        ],
        Execution,
        default_user=financier,
    )  # fmt: skip
    for axe in axes:
        for annee in (2024, 2025):
            VersementFactory(contrat=contrat, annee=annee, montant=Decimal(900 * len(actions) // len(axes)), axe=axe)

    # Le texte du contrat, sa gouvernance, son bilan 2024, ses échéances.
    for ordre in (1, 2):
        Visa.objects.create(contrat=contrat, ordre=ordre, texte=f"Vu le texte n°{ordre}")
        Quartier.objects.create(
            contrat=contrat, nom=f"Quartier {ordre}", commune="Ville", categorie=CategorieQuartier.PRIORITAIRE
        )
        InstanceGouvernance.objects.create(contrat=contrat, ordre=ordre, nom=f"Comité {ordre}", rythme="annuel")
    PartenaireAssocie.objects.create(contrat=contrat, organisation=OrganisationFactory(type="association"))
    bilan = Bilan.objects.create(
        contrat=contrat,
        annee=2024,
        deliberation=DeliberationFactory(contrat=contrat, objet="Bilan 2024", date=datetime.date(2025, 3, 27)),
        montant_etat=Decimal(1000 * len(actions)),
        depenses_collectivite=Decimal(1200 * len(actions)),
    )
    rubriques = BilanRubrique.objects.bulk_create(
        [BilanRubrique(bilan=bilan, ordre=n, action=a, intitule=a.intitule) for n, a in enumerate(actions)]
    )
    BilanChiffre.objects.bulk_create(
        [BilanChiffre(rubrique=r, libelle="personnes accompagnées", valeur=Decimal(40 + r.ordre)) for r in rubriques]
    )
    echeances_par_defaut_creer(contrat=contrat)

    # Rapports : le vote du projet de délibération à mi-parcours ; une version figée pour 4 actions, dont une
    # transmise.
    DeliberationRapportFactory(
        contrat=contrat,
        type=TypeRapport.DELIBERATION_MI_PARCOURS,
        annee=2024,
        deliberation__objet="Rapport à mi-parcours",
        deliberation__date=datetime.date(2026, 3, 26),
    )
    VersionRapportFactory.create_batch(
        max(1, len(actions) // 4 - 1), contrat=contrat, type=TypeRapport.MI_PARCOURS, annee=2024, auteur=secretariat
    )
    VersionRapportFactory(
        contrat=contrat,
        type=TypeRapport.ANNUEL,
        annee=2024,
        auteur=secretariat,
        transmise=True,
        transmise_le=datetime.date(2025, 4, 2),
        transmise_par=secretariat,
    )


# --- Saisie comme la grille ----------------------------------------------------------------------------------------


def indicateur(contrat, numero, rang=0) -> Indicateur:
    """Le `rang`-ième indicateur de l'action `numero` du contrat."""
    indicateurs = Indicateur.objects.filter(action__contrat=contrat, action__numero=numero).order_by("ordre", "pk")
    return list(indicateurs)[rang]


def saisir(contrat, annee, valeurs: dict, recits: dict, *, user=None):
    """Valeurs {indicateur: (valeur, commentaire)} et récits {action: {champ: texte}} d'une année, saisis par le
    service de la grille (par défaut sous le compte de démonstration « metropole »)."""
    user = user or get_user_model().objects.get(username="metropole")
    suivi = suivi_obtenir(contrat=contrat, annee=annee)
    saisie_enregistrer(
        user=user,
        suivi=suivi,
        version=suivi.version,
        valeurs={i: Valeur(Decimal(v), commentaire) for i, (v, commentaire) in valeurs.items()},
        recits={a: {c: textes.get(c, "") for c in CHAMPS_RECIT} for a, textes in recits.items()},
    )


# --- Droits (tableau du README) ------------------------------------------------------------------------------------

ROLES = [
    "anonyme", "admin", "ddets", "metropole", "finances", "secretariat", "lecteur", "autre-territoire", "national",
    "region",
]  # fmt: skip
# La vue nationale : l'administration centrale, la préfecture de région, un service de l'État et l'administrateur.
LECTEURS_NATIONAUX = {"admin", "national", "region", "ddets"}
CONNEXION = "connexion"  # redirection vers la page de connexion


def attendu_lecture(role, slug):
    if role == "anonyme":
        return CONNEXION
    if role == "autre-territoire" or (role == "lecteur" and slug != CLS):
        return 404  # le lecteur (partenaire associé) ne voit que le CLS
    return 200


def attendu_ecriture(role, slug, autorises):
    lecture = attendu_lecture(role, slug)
    if lecture != 200:
        return lecture
    return "ok" if role in autorises else 403


def client_pour(role):
    """Un client connecté sous le compte de démonstration `role` (anonyme : non connecté)."""
    client = Client()
    if role != "anonyme":
        assert client.login(username=role, password=MOT_DE_PASSE_DEMO)
    return client


def verifier(reponse, attendu, description):
    code = reponse.status_code
    assert code != 500, description
    if attendu == CONNEXION:
        assert code == 302 and reponse.url.startswith(reverse("login")), (description, code)
    elif attendu == "connexion-admin":
        assert code == 302 and reponse.url.startswith(reverse("admin:login")), (description, code)
    elif attendu == "ok":
        # Une écriture autorisée mais vide ou incomplète : réponse ou redirection, jamais un refus ni une erreur.
        assert code in (200, 302), (description, code)
    else:
        assert code == attendu, (description, code, attendu)


def donnees_de(reponse, formulaire: str = "grille") -> dict:
    """Ce qu'un navigateur enverrait en soumettant le formulaire `formulaire` (id) de la page, tel qu'il est affiché :
    champs texte et cachés, cases cochées seulement, option choisie, contenu des zones de texte. Les champs rattachés
    à un autre formulaire (attribut form=…) n'y sont pas."""
    from html.parser import HTMLParser

    class Lecteur(HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.dans, self.donnees, self.zone, self.select, self.option = False, {}, None, None, None

        def handle_starttag(self, balise, attributs):
            a = dict(attributs)
            if balise == "form":
                self.dans = a.get("id") == formulaire
                return
            if not self.dans and a.get("form") != formulaire or (a.get("form") not in (None, formulaire)):
                return
            nom = a.get("name")
            if balise == "input" and nom and a.get("type") != "submit":
                if a.get("type") in ("checkbox", "radio"):
                    if "checked" in a:
                        self.donnees[nom] = a.get("value", "on")
                else:
                    self.donnees[nom] = a.get("value", "")
            elif balise == "textarea" and nom:
                self.zone, self.donnees[nom] = nom, ""
            elif balise == "select" and nom:
                self.select = nom
                self.donnees.setdefault(nom, "")
            elif balise == "option" and self.select:
                self.option = a.get("value", "")
                if "selected" in a:
                    self.donnees[self.select] = self.option

        def handle_endtag(self, balise):
            if balise == "form":
                self.dans = False
            elif balise == "textarea":
                self.zone = None
            elif balise == "select":
                self.select = None

        def handle_data(self, texte):
            if self.zone:
                self.donnees[self.zone] += texte.removeprefix("\n") if not self.donnees[self.zone] else texte

    lecteur = Lecteur()
    lecteur.feed(reponse.content.decode())
    return lecteur.donnees


def annee_presque_complete(contrat, annee, sauf=None):
    """Toutes les valeurs de l'année à leur cible (ou « non disponible » motivé), appréciations et récits des
    résultats, sauf l'indicateur `sauf` : l'année n'attend plus que lui pour être soumise."""
    from django.contrib.auth import get_user_model

    metropole = get_user_model().objects.get(username="metropole")
    valeurs = {}
    for i in Indicateur.objects.du_contrat(contrat):
        if i == sauf:
            continue
        cible = i.cibles.filter(annee=annee).first()
        if i.est_qualitatif:
            valeurs[i] = Valeur(None, appreciation="atteint")
        elif cible and not cible.nd and cible.valeur is not None:
            valeurs[i] = Valeur(cible.valeur)
        else:
            valeurs[i] = Valeur(None, "Donnée non collectée", non_disponible=True)
    recits = {a: {c: (f"Résultats {a.numero}" if c == "resultats" else "") for c in CHAMPS_RECIT}
              for a in Action.objects.du_contrat(contrat)}  # fmt: skip
    suivi = suivi_obtenir(contrat=contrat, annee=annee)
    saisie_enregistrer(user=metropole, suivi=suivi, version=suivi.version, valeurs=valeurs, recits=recits)


# --- Création d'un contrat depuis son annexe ------------------------------------------------------------------------


def annexe_du_contrat(contrat: Contrat, *, total: bool = False) -> bytes:
    """Le classeur de l'annexe, rempli depuis un contrat chargé : ses actions, leurs montants initiaux (État,
    collectivité) et leurs indicateurs (T0 et cibles, « nd » compris). `total` : avec la ligne TOTAL de l'annexe."""
    montants = {}
    for ligne in LigneBudgetaire.objects.du_contrat(contrat).initiales():
        parts = montants.setdefault(ligne.action_id, {}).setdefault(ligne.annee, {})
        parts[ligne.financeur] = ligne.montant
    actions = [
        ActionAnnexe(
            axe=action.axe.numero, numero=action.numero, intitule=action.intitule, nature=action.nature,
            montants={annee: (p[Financeur.ETAT], p[Financeur.COLLECTIVITE])
                      for annee, p in montants[action.pk].items()},
        )
        for action in contrat.actions.select_related("axe").order_by("ordre")
    ]  # fmt: skip
    indicateurs = []
    for indicateur in Indicateur.objects.du_contrat(contrat):
        cibles = {c.annee: c for c in indicateur.cibles.all()}
        nd = next((c for c in cibles.values() if c.nd), None)
        indicateurs.append(
            IndicateurAnnexe(
                action=indicateur.action.numero, libelle=indicateur.libelle, t0=indicateur.t0,
                cibles={annee: c.valeur for annee, c in cibles.items()}, unite=indicateur.unite,
                commentaire=indicateur.commentaire, nd_motif=nd.nd_motif if nd else "",
                nd_date_limite=nd.nd_date_limite if nd else None,
            )
        )  # fmt: skip
    classeur = classeur_annexe(titre=contrat.titre, annees=contrat.annees, axes=list(contrat.axes.all()),
                               actions=actions, indicateurs=indicateurs)  # fmt: skip
    if total:
        feuille = classeur["Tableau budgétaire"]
        ligne = 7 + len(actions)
        feuille.cell(row=ligne, column=3, value="TOTAL")
        for colonne in range(4, 4 + 3 * len(contrat.annees)):
            feuille.cell(row=ligne, column=colonne, value=sum(feuille.cell(row=r, column=colonne).value
                                                            for r in range(7, ligne)))  # fmt: skip
    flux = BytesIO()
    classeur.save(flux)
    return flux.getvalue()


def modifier(donnees: bytes, changements: dict) -> bytes:
    """Le classeur, avec des cellules changées : {("Tableau budgétaire", "F7"): 60000, …}."""
    classeur = load_workbook(BytesIO(donnees))
    for (feuille, cellule), valeur in changements.items():
        classeur[feuille][cellule].value = valeur
    flux = BytesIO()
    classeur.save(flux)
    return flux.getvalue()
