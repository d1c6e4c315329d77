"""La démonstration vécue : un contrat FICTIF (fixtures/fictif/), ses comptes, et deux années de suivi rejouées par
les services de l'application, chacune à sa date et sous le compte de son auteur.

Rien n'est écrit directement en base : chaque événement du cycle appelle le service qu'un utilisateur aurait déclenché
(saisie, soumission, renvoi, validation, commentaire, cible fixée, avenant, exécution, justification, vote, version
figée, transmission, dépôt d'un document, évaluation à mi-parcours d'une action et son examen). Les services datent ce
qu'ils écrivent avec `timezone.now()` (historique simple_history, statuts, échéances, date du PDF, dépôt d'un
document) : pendant chaque événement, l'horloge de Django est fixée à la date de l'événement, pour que l'historique se
lise comme un cycle réellement vécu de 2024 à 2026.

Les documents déposés (contrat signé, avenant, délibération, pièce justificative) sont de petits PDF produits au
chargement par la mise en page des rapports (WeasyPrint), à partir du texte du fichier de démonstration : chacun dit
« DOCUMENT FICTIF — données de démonstration » ; aucun fichier binaire n'est versé au dépôt.

Les appels aux services sont tous ici (`_EVENEMENTS`) : quand une signature change, c'est le seul endroit à adapter.

Idempotent : un contrat fictif déjà chargé est laissé tel quel (son cycle est fait) ; `reinitialiser=True` l'efface
d'abord, avec tout ce que la démonstration y a écrit, puis le recharge."""

import datetime
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from unittest import mock

import yaml
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from actions.models import Action
from commun.historique import enregistrer
from comptes.models import Profil
from comptes.services import MOT_DE_PASSE_DEMO
from contrats.models import Contrat, Deliberation, Organisation, PartenaireAssocie
from documents.services import document_deposer
from evaluation.models import CHAMPS_EVALUATION, EvaluationAction
from evaluation.services import evaluation_changer_statut, evaluation_enregistrer, piece_deposer
from finances.imports.session import LigneExecution
from finances.models import Execution, LigneBudgetaire, Versement
from finances.services import avenant_appliquer, execution_importer, execution_justifier
from indicateurs.models import Indicateur, RecitAction, SuiviAnnuel
from indicateurs.services import (
    CHAMPS_RECIT,
    Valeur,
    cible_definir,
    commentaire_ajouter,
    saisie_enregistrer,
    suivi_changer_statut,
    suivi_obtenir,
)
from pilotage.chargement import contrat_charger
from rapports import pdf
from rapports.cles import CleRapport
from rapports.enums import MoyenTransmission
from rapports.models import DeliberationRapport, VersionRapport
from rapports.services import deliberation_enregistrer, version_figer, version_transmettre

FICHIER = Path(settings.BASE_DIR) / "fixtures" / "fictif" / "valcourt-cls-2024-2027.yaml"
MENTION_DOCUMENT = "DOCUMENT FICTIF — données de démonstration"


@dataclass
class Chargement:
    contrat: Contrat
    comptes: list
    cree: bool  # faux : le contrat fictif existait déjà, rien n'a été rejoué


def lire(fichier: Path = FICHIER) -> dict:
    return yaml.safe_load(fichier.read_text(encoding="utf-8"))


