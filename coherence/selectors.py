"""Les constats d'un contrat et leur suivi (ouverts, examinés, à revoir) : calculés une fois par version des données
du contrat et des contrats du même territoire auxquels certaines règles le comparent (commun/cache.py)."""

import datetime
from collections import Counter
from dataclasses import dataclass

from django.utils import timezone

from coherence import regles
from coherence.constats import GRAVITES, Constat
from coherence.dossier import dossier_du_contrat
from coherence.models import ExamenConstat
from commun.cache import cle, en_cache
from contrats.models import Contrat

OUVERT = "ouvert"
EXAMINE = "examine"
A_REVOIR = "a_revoir"
ETATS = {
    OUVERT: "Ouvert",
    EXAMINE: "Examiné",
    A_REVOIR: "À revoir : les données ont changé depuis l'examen",
}
ORDRE_GRAVITE = {gravite: rang for rang, gravite in enumerate(GRAVITES)}


def calculer_constats(contrat, aujourd_hui: datetime.date | None = None) -> list[Constat]:
    """Tous les constats du contrat, sans cache, triés par gravité puis dans l'ordre des règles."""
    dossier = dossier_du_contrat(contrat, aujourd_hui or timezone.localdate())
    constats = regles.verifier(dossier)
    return sorted(constats, key=lambda c: ORDRE_GRAVITE[c.gravite])


def constats_du_contrat(contrat) -> list[Constat]:
    voisins = Contrat.objects.filter(collectivite=contrat.collectivite_id).exclude(pk=contrat.pk)
    versions = "-".join(f"{pk}.{v}" for pk, v in voisins.order_by("pk").values_list("pk", "version_donnees"))
    return en_cache(cle("constats", contrat, versions), lambda: calculer_constats(contrat))


@dataclass
class Suivi:
    constat: Constat
    examen: ExamenConstat | None

    @property
    def etat(self) -> str:
        if self.examen is None:
            return OUVERT
        return EXAMINE if self.examen.empreinte == self.constat.empreinte else A_REVOIR

    @property
    def etat_libelle(self) -> str:
        return ETATS[self.etat]

    @property
    def ouvert(self) -> bool:
        return self.etat != EXAMINE


def suivi_des_constats(contrat) -> list[Suivi]:
    examens = ExamenConstat.objects.filter(contrat=contrat).select_related("examine_par__profil__organisation")
    examens = {e.cle: e for e in examens}
    return [Suivi(constat, examens.get(constat.cle)) for constat in constats_du_contrat(contrat)]


def decompte(suivis: list[Suivi]) -> dict:
    """Constats ouverts par gravité, et nombre d'examinés."""
    ouverts = Counter(s.constat.gravite for s in suivis if s.ouvert)
    return {
        "par_gravite": {libelle: ouverts.get(g, 0) for g, libelle in GRAVITES.items()},
        "ouverts": sum(ouverts.values()),
        "examines": sum(1 for s in suivis if not s.ouvert),
    }
