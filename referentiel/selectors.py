from django.db.models import Subquery

from referentiel.models import IndicateurNational, Pilier


def _dernier_historique(modele) -> Subquery:
    return Subquery(modele.history.order_by("-history_id").values("history_id")[:1])


def version_referentiel() -> str:
    """Une empreinte du référentiel (piliers, indicateurs nationaux) qui change à chaque modification, par les pages
    comme par l'administration : le dernier numéro de leur historique. Une requête."""
    versions = (
        Pilier.objects.annotate(p=_dernier_historique(Pilier), i=_dernier_historique(IndicateurNational))
        .values_list("p", "i")
        .first()
    )
    return "{}.{}".format(*versions) if versions else "vide"