@contextmanager
def horloge(moment: datetime.datetime):
    """L'horloge de Django (`timezone.now`, donc `localdate`, l'historique et les dates des services) fixée à
    `moment` le temps d'un événement."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def _moment(texte: str) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.fromisoformat(str(texte)))


def demo_fictive_charger(*, fichier: Path = FICHIER, reinitialiser: bool = False) -> Chargement:
    """Charge le contrat fictif, ses comptes et son cycle, tout ou rien."""
    donnees = lire(fichier)
    slug = donnees["structure"]["contrat"]["slug"]
    with transaction.atomic():
        if reinitialiser:
            contrat_fictif_effacer(slug=slug)
        existant = Contrat.objects.filter(slug=slug).first()
        if existant is not None:
            if not existant.fictif:
                raise ValidationError(f"« {slug} » est un contrat réel : la démonstration ne le touche pas.")
            return Chargement(contrat=existant, comptes=_comptes(donnees["demo"]), cree=False)
        # Le contrat naît à sa signature : l'historique de sa structure est daté de ce jour-là.
        signature = donnees["structure"]["contrat"]["date_signature"]
        with horloge(_moment(f"{signature} 09:00")):
            contrat = contrat_charger(donnees=donnees["structure"])
        # Marqué fictif avant tout affichage : bandeau, classeurs et PDF le disent.
        Contrat.objects.filter(pk=contrat.pk).update(fictif=True)
        contrat.refresh_from_db()
        comptes = _comptes(donnees["demo"])
        for organisation in Organisation.objects.filter(slug__in=donnees["demo"].get("partenaires_associes", [])):
            PartenaireAssocie.objects.get_or_create(contrat=contrat, organisation=organisation)
        cycle = _Cycle(contrat, {u.username: u for u in comptes})
        for evenement in sorted(donnees["demo"]["cycle"], key=lambda e: _moment(e["le"])):
            cycle.jouer(evenement)
        return Chargement(contrat=contrat, comptes=comptes, cree=True)


def _comptes(demo: dict) -> list:
    """Les comptes du territoire fictif, un par rôle ; idempotent (nom, organisation, rôle et mot de passe repris)."""
    User = get_user_model()
    comptes = []
    for c in demo["comptes"]:
        user, _ = User.objects.get_or_create(username=c["identifiant"])
        user.first_name, user.last_name = c["prenom"], c["nom"]
        user.is_superuser = user.is_staff = False
        user.set_password(MOT_DE_PASSE_DEMO)
        user.save()
        Profil.objects.update_or_create(
            user=user, defaults={"organisation": Organisation.objects.get(slug=c["organisation"]), "role": c["role"]}
        )
        comptes.append(User.objects.select_related("profil__organisation").get(pk=user.pk))
    return comptes


def contrat_fictif_effacer(*, slug: str) -> None:
    """Efface un contrat FICTIF et ce que la démonstration y a écrit (versions figées, votes, délibérations,
    documents, évaluations à mi-parcours) ; un contrat réel est refusé. Les fichiers des documents effacés (en cascade
    avec leur contrat ou leur action) quittent le stockage une fois l'effacement validé (commun/stockage.py)."""
    contrat = Contrat.objects.filter(slug=slug).first()
    if contrat is None:
        return
    if not contrat.fictif:
        raise ValidationError(f"« {slug} » est un contrat réel : il ne s'efface pas.")
    # Dans l'ordre qu'imposent les clés protégées : rapports figés et votes, avenants et leurs lignes, versements,
    # actions (avant leurs axes, avec leurs évaluations et pièces justificatives), puis le contrat et tout ce qui en
    # dépend en cascade (documents compris).
    VersionRapport.objects.filter(contrat=contrat).delete()
    DeliberationRapport.objects.filter(contrat=contrat).delete()
    LigneBudgetaire.objects.filter(action__contrat=contrat, avenant__isnull=False).delete()
    contrat.avenants.all().delete()
    Deliberation.objects.filter(contrat=contrat).delete()
    contrat.versements.all().delete()
    contrat.actions.all().delete()
    contrat.delete()


