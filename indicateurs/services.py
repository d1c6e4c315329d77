"""Saisie annuelle des indicateurs et circuit de validation : chaque écriture est tracée (qui, quand, avant → après,
motif) par django-simple-history, et protégée contre l'écrasement silencieux par une version (verrou optimiste)."""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from indicateurs.enums import SourceCible, StatutSuivi
from indicateurs.models import Cible, Realisation, RecitAction, SuiviAnnuel

CHAMPS_RECIT = ("resultats", "difficultes", "perspectives", "impact_social")


class ConflitEdition(ValidationError):
    """Quelqu'un a enregistré la même année entre-temps : rien n'a été écrit."""

    def __init__(self, suivi: SuiviAnnuel):
        self.suivi = suivi
        qui = suivi.modifie_par or suivi.statut_par
        quand = (
            timezone.localtime(suivi.modifie_le or suivi.statut_le) if (suivi.modifie_le or suivi.statut_le) else None
        )
        auteur = f" par {qui}" if qui else ""
        moment = f" le {quand:%d/%m/%Y à %H:%M}" if quand else ""
        super().__init__(
            f"Cette année a été modifiée entre-temps{auteur}{moment} : vos changements n'ont pas été enregistrés. "
            "Vérifiez les valeurs actuelles ci-dessous, puis enregistrez de nouveau."
        )


@dataclass
class Valeur:
    valeur: Decimal | None
    commentaire: str = ""


def suivi_obtenir(*, contrat, annee: int) -> SuiviAnnuel:
    contrat.verifier_annee(annee, champ=None)
    suivi, _ = SuiviAnnuel.objects.get_or_create(contrat=contrat, annee=annee)
    return suivi


def _prendre_la_main(*, suivi: SuiviAnnuel, version: int, user, **champs) -> SuiviAnnuel:
    """Incrémente la version si elle est encore celle que l'utilisateur a lue ; sinon, conflit."""
    maintenant = timezone.now()
    mis_a_jour = SuiviAnnuel.objects.filter(pk=suivi.pk, version=version).update(
        version=F("version") + 1, modifie_par=user, modifie_le=maintenant, **champs
    )
    if not mis_a_jour:
        raise ConflitEdition(SuiviAnnuel.objects.select_related("modifie_par", "statut_par").get(pk=suivi.pk))
    suivi.refresh_from_db()
    return suivi


def _verrou_message(suivi: SuiviAnnuel) -> str:
    if suivi.statut == StatutSuivi.VALIDE:
        qui = f" par {suivi.statut_par}" if suivi.statut_par else ""
        quand = f" le {timezone.localtime(suivi.statut_le):%d/%m/%Y}" if suivi.statut_le else ""
        return f"L'année {suivi.annee} a été validée{qui}{quand} : elle est verrouillée."
    return f"L'année {suivi.annee} est soumise à la validation de l'État : elle n'est plus modifiable."


@transaction.atomic
def saisie_enregistrer(
    *,
    user,
    suivi: SuiviAnnuel,
    version: int,
    valeurs: dict,
    recits: dict,
) -> int:
    """Écrit d'un bloc les valeurs (indicateur → Valeur) et récits (action → {champ: texte}) d'une année.

    Renvoie le nombre d'objets modifiés. Rien n'est écrit si l'année est verrouillée ou modifiée entre-temps."""
    if not suivi.modifiable:
        raise ValidationError(_verrou_message(suivi))
    suivi = _prendre_la_main(suivi=suivi, version=version, user=user)
    contrat_id = suivi.contrat_id

    existantes = {
        r.indicateur_id: r
        for r in Realisation.objects.filter(indicateur__in=list(valeurs), annee=suivi.annee).select_related(
            "indicateur__action__contrat"
        )
    }
    modifies = 0
    for indicateur, saisie in valeurs.items():
        if indicateur.action.contrat_id != contrat_id:
            raise ValidationError("Un indicateur n'appartient pas à ce contrat.")
        realisation = existantes.get(indicateur.pk)
        if realisation is None:
            if saisie.valeur is None and not saisie.commentaire:
                continue
            realisation = Realisation(indicateur=indicateur, annee=suivi.annee)
        elif realisation.valeur == saisie.valeur and realisation.commentaire == saisie.commentaire:
            continue
        realisation.valeur = saisie.valeur
        realisation.commentaire = saisie.commentaire
        realisation._history_user = user
        realisation._change_reason = f"Saisie {suivi.annee}"
        realisation.full_clean()
        realisation.save()
        modifies += 1

    recits_existants = {r.action_id: r for r in RecitAction.objects.filter(action__in=list(recits), annee=suivi.annee)}
    for action, textes in recits.items():
        if action.contrat_id != contrat_id:
            raise ValidationError("Une action n'appartient pas à ce contrat.")
        recit = recits_existants.get(action.pk)
        if recit is None:
            if not any(textes.values()):
                continue
            recit = RecitAction(action=action, annee=suivi.annee)
        elif all(getattr(recit, champ) == textes[champ] for champ in CHAMPS_RECIT):
            continue
        for champ in CHAMPS_RECIT:
            setattr(recit, champ, textes[champ])
        recit._history_user = user
        recit._change_reason = f"Saisie {suivi.annee}"
        recit.full_clean()
        recit.save()
        modifies += 1
    return modifies


