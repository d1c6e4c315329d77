"""Écritures des rapports : figer une version pour transmission, la marquer transmise, enregistrer le vote du
projet de délibération. Chaque fonction : une transaction, full_clean() avant d'écrire, l'auteur conservé."""

import hashlib

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from commun.historique import enregistrer
from contrats.enums import TypeEcheance
from contrats.models import Deliberation, Echeance
from rapports.cles import CleRapport
from rapports.models import DeliberationRapport, VersionRapport
from rapports.pdf import VARIANTE_ARCHIVAGE, document_pdf
from rapports.redaction import decision, decision_en_texte, expose, expose_en_texte
from rapports.selectors import rapport_donnees


def version_figer(*, user, contrat, cle: CleRapport) -> VersionRapport:
    """Génère le document en PDF/A et en conserve les octets : ce qui sera transmis, à l'identique pour toujours."""
    annees = cle.annees(contrat)
    # La mise en page (une à deux secondes) se fait hors transaction : seule l'écriture y est.
    pdf = document_pdf(contrat, cle, archivage=True)
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
        )
        version.full_clean()
        version.save()
    return version


@transaction.atomic
def version_transmettre(*, user, version: VersionRapport) -> VersionRapport:
    """Marque la version comme celle transmise au préfet ; une seule par document. L'échéance du rapport est
    alors réalisée."""
    version = VersionRapport.objects.select_for_update().select_related("contrat").get(pk=version.pk)
    if version.transmise:
        raise ValidationError(
            f"Cette version a déjà été transmise le {timezone.localtime(version.transmise_le):%d/%m/%Y}."
        )
    deja = VersionRapport.objects.filter(
        contrat=version.contrat, type=version.type, annee=version.annee, transmise=True
    ).first()
    if deja:
        raise ValidationError(
            f"La version figée le {timezone.localtime(deja.cree_le):%d/%m/%Y à %H:%M} a déjà été transmise le "
            f"{timezone.localtime(deja.transmise_le):%d/%m/%Y} : une seule version d'un document est transmise."
        )
    version.transmise = True
    version.transmise_le = timezone.now()
    version.transmise_par = user
    version.full_clean()
    version.save(update_fields=["transmise", "transmise_le", "transmise_par"])
    if not version.cle.est_deliberation:
        if version.cle.est_mi_parcours:
            echeances = Echeance.objects.filter(type=TypeEcheance.RAPPORT_MI_PARCOURS, annee=version.annee + 1)
        else:
            echeances = Echeance.objects.filter(type=TypeEcheance.RAPPORT_ANNUEL, annee=version.annee)
        for echeance in echeances.filter(contrat=version.contrat, realisee_le__isnull=True):
            echeance.realisee_le = timezone.localdate()
            enregistrer(echeance, user=user, motif=f"Transmis au préfet : {version}")
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