class _Cycle:
    """Rejoue les événements du fichier, chacun par le service qu'un utilisateur aurait appelé."""

    def __init__(self, contrat: Contrat, comptes: dict):
        self.contrat = contrat
        self.comptes = comptes
        self.actions = {a.numero: a for a in Action.objects.filter(contrat=contrat)}
        self.indicateurs = {}
        for i in Indicateur.objects.filter(action__contrat=contrat).select_related("action").order_by("ordre", "pk"):
            rang = sum(1 for cle in self.indicateurs if cle.startswith(f"{i.action.numero}."))
            self.indicateurs[f"{i.action.numero}.{rang}"] = i

    def jouer(self, evenement: dict) -> None:
        quoi = evenement["quoi"]
        if quoi not in _EVENEMENTS:
            raise ValidationError(f"Événement inconnu dans la démonstration : « {quoi} ».")
        user = self.comptes[evenement["par"]]
        with horloge(_moment(evenement["le"])):
            _EVENEMENTS[quoi](self, user, evenement)

    # --- Indicateurs ---------------------------------------------------------------------------------------------

    def _suivi(self, annee: int) -> SuiviAnnuel:
        return suivi_obtenir(contrat=self.contrat, annee=annee)

    def saisie(self, user, e: dict) -> None:
        annee = e["annee"]
        valeurs = {self.indicateurs[cle]: _valeur(spec) for cle, spec in (e.get("valeurs") or {}).items()}
        existants = {r.action_id: r for r in RecitAction.objects.filter(action__contrat=self.contrat, annee=annee)}
        recits = {}
        for numero, textes in (e.get("recits") or {}).items():
            action = self.actions[str(numero)]
            avant = existants.get(action.pk)
            recits[action] = {c: textes.get(c, getattr(avant, c) if avant else "") for c in CHAMPS_RECIT}
        suivi = self._suivi(annee)
        saisie_enregistrer(user=user, suivi=suivi, version=suivi.version, valeurs=valeurs, recits=recits)

    def _transition(self, user, e: dict, transition: str) -> None:
        suivi = self._suivi(e["annee"])
        lignes = [self._ligne(cle) for cle in e.get("lignes", [])]
        suivi_changer_statut(
            user=user, suivi=suivi, version=suivi.version, transition=transition, motif=e.get("motif", ""),
            lignes=lignes,
        )  # fmt: skip

    def soumettre(self, user, e):
        self._transition(user, e, "soumettre")

    def renvoyer(self, user, e):
        self._transition(user, e, "renvoyer")

    def valider(self, user, e):
        self._transition(user, e, "valider")

    def _ligne(self, cle: str) -> str:
        """« i:3.1 » → « i<pk> » (valeur d'un indicateur), « a:3 » → « a<pk> » (récit d'une action)."""
        genre, reference = cle.split(":", 1)
        return f"i{self.indicateurs[reference].pk}" if genre == "i" else f"a{self.actions[reference].pk}"

    def commentaire(self, user, e: dict) -> None:
        commentaire_ajouter(
            user=user, contrat=self.contrat, annee=e["annee"], texte=e["texte"],
            indicateur=self.indicateurs[e["indicateur"]] if e.get("indicateur") else None,
            action=self.actions[str(e["action"])] if e.get("action") else None,
        )  # fmt: skip

    def cible(self, user, e: dict) -> None:
        cible = self.indicateurs[e["indicateur"]].cibles.get(annee=e["annee"])
        cible_definir(
            user=user, cible=cible, valeur=Decimal(str(e["valeur"])), source=e["source"],
            justification=e["justification"],
        )  # fmt: skip

    # --- Finances ------------------------------------------------------------------------------------------------

    def avenant(self, user, e: dict) -> None:
        montants = {
            (self.actions[str(m["action"])], m["annee"], m["financeur"]): Decimal(str(m["montant"]))
            for m in e["montants"]
        }
        avenant_appliquer(
            user=user, contrat=self.contrat, numero=e["numero"], date=e["date"], objet=e["objet"], montants=montants
        )

    def execution(self, user, e: dict) -> None:
        lignes = [
            LigneExecution(
                ligne=rang, action=str(ligne["action"]), annee=ligne["annee"], financeur=ligne["financeur"],
                engage=Decimal(str(ligne["engage"])), realise=Decimal(str(ligne["realise"])),
            )
            for rang, ligne in enumerate(e["lignes"], start=2)
        ]  # fmt: skip
        execution_importer(user=user, contrat=self.contrat, lignes=lignes)

    def justification(self, user, e: dict) -> None:
        execution = Execution.objects.get(
            action=self.actions[str(e["action"])], annee=e["annee"], financeur=e["financeur"]
        )
        execution_justifier(user=user, execution=execution, justification=e["texte"])

    def versements(self, user, e: dict) -> None:
        # Pas encore de service des versements (saisis dans l'administration) : même écriture que l'administration,
        # vérifiée et historisée avec son auteur. À remplacer par le service des versements quand il existera.
        axes = {a.numero: a for a in self.contrat.axes.all()}
        for v in e["versements"]:
            axe = axes[v["axe"]] if v.get("axe") else None
            versement = Versement(
                contrat=self.contrat, date=v["date"], annee=v["annee"], montant=Decimal(str(v["montant"])), axe=axe,
                code_activite=v.get("code_activite") or (axe.code_activite if axe else ""), compte=v.get("compte", ""),
            )  # fmt: skip
            enregistrer(versement, user=user, motif="Versement de l'État")

    # --- Rapports ------------------------------------------------------------------------------------------------

    def vote(self, user, e: dict) -> None:
        donnees = dict(e["seance"])
        donnees.setdefault("membres_presents", [])
        donnees.setdefault("membres_absents", [])
        deliberation_enregistrer(user=user, contrat=self.contrat, cle=CleRapport.lire(e["rapport"]), donnees=donnees)

    def figer(self, user, e: dict) -> None:
        version = version_figer(user=user, contrat=self.contrat, cle=CleRapport.lire(e["rapport"]))
        # `cree_le` prend sa valeur par défaut (timezone.now, lu à la déclaration du champ) : l'horloge fixée ne
        # l'atteint pas, la date de l'événement est donc reportée ici.
        VersionRapport.objects.filter(pk=version.pk).update(cree_le=timezone.now())

    def transmettre(self, user, e: dict) -> None:
        cle = CleRapport.lire(e["rapport"])
        version = (
            VersionRapport.objects.filter(contrat=self.contrat, type=cle.type, transmise=False).order_by("-pk").first()
        )
        version_transmettre(
            user=user,
            version=version,
            destinataire=e.get("destinataire", "Préfet de la Vallée-Fictive (fictif)"),
            moyen=e.get("moyen", MoyenTransmission.ACTES),
        )

    # --- Documents et évaluation à mi-parcours --------------------------------------------------------------------

    def _pdf(self, e: dict) -> ContentFile:
        """Le PDF fictif de l'événement : son titre et ses paragraphes, sous la mention « DOCUMENT FICTIF »."""
        html = render_to_string(
            "pilotage/document_fictif.html",
            {"contrat": self.contrat, "titre": e["titre"], "paragraphes": e["texte"], "mention": MENTION_DOCUMENT,
             "auteur": self.contrat.collectivite.nom},
        )  # fmt: skip
        return ContentFile(pdf.html_vers_pdf(html), name=e["fichier"])

    def document(self, user, e: dict) -> None:
        document_deposer(user=user, contrat=self.contrat, fichier=self._pdf(e), nature=e["nature"], titre=e["titre"])

    def piece(self, user, e: dict) -> None:
        action = self.actions[str(e["action"])]
        piece_deposer(user=user, contrat=self.contrat, action=action, fichier=self._pdf(e), titre=e["titre"])

    def _evaluation(self, numero) -> EvaluationAction:
        action = self.actions[str(numero)]
        return EvaluationAction.objects.filter(action=action).first() or EvaluationAction(action=action)

    def evaluation(self, user, e: dict) -> None:
        """Les champs donnés remplacent les précédents ; ceux qui ne sont pas donnés restent tels quels."""
        avant = self._evaluation(e["action"])
        champs = {champ: e.get(champ, getattr(avant, champ)) for champ in CHAMPS_EVALUATION}
        evaluation_enregistrer(user=user, action=avant.action, version=avant.version, champs=champs)

    def evaluation_statut(self, user, e: dict) -> None:
        evaluation = self._evaluation(e["action"])
        evaluation_changer_statut(
            user=user, action=evaluation.action, contrat=self.contrat, version=evaluation.version,
            transition=e["transition"], motif=e.get("motif", ""),
        )  # fmt: skip


