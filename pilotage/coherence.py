"""Contrôles de cohérence : tout ce qui, dans les données d'un contrat, se contredit. Les coquilles des documents
signés sont signalées, jamais corrigées en silence. Nombre de requêtes fixe, quelle que soit la taille du contrat."""

import datetime
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from actions.models import Action
from commun.formats import euros
from finances.enums import Financeur
from finances.models import MontantAnnonce
from finances.selectors import lignes_en_vigueur
from finances.services import regles_budget
from indicateurs.models import Bilan, Indicateur

ERREUR = "erreur"
INCOHERENCE = "incoherence"
AVERTISSEMENT = "avertissement"
GRAVITES = {
    ERREUR: "Règle non respectée",
    INCOHERENCE: "Texte contredit par les données",
    AVERTISSEMENT: "À compléter",
}


@dataclass
class Anomalie:
    gravite: str
    categorie: str
    lieu: str
    message: str
    url: str = ""

    @property
    def gravite_libelle(self) -> str:
        return GRAVITES[self.gravite]


def _normaliser(texte: str) -> str:
    texte = texte.replace("’", "'")
    texte = unicodedata.normalize("NFKD", texte).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", " ", texte).strip()


_COMPARATIF = re.compile(r"\b(moins|plus)\s+de\s+(\d+)\s+ans\b")
_TRANCHE = re.compile(r"\b(\d+)\s+(?:a\s+)?(\d+)\s+ans\b")  # sur texte normalisé : « 16 – 29 ans » → « 16 29 ans »
_AXE_NUMERO = re.compile(r"^\s*axe\s+(\d+)", re.IGNORECASE)


def controles(contrat, aujourd_hui: datetime.date | None = None) -> list[Anomalie]:
    aujourd_hui = aujourd_hui or timezone.localdate()
    actions = list(Action.objects.du_contrat(contrat))
    indicateurs = list(Indicateur.objects.du_contrat(contrat))
    lignes = list(lignes_en_vigueur(contrat).values())
    annonces = list(MontantAnnonce.objects.filter(contrat=contrat).select_related("axe"))
    bilans = list(Bilan.objects.filter(contrat=contrat))
    anomalies: list[Anomalie] = []

    def url_action(action):
        return reverse("pilotage:action", args=[contrat.slug, action.numero])

    # Règles de cofinancement (les mêmes que celles qui refusent une saisie).
    montants = {(ligne.action, ligne.annee, ligne.financeur): ligne.montant for ligne in lignes}
    for message in regles_budget(contrat=contrat, montants=montants):
        anomalies.append(Anomalie(ERREUR, "Budget", "Tableau budgétaire", message))

    # Montants écrits dans le texte, confrontés aux lignes.
    sommes = defaultdict(Decimal)
    for ligne in lignes:
        sommes[(None, ligne.annee, ligne.financeur)] += ligne.montant
        sommes[(ligne.action.axe_id, ligne.annee, ligne.financeur)] += ligne.montant
    for annonce in annonces:
        somme = sommes[(annonce.axe_id, annonce.annee, annonce.financeur)]
        if somme == annonce.montant:
            continue
        portee = f"l'axe {annonce.axe.numero}" if annonce.axe_id else "le contrat"
        statut = "montant prévisionnel" if annonce.provisoire else "montant"
        anomalies.append(
            Anomalie(
                AVERTISSEMENT if annonce.provisoire else ERREUR,
                "Budget",
                annonce.source or "Texte du contrat",
                f"{annonce.annee}, {Financeur(annonce.financeur).label} : le texte annonce un {statut} de "
                f"{euros(annonce.montant)} pour {portee}, les lignes totalisent {euros(somme)}.",
            )
        )

    # Indicateurs : actions sans indicateur (qualitatif ou chiffré), indicateurs sans cible, nd échus. Un indicateur
    # qualitatif, ou dont le document ne chiffre pas la cible, n'attend ni cible ni T0 : rien n'y manque.
    par_action = defaultdict(list)
    for indicateur in indicateurs:
        par_action[indicateur.action_id].append(indicateur)
    for action in actions:
        if not par_action[action.pk]:
            anomalies.append(
                Anomalie(
                    AVERTISSEMENT, "Indicateurs", f"Action {action.numero}", "Aucun indicateur.", url_action(action)
                )
            )
    for indicateur in indicateurs:
        action = indicateur.action
        lieu = f"Action {action.numero} – {indicateur.libelle}"
        cibles = {c.annee: c for c in indicateur.cibles.all()}
        manquantes = [str(a) for a in contrat.annees if a not in cibles]
        if manquantes and indicateur.cible_chiffree:
            anomalies.append(
                Anomalie(
                    AVERTISSEMENT,
                    "Indicateurs",
                    lieu,
                    f"Aucune cible pour {', '.join(manquantes)}.",
                    url_action(action),
                )
            )
        echues = defaultdict(list)
        for cible in sorted(cibles.values(), key=lambda c: c.annee):
            if cible.nd and cible.nd_date_limite and cible.nd_date_limite < aujourd_hui:
                echues[cible.nd_date_limite].append(str(cible.annee))
        for date_limite, annees_nd in echues.items():
            pluriel = "s" if len(annees_nd) > 1 else ""
            anomalies.append(
                Anomalie(
                    ERREUR,
                    "Indicateurs",
                    lieu,
                    f"Cible{pluriel} {', '.join(annees_nd)} toujours « nd » alors qu'elle{pluriel} devai"
                    f"{'en' if pluriel else ''}t être définie{pluriel} au plus tard le {date_limite:%d/%m/%Y}.",
                    url_action(action),
                )
            )
        if indicateur.t0_nd:
            anomalies.append(
                Anomalie(AVERTISSEMENT, "Indicateurs", lieu, "Situation T0 « nd » : pas de valeur de départ.")
            )

    # Texte des fiches contredit par les données.
    for action in actions:
        anomalies.extend(_textes_action(contrat, action, par_action[action.pk], url_action(action)))

    for bilan in bilans:
        if not contrat.contient_annee(bilan.annee):
            anomalies.append(
                Anomalie(
                    INCOHERENCE,
                    "Bilans",
                    f"Bilan {bilan.annee}",
                    f"Le bilan porte sur {bilan.annee}, hors de la période de la convention signée "
                    f"({contrat.periode}) : "
                    "il relève d'une convention reconduite dont le texte n'est pas enregistré.",
                )
            )
    return anomalies


