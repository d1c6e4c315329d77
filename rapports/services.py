"""Écritures des rapports : figer une version pour transmission, la marquer transmise, enregistrer le vote du
projet de délibération. Chaque fonction : une transaction, full_clean() avant d'écrire, l'auteur conservé."""

import datetime
import hashlib

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from commun.historique import enregistrer
from contrats.enums import TypeEcheance
from contrats.models import Deliberation, Echeance
from rapports.cles import CleRapport
from rapports.enums import MoyenTransmission, TypeRapport
from rapports.models import DeliberationRapport, VersionRapport
from rapports.pdf import VARIANTE_ARCHIVAGE, document_pdf
from rapports.redaction import decision, decision_en_texte, expose, expose_en_texte
from rapports.selectors import preparation_du_rapport, rapport_donnees


def version_figer(*, user, contrat, cle: CleRapport, reserve: str = "") -> VersionRapport:
    """Génère le document en PDF/A et en conserve les octets : ce qui sera transmis, à l'identique pour toujours.

    Si le document n'est pas prêt (preparation_du_rapport), il n'est figé qu'avec un motif (`reserve`) : ce qui
    manque et ce motif sont conservés avec la version et imprimés en première page du PDF."""
    annees = cle.annees(contrat)
    reserve = " ".join(reserve.split())
    preparation = preparation_du_rapport(rapport_donnees(contrat, cle))
    if not preparation.pret and not reserve:
        raise ValidationError(
            "Le document n'est pas prêt : " + " ; ".join(str(p) for p in preparation.manques) + ". Indiquez "
            "pourquoi vous le figez quand même."
        )
    manques = preparation.manques_en_texte()
    # La mise en page (une à deux secondes) se fait hors transaction : seule l'écriture y est.
    pdf = document_pdf(
        contrat, cle, archivage=True, figee={"manques": [str(p) for p in preparation.manques], "reserve": reserve}
    )
    with transaction.atomic():
        version = VersionRapport(
            contrat=contrat,
            type=cle.type,
            annee=annees[0],
            pdf=pdf,
            sha256=hashlib.sha256(pdf).hexdigest(),
            taille=len(pdf),
            variante=VARIANTE_ARCHIVAGE,
            auteur=user,
            manques=manques,
            reserve=reserve if manques else "",
        )
        version.full_clean()
        version.save()
    return version


@transaction.atomic
def version_transmettre(
    *, user, version: VersionRapport, date: datetime.date | None = None, destinataire: str = "", moyen: str = ""
) -> VersionRapport:
    """Enregistre la transmission au préfet telle qu'elle a eu lieu : sa date réelle (aujourd'hui par défaut, jamais
    plus tard, jamais avant la version figée), son destinataire et son moyen (MoyenTransmission). Une seule version
    transmise par document. L'échéance du rapport est alors réalisée à cette date ; le rapport de la dernière année
    transmis, le contrat est clos une fois sa période finie."""
    version = VersionRapport.objects.select_for_update().select_related("contrat").get(pk=version.pk)
    if version.transmise:
        raise ValidationError(f"Cette version a déjà été transmise le {version.transmise_le:%d/%m/%Y}.")
    deja = VersionRapport.objects.filter(
        contrat=version.contrat, type=version.type, annee=version.annee, transmise=True
    ).first()
    if deja:
        raise ValidationError(
            f"La version figée le {timezone.localtime(deja.cree_le):%d/%m/%Y à %H:%M} a déjà été transmise le "
            f"{deja.transmise_le:%d/%m/%Y} : une seule version d'un document est transmise."
        )
    destinataire = " ".join(destinataire.split())
    if not destinataire:
        raise ValidationError("Indiquez le destinataire de la transmission, par exemple « Préfet de la Côte-d'Or ».")
    if moyen not in MoyenTransmission.values:
        raise ValidationError("Indiquez le moyen de transmission (dépôt @ctes, courrier, courriel, remise).")
    version.transmise = True
    version.transmise_le = date or timezone.localdate()
    version.transmise_par = user
    version.destinataire = destinataire
    version.moyen = moyen
    version.full_clean()
    version.save(update_fields=["transmise", "transmise_le", "transmise_par", "destinataire", "moyen"])
    if not version.cle.est_deliberation:
        if version.cle.est_mi_parcours:
            echeances = Echeance.objects.filter(type=TypeEcheance.RAPPORT_MI_PARCOURS, annee=version.annee + 1)
        else:
            echeances = Echeance.objects.filter(type=TypeEcheance.RAPPORT_ANNUEL, annee=version.annee)
        for echeance in echeances.filter(contrat=version.contrat, realisee_le__isnull=True):
            echeance.realisee_le = version.transmise_le
            enregistrer(echeance, user=user, motif=f"Transmis au préfet : {version}")
        contrat = version.contrat
        if version.type == TypeRapport.ANNUEL and version.annee == contrat.annee_fin:
            contrat.rapport_final_transmis_le = version.transmise_le
            enregistrer(contrat, user=user, motif=f"Rapport final transmis au préfet : {version}")
    return version


@transaction.atomic
def deliberation_enregistrer(*, user, contrat, cle: CleRapport, donnees: dict) -> Deliberation:
    """Crée ou met à jour la délibération qui approuve le rapport : séance, présences, scrutin, et le texte adopté
    (exposé et décision, tels que rédigés à cet instant). full_clean() applique l'arithmétique du vote ; une
    erreur n'écrit rien."""
    if not cle.est_deliberation:
        raise ValidationError("Seul un projet de délibération se vote.")
    annees = cle.annees(contrat)
    rapport = rapport_donnees(contrat, cle)
    lien = (
        DeliberationRapport.objects.select_for_update()
        .select_related("deliberation")
        .filter(contrat=contrat, type=cle.type, annee=annees[0])
        .first()
    )
    deliberation = lien.deliberation if lien else Deliberation(contrat=contrat, organisation=contrat.collectivite)
    for champ, valeur in donnees.items():
        setattr(deliberation, champ, valeur)
    if donnees.get("membres") is None:
        deliberation.membres = donnees.get("membres_en_exercice")
    deliberation.objet = rapport.objet_deliberation
    deliberation.rubrique = rapport.rubrique
    deliberation.expose = expose_en_texte(expose(rapport))
    deliberation.decision = decision_en_texte(decision(rapport, organe=deliberation.organe))
    enregistrer(deliberation, user=user, motif=f"Vote enregistré : {rapport.titre}")
    if lien is None:
        lien = DeliberationRapport(contrat=contrat, type=cle.type, annee=annees[0], deliberation=deliberation)
        lien.full_clean()
        lien.save()
    return deliberation
