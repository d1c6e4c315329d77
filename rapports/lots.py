"""Génération de rapports par lots : un même document (rapport à mi-parcours, rapport annuel d'une année, projet de
délibération) pour plusieurs contrats, une tâche de fond par contrat (django-tasks). Chaque PDF va dans le cache des
PDF (rapports/cache_pdf.py) : le télécharger ensuite est immédiat tant que les données ne changent pas. Le lot
compte ce qui est fait, sans objet (période du contrat) ou en erreur, affiché par la page des lots."""

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from contrats.models import Contrat
from rapports.cache_pdf import document_pdf_en_cache
from rapports.cles import CleRapport, RapportIndisponible
from rapports.enums import TYPES_MI_PARCOURS
from rapports.models import ElementLot, LotRapports, StatutElementLot

journal = logging.getLogger("rapports.lots")


@transaction.atomic
def lot_creer(*, user, type: str, annee: int | None, contrats) -> LotRapports:
    """Crée le lot et ses documents, puis, une fois la transaction validée, une tâche par contrat."""
    if type in TYPES_MI_PARCOURS:
        annee = None
    elif annee is None:
        raise ValidationError("Indiquez l'année du rapport annuel.")
    contrats = list(contrats)
    if not contrats:
        raise ValidationError("Choisissez au moins un contrat.")
    lot = LotRapports(type=type, annee=annee, cree_par=user)
    lot.full_clean()
    lot.save()
    elements = ElementLot.objects.bulk_create([ElementLot(lot=lot, contrat=c) for c in contrats])
    ids = [e.pk for e in elements]
    transaction.on_commit(lambda: [generer_element.enqueue(pk) for pk in ids])
    journal.info("Lot %s lancé par l'utilisateur %s : %s contrat(s)", lot.pk, user.pk, len(ids))
    return lot


@task()
def generer_element(element_id: int) -> str:
    """Met en page le document d'un contrat du lot (ou le trouve déjà en cache) et note le résultat."""
    reserve = ElementLot.objects.filter(pk=element_id, statut=StatutElementLot.A_FAIRE).update(
        statut=StatutElementLot.EN_COURS
    )
    if not reserve:
        return "déjà traité"
    element = ElementLot.objects.select_related("lot").get(pk=element_id)
    contrat = Contrat.objects.avec_collectivite().get(pk=element.contrat_id)
    cle = CleRapport(element.lot.type, element.lot.annee)
    try:
        cle.annees(contrat)
        document_pdf_en_cache(contrat, cle)
    except RapportIndisponible as erreur:
        statut, message = StatutElementLot.IGNORE, str(erreur)
    except Exception:  # un contrat en échec n'arrête pas le lot : l'erreur est notée et journalisée
        journal.exception("Lot %s : échec du document de %s", element.lot_id, contrat.slug)
        statut, message = (
            StatutElementLot.ERREUR,
            "La mise en page du document a échoué ; l'équipe technique a le détail.",
        )
    else:
        statut, message = StatutElementLot.FAIT, ""
    ElementLot.objects.filter(pk=element_id).update(statut=statut, message=message, fini_le=timezone.now())
    return statut
