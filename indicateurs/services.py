"""Saisie annuelle des indicateurs et circuit de validation : chaque écriture est tracée (qui, quand, avant → après,
motif) par django-simple-history, et protégée contre l'écrasement silencieux par une version (verrou optimiste)."""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from commun.formats import nom_et_organisation
from commun.fusion import ConflitFusion, fusionner, message_de_conflit
from commun.historique import AUTEUR, auteur_de_la_modification, auteurs_des_champs, derniers_auteurs, enregistrer
from contrats.versions import contrat_modifie
from indicateurs.controles_saisie import manques_avant_soumission
from indicateurs.enums import SourceCible
from indicateurs.models import Cible, Commentaire, Indicateur, Realisation, RecitAction, SuiviAnnuel
from notifications.services import notifier_commentaire, notifier_statut
from referentiel.models import IndicateurNational

CHAMPS_RECIT = ("resultats", "difficultes", "perspectives", "impact_social")
AUTEURS_DU_SUIVI = ("modifie_par__profil__organisation", "statut_par__profil__organisation")


class ConflitEdition(ConflitFusion):
    """Quelqu'un (ou le même utilisateur, dans un autre onglet) a changé les mêmes champs de l'année entre-temps,
    autrement : rien n'a été écrit (commun.fusion.ConflitFusion)."""

    def __init__(self, suivi: SuiviAnnuel, conflits=(), auteurs=None, user=None, repris=()):
        self.suivi = suivi
        qui = suivi.modifie_par or suivi.statut_par
        quand = suivi.modifie_le or suivi.statut_le
        modifie = f"Cette année a été modifiée entre-temps{auteur_de_la_modification(qui, quand, user)}"
        super().__init__(message_de_conflit(modifie, len(conflits)), conflits, auteurs, repris)


@dataclass
class Valeur:
    """La saisie d'un indicateur pour une année : une valeur (quantitatif) ou une appréciation (qualitatif)."""

    valeur: Decimal | None
    commentaire: str = ""
    appreciation: str = ""
    non_disponible: bool = False


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
        raise ConflitEdition(
            SuiviAnnuel.objects.select_related(
                "modifie_par__profil__organisation", "statut_par__profil__organisation"
            ).get(pk=suivi.pk)
        )
    contrat_modifie(suivi.contrat_id)  # update() n'envoie aucun signal : la version des données change ici
    suivi.refresh_from_db()
    return suivi


def verrou_message(suivi: SuiviAnnuel) -> str:
    """Pourquoi l'année n'est plus modifiable (validée, ou soumise), en français."""
    if suivi.verrouille:
        qui = f" par {nom_et_organisation(suivi.statut_par)}" if suivi.statut_par else ""
        quand = f" le {timezone.localtime(suivi.statut_le):%d/%m/%Y}" if suivi.statut_le else ""
        return f"L'année {suivi.annee} a été validée{qui}{quand} : elle est verrouillée."
    return f"L'année {suivi.annee} est soumise à la validation de l'État : elle n'est plus modifiable."


def verrou_motif(suivi: SuiviAnnuel) -> str:
    """Pourquoi l'année est fermée, en quelques mots à la suite d'une ligne (« non importée : … ») : « année validée le
    12/03/2025 par Claire Démo, DDETS de la Côte-d'Or », « année soumise le … par …, en attente d'examen par l'État ».
    Lit `suivi.statut_par.profil.organisation` : les suivis sont lus avec leurs auteurs (select_related)."""
    quand = f" le {timezone.localtime(suivi.statut_le):%d/%m/%Y}" if suivi.statut_le else ""
    if suivi.verrouille:
        qui = f" par {nom_et_organisation(suivi.statut_par)}" if suivi.statut_par else " par l'État"
        return f"année validée{quand}{qui}"
    qui = f" par {nom_et_organisation(suivi.statut_par)}" if suivi.statut_par else ""
    if suivi.est_soumis:
        return f"année soumise{quand}{qui}, en attente d'examen par l'État"
    return f"année au statut « {suivi.get_statut_display()} »"


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
        raise ValidationError(verrou_message(suivi))
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
            if saisie.valeur is None and not (saisie.appreciation or saisie.commentaire or saisie.non_disponible):
                continue
            realisation = Realisation(indicateur=indicateur, annee=suivi.annee)
        elif (realisation.valeur, realisation.appreciation, realisation.commentaire, realisation.non_disponible) == (
            saisie.valeur,
            saisie.appreciation,
            saisie.commentaire,
            saisie.non_disponible,
        ):
            continue
        realisation.valeur = saisie.valeur
        realisation.appreciation = saisie.appreciation
        realisation.commentaire = saisie.commentaire
        realisation.non_disponible = saisie.non_disponible
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