# statut de départ -> action -> statut d'arrivée
TRANSITIONS = {
    "soumettre": ({StatutSuivi.BROUILLON, StatutSuivi.A_CORRIGER}, StatutSuivi.SOUMIS),
    "valider": ({StatutSuivi.SOUMIS}, StatutSuivi.VALIDE),
    "renvoyer": ({StatutSuivi.SOUMIS}, StatutSuivi.A_CORRIGER),
    "rouvrir": ({StatutSuivi.VALIDE}, StatutSuivi.A_CORRIGER),
}
MOTIF_OBLIGATOIRE = {"renvoyer", "rouvrir"}
LIBELLES = {
    "soumettre": "soumise à la validation de l'État",
    "valider": "validée",
    "renvoyer": "renvoyée pour correction",
    "rouvrir": "rouverte",
}


@transaction.atomic
def suivi_changer_statut(*, user, suivi: SuiviAnnuel, version: int, transition: str, motif: str = "") -> SuiviAnnuel:
    if transition not in TRANSITIONS:
        raise ValidationError("Action inconnue.")
    depart, arrivee = TRANSITIONS[transition]
    if suivi.statut not in depart:
        raise ValidationError(
            f"L'année {suivi.annee} est « {suivi.get_statut_display()} » : "
            f"elle ne peut pas être {LIBELLES[transition]}."
        )
    motif = (motif or "").strip()
    if transition in MOTIF_OBLIGATOIRE and not motif:
        raise ValidationError("Indiquez le motif : il est obligatoire pour renvoyer ou rouvrir une année.")
    suivi._history_user = user
    suivi = _prendre_la_main(
        suivi=suivi, version=version, user=user, statut=arrivee, motif=motif, statut_par=user, statut_le=timezone.now()
    )
    # L'update() ne passe pas par save() : l'historique est écrit explicitement, avec le motif.
    suivi._change_reason = motif or f"Année {LIBELLES[transition]}"
    suivi._history_user = user
    SuiviAnnuel.history.model.objects.create(
        **{f.attname: getattr(suivi, f.attname) for f in SuiviAnnuel._meta.concrete_fields},
        history_date=timezone.now(),
        history_type="~",
        history_user=user,
        history_change_reason=suivi._change_reason,
    )
    return suivi


@transaction.atomic
def cible_definir(*, user, cible: Cible, valeur: Decimal, source: str, justification: str) -> Cible:
    """Fixe une cible restée « nd » (ou la corrige) : changement tracé, justifié par avenant ou dialogue de gestion."""
    justification = (justification or "").strip()
    if source not in SourceCible.values:
        raise ValidationError("Précisez si la cible est fixée par avenant ou en dialogue de gestion.")
    if not justification:
        raise ValidationError("La justification est obligatoire pour fixer une cible.")
    cible.valeur = valeur
    cible.nd = False
    cible.nd_motif = ""
    cible.nd_date_limite = None
    cible._history_user = user
    cible._change_reason = f"{SourceCible(source).label} : {justification}"
    cible.full_clean()
    cible.save()
    return cible