_EVENEMENTS = {
    "saisie": _Cycle.saisie,
    "soumettre": _Cycle.soumettre,
    "renvoyer": _Cycle.renvoyer,
    "valider": _Cycle.valider,
    "commentaire": _Cycle.commentaire,
    "cible": _Cycle.cible,
    "avenant": _Cycle.avenant,
    "execution": _Cycle.execution,
    "justification": _Cycle.justification,
    "versements": _Cycle.versements,
    "vote": _Cycle.vote,
    "figer": _Cycle.figer,
    "transmettre": _Cycle.transmettre,
    "document": _Cycle.document,
    "piece": _Cycle.piece,
    "evaluation": _Cycle.evaluation,
    "evaluation_statut": _Cycle.evaluation_statut,
}


def _valeur(spec) -> Valeur:
    """84 ; {valeur: 286, commentaire: …} ; {appreciation: atteint, commentaire: …} ; {non_disponible: true, …}."""
    if not isinstance(spec, dict):
        return Valeur(Decimal(str(spec)))
    valeur = spec.get("valeur")
    return Valeur(
        valeur=None if valeur is None else Decimal(str(valeur)),
        commentaire=spec.get("commentaire", ""),
        appreciation=spec.get("appreciation", ""),
        non_disponible=bool(spec.get("non_disponible")),
    )