def _textes_action(contrat, action, indicateurs, url) -> list[Anomalie]:
    anomalies = []
    lieu = f"Fiche action {action.numero}"
    entete = _AXE_NUMERO.match(action.entete_fiche or "")
    if entete and action.axe and int(entete.group(1)) != action.axe.numero:
        anomalies.append(
            Anomalie(
                INCOHERENCE,
                "Fiches actions",
                lieu,
                f"L'en-tête de la fiche indique « {action.entete_fiche} » alors que l'action relève de l'axe "
                f"{action.axe.numero} ({action.axe.intitule}) dans les tableaux du contrat.",
                url,
            )
        )
    if action.intitule_fiche and _normaliser(action.intitule_fiche) != _normaliser(action.intitule):
        anomalies.append(
            Anomalie(
                INCOHERENCE,
                "Fiches actions",
                lieu,
                f"La fiche est intitulée « {action.intitule_fiche} » et le tableau « {action.intitule} ».",
                url,
            )
        )

    texte_fiche = _normaliser(action.indicateur_fiche)
    if texte_fiche:
        comparatifs_fiche = set(_COMPARATIF.findall(texte_fiche))
        for indicateur in indicateurs:
            libelle = _normaliser(indicateur.libelle)
            comparatifs_table = set(_COMPARATIF.findall(libelle))
            contradictoires = {
                (sens_f, age)
                for sens_f, age in comparatifs_fiche
                for sens_t, age_t in comparatifs_table
                if age == age_t and sens_f != sens_t
            }
            if contradictoires:
                anomalies.append(
                    Anomalie(
                        INCOHERENCE,
                        "Fiches actions",
                        lieu,
                        f"La fiche nomme son indicateur « {action.indicateur_fiche} » alors que le tableau des "
                        f"indicateurs dit « {indicateur.libelle} ».",
                        url,
                    )
                )
            elif libelle not in texte_fiche:
                anomalies.append(
                    Anomalie(
                        AVERTISSEMENT,
                        "Fiches actions",
                        lieu,
                        f"L'indicateur « {indicateur.libelle} » du tableau ne figure pas tel quel sur la fiche "
                        f"(« {action.indicateur_fiche} »).",
                        url,
                    )
                )
        public = _normaliser(action.public_cible)
        tranches = [(int(a), int(b)) for a, b in _TRANCHE.findall(public)]
        for sens, age in comparatifs_fiche:
            age = int(age)
            for debut, fin in tranches:
                if (sens == "moins" and debut >= age) or (sens == "plus" and fin <= age):
                    anomalies.append(
                        Anomalie(
                            INCOHERENCE,
                            "Fiches actions",
                            lieu,
                            f"L'indicateur de la fiche compte les jeunes de {sens} de {age} ans alors que le public "
                            f"cible est « {action.public_cible} ».",
                            url,
                        )
                    )
    return anomalies