def etat_enregistre(*, annee: int, indicateurs, actions) -> dict:
    """Ce qui est enregistré pour l'année, sous la forme plate des saisies de la grille (deux requêtes)."""
    etat = {}
    realisations = {r.indicateur_id: r for r in Realisation.objects.filter(indicateur__in=indicateurs, annee=annee)}
    for indicateur in indicateurs:
        r = realisations.get(indicateur.pk)
        etat.update(saisie_plate(indicateur, r))
    recits = {r.action_id: r for r in RecitAction.objects.filter(action__in=actions, annee=annee)}
    for action in actions:
        r = recits.get(action.pk)
        for champ in CHAMPS_RECIT:
            etat[f"r{action.pk}_{champ}"] = getattr(r, champ) if r else ""
    return etat


def saisie_plate(indicateur, realisation) -> dict:
    pk = indicateur.pk
    plate = {
        f"n{pk}": bool(realisation and realisation.non_disponible),
        f"c{pk}": realisation.commentaire if realisation else "",
    }
    if indicateur.est_qualitatif:
        plate[f"a{pk}"] = realisation.appreciation if realisation else ""
    else:
        plate[f"v{pk}"] = realisation.valeur if realisation else None
    return plate


def _auteurs(annee: int, champs, indicateurs, actions, user) -> dict:
    """champ → (qui, quand) de la dernière écriture de sa ligne (deux requêtes)."""
    par_ligne = derniers_auteurs(
        Realisation.history.filter(indicateur__in=indicateurs, annee=annee).select_related(AUTEUR),
        lambda h: f"v{h.indicateur_id}",
    ) | derniers_auteurs(
        RecitAction.history.filter(action__in=actions, annee=annee).select_related(AUTEUR),
        lambda h: f"r{h.action_id}",
    )
    return auteurs_des_champs(champs, par_ligne, _ligne_du_champ, user)


def _ligne_du_champ(champ: str) -> str:
    """« r3_resultats » → « r3 » (récit de l'action 3) ; « c12 », « n12 », « a12 » → « v12 » (indicateur 12)."""
    return champ.split("_")[0] if champ.startswith("r") else f"v{champ[1:]}"


@dataclass
class Enregistrement:
    modifies: int
    repris: list  # champs changés par quelqu'un d'autre entre-temps, gardés tels qu'enregistrés
    auteurs: dict
    suivi: SuiviAnnuel


@transaction.atomic
def grille_enregistrer(
    *,
    user,
    contrat,
    annee: int,
    version: int,
    lues: dict,
    saisies: dict,
    indicateurs,
    actions,
    soumettre=False,
    cibles=None,
    precedentes=None,
) -> Enregistrement:
    """Enregistre la grille d'une année, puis, si `soumettre`, la soumet dans la même transaction : jamais une
    soumission de valeurs périmées. Si l'année a changé depuis que l'utilisateur l'a ouverte (`version`), fusion à
    trois voies champ par champ (commun.fusion) : les champs changés d'un seul côté sont fusionnés, un champ changé
    des deux côtés lève ConflitEdition et rien n'est écrit. Une soumission incomplète ou une valeur très éloignée
    sans commentaire : ValidationError, rien n'est écrit."""
    suivi, _ = SuiviAnnuel.objects.select_for_update().get_or_create(contrat=contrat, annee=annee)
    if not suivi.modifiable:
        raise ValidationError(verrou_message(suivi))
    enregistrees = etat_enregistre(annee=annee, indicateurs=indicateurs, actions=actions)
    repris, auteurs = [], {}
    if version != suivi.version:
        fusion = fusionner(lues, saisies, enregistrees)
        auteurs = _auteurs(annee, [c.champ for c in fusion.conflits] + fusion.changes_par_autrui, indicateurs,
                           actions, user)  # fmt: skip
        if fusion.conflits:
            suivi = SuiviAnnuel.objects.select_related(
                "modifie_par__profil__organisation", "statut_par__profil__organisation"
            ).get(pk=suivi.pk)
            raise ConflitEdition(suivi, fusion.conflits, auteurs, user=user, repris=fusion.changes_par_autrui)
        saisies, repris = fusion.valeurs, fusion.changes_par_autrui
    valeurs = {}
    for indicateur in indicateurs:
        pk = indicateur.pk
        valeurs[indicateur] = Valeur(
            valeur=None if indicateur.est_qualitatif or saisies.get(f"n{pk}") else saisies.get(f"v{pk}"),
            commentaire=(saisies.get(f"c{pk}") or "").strip(),
            appreciation="" if saisies.get(f"n{pk}") else (saisies.get(f"a{pk}") or ""),
            non_disponible=bool(saisies.get(f"n{pk}")),
        )
    recits = {a: {c: (saisies.get(f"r{a.pk}_{c}") or "").strip() for c in CHAMPS_RECIT} for a in actions}
    modifies = saisie_enregistrer(user=user, suivi=suivi, version=suivi.version, valeurs=valeurs, recits=recits)
    suivi.refresh_from_db()
    if soumettre:
        manques = manques_avant_soumission(actions, indicateurs, saisies, cibles or {}, precedentes or {})
        if manques:
            raise ValidationError(["L'année ne peut pas être soumise :", *manques])
        suivi = suivi_changer_statut(user=user, suivi=suivi, version=suivi.version, transition="soumettre")
    return Enregistrement(modifies=modifies, repris=repris, auteurs=auteurs, suivi=suivi)


