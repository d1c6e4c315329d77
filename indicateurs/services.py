"""Saisie annuelle des indicateurs et circuit de validation : chaque écriture est tracée (qui, quand, avant → après,
motif) par django-simple-history, et protégée contre l'écrasement silencieux par une version (verrou optimiste)."""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from commun.historique import enregistrer
from contrats.versions import contrat_modifie
from indicateurs.enums import SourceCible
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
    """La saisie d'un indicateur pour une année : une valeur (quantitatif) ou une appréciation (qualitatif)."""

    valeur: Decimal | None
    commentaire: str = ""
    appreciation: str = ""


def suivi_obtenir(*, contrat, annee: int) -> SuiviAnnuel:
    contrat.verifier_annee(annee, champ=None)
    suivi, _ = SuiviAnnuel.objects.get_or_create(contrat=contrat, annee=annee)
    return suivi


def _prendre_la_main(*, suivi: SuiviAnnuel, version: int, user, statuts=None, **champs) -> SuiviAnnuel:
    """Incrémente la version si elle est encore celle que l'utilisateur a lue (et, si `statuts` est donné, si le
    statut en base en fait partie) ; sinon, conflit."""
    maintenant = timezone.now()
    en_base = SuiviAnnuel.objects.filter(pk=suivi.pk, version=version)
    if statuts is not None:
        en_base = en_base.filter(statut__in=statuts)
    mis_a_jour = en_base.update(version=F("version") + 1, modifie_par=user, modifie_le=maintenant, **champs)
    if not mis_a_jour:
        raise ConflitEdition(SuiviAnnuel.objects.select_related("modifie_par", "statut_par").get(pk=suivi.pk))
    contrat_modifie(suivi.contrat_id)  # update() n'envoie aucun signal : la version des données change ici
    suivi.refresh_from_db()
    return suivi


def _verrou_message(suivi: SuiviAnnuel) -> str:
    if suivi.verrouille:
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
    """Écrit d'un bloc les valeurs et appréciations (indicateur → Valeur) et récits (action → {champ: texte}) d'une
    année.

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
            if saisie.valeur is None and not saisie.appreciation and not saisie.commentaire:
                continue
            realisation = Realisation(indicateur=indicateur, annee=suivi.annee)
        elif (realisation.valeur, realisation.appreciation, realisation.commentaire) == (
            saisie.valeur,
            saisie.appreciation,
            saisie.commentaire,
        ):
            continue
        realisation.valeur = saisie.valeur
        realisation.appreciation = saisie.appreciation
        realisation.commentaire = saisie.commentaire
        enregistrer(realisation, user=user, motif=f"Saisie {suivi.annee}")
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
        enregistrer(recit, user=user, motif=f"Saisie {suivi.annee}")
        modifies += 1
    return modifies


@transaction.atomic
def suivi_changer_statut(*, user, suivi: SuiviAnnuel, version: int, transition: str, motif: str = "") -> SuiviAnnuel:
    """Applique une transition du circuit (`SuiviAnnuel.TRANSITIONS`) : tout ou rien.

    Le modèle dit si elle est permise (rôle, statut, motif) ; une transition refusée n'écrit rien, pas même la ligne
    de l'année quand `suivi` n'est pas encore enregistré. La version lue protège d'un changement fait entre-temps."""
    transition = SuiviAnnuel.transition(transition)
    changements = suivi.appliquer(transition, user=user, motif=motif)
    if suivi.pk is None:
        suivi = suivi_obtenir(contrat=suivi.contrat, annee=suivi.annee)
    suivi = _prendre_la_main(
        suivi=suivi,
        version=version,
        user=user,
        statuts=transition.depart,
        statut_par=user,
        statut_le=timezone.now(),
        **changements,
    )
    # L'update() ne passe pas par save() : l'historique est écrit explicitement, avec le motif.
    raison = changements["motif"] or f"Année {transition.participe}"
    SuiviAnnuel.history.model.objects.create(
        **{f.attname: getattr(suivi, f.attname) for f in SuiviAnnuel._meta.concrete_fields},
        history_date=timezone.now(),
        history_type="~",
        history_user=user,
        history_change_reason=raison,
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
    enregistrer(cible, user=user, motif=f"{SourceCible(source).label} : {justification}")
    return cible