@transaction.atomic
def commentaire_ajouter(*, user, contrat, annee: int, texte: str, indicateur=None, action=None) -> Commentaire:
    """Un message du fil d'échange sur une valeur ou sur le récit d'une action (historisé)."""
    contrat.verifier_annee(annee, champ=None)
    commentaire = Commentaire(
        contrat=contrat, annee=annee, indicateur=indicateur, action=action, auteur=user, texte=(texte or "").strip(),
        cree_le=timezone.now(),
    )  # fmt: skip
    commentaire = enregistrer(commentaire, user=user, motif="Commentaire")
    notifier_commentaire(commentaire=commentaire, user=user)  # courriels après validation (notifications)
    return commentaire


@transaction.atomic
def suivi_changer_statut(
    *, user, suivi: SuiviAnnuel, version: int, transition: str, motif: str = "", lignes: list | None = None
) -> SuiviAnnuel:
    """Applique une transition du circuit (`SuiviAnnuel.TRANSITIONS`) : tout ou rien.

    Le modèle dit si elle est permise (rôle, statut, motif) ; une transition refusée n'écrit rien, pas même la ligne
    de l'année quand `suivi` n'est pas encore enregistré. La version lue protège d'un changement fait entre-temps."""
    transition = SuiviAnnuel.transition(transition)
    changements = suivi.appliquer(transition, user=user, motif=motif)
    # Un renvoi peut désigner les lignes à corriger ; toute autre transition les efface.
    changements["lignes_a_corriger"] = list(lignes or []) if transition.nom == "renvoyer" else []
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
    notifier_statut(suivi=suivi, transition=transition.nom, user=user)  # courriels après validation (notifications)
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


MODIFIE_ENTRE_TEMPS = (
    "Rattachement modifié entre-temps par quelqu'un d'autre : rien n'a été enregistré ; relisez-le, puis recommencez."
)


@transaction.atomic
def indicateurs_rattacher(
    *, user, contrat, changements: dict[int, tuple[int | None, int | None]], motif: str = ""
) -> list[Indicateur]:
    """Rattache des indicateurs du contrat à des indicateurs nationaux, ou les en détache : leurs valeurs
    s'additionnent alors d'un contrat à l'autre dans la vue nationale. `changements` donne, par indicateur modifié,
    le rattachement lu par l'utilisateur et le nouveau. Tout ou rien : un rattachement changé entre-temps par
    quelqu'un d'autre, un indicateur national retiré ou d'un autre pilier, et rien n'est écrit (ValidationError
    dont chaque clé est `i<pk de l'indicateur>`). Chaque changement est historisé : auteur, avant → après, motif."""
    motif = (motif or "").strip()
    indicateurs = Indicateur.objects.select_for_update(of=("self",)).a_rattacher(contrat).in_bulk(list(changements))
    nationaux = IndicateurNational.objects.select_related("pilier").in_bulk(
        [apres for _, apres in changements.values() if apres]
    )
    erreurs, modifies = {}, []
    for pk, (avant, apres) in changements.items():
        indicateur = indicateurs.get(pk)
        if indicateur is None:
            erreurs[f"i{pk}"] = "Cet indicateur n'existe pas dans ce contrat."
        elif indicateur.indicateur_national_id != avant:
            erreurs[f"i{pk}"] = MODIFIE_ENTRE_TEMPS
        elif apres != avant:
            national = nationaux.get(apres) if apres else None
            if apres and (national is None or not national.actif):
                erreurs[f"i{pk}"] = "Cet indicateur national n'est plus proposé au rattachement."
                continue
            indicateur.indicateur_national = national
            try:
                enregistrer(
                    indicateur,
                    user=user,
                    motif=motif or ("Rattachement à un indicateur national" if national else "Rattachement retiré"),
                )
            except ValidationError as erreur:
                erreurs[f"i{pk}"] = " ".join(erreur.messages)
            else:
                modifies.append(indicateur)
    if erreurs:
        raise ValidationError(erreurs)
    return modifies
