"""Le cache des calculs et des fragments d'un contrat, indexé sur l'empreinte des données qu'ils montrent.

La clé dit tout ce dont le résultat dépend : un nom, le contrat et la version de ses données (`version_donnees`,
incrémentée à chaque modification, voir contrats/versions.py), la date du jour (montants en vigueur, retards) et
tout autre paramètre (date demandée, année…). Rien n'est jamais invalidé : une donnée modifiée change la clé, les
anciennes entrées expirent d'elles-mêmes. Jamais rien qui dépende de l'utilisateur (boutons, droits) : cela reste
calculé à chaque affichage.

Transactions : une valeur n'est écrite qu'une fois la transaction validée (`transaction.on_commit`), pour qu'un
calcul fait dans une transaction annulée ne reste pas en cache sous une version que la suivante réutiliserait. Et
un bloc atomique qui a déjà modifié les données d'un contrat ne lit ni n'écrit son cache : la version n'y change
qu'une fois par bloc (`noter_modification`), ce qu'il calculerait ensuite pourrait encore changer avant la
validation. Sous les tests (chaque test est une transaction annulée), rien n'est donc écrit, sauf à valider
explicitement (`django_capture_on_commit_callbacks(execute=True)`).

Le cache est celui de Django (`CACHES["default"]`) : les valeurs doivent se sérialiser (pickle), pour qu'un cache
partagé entre processus (base de données, Redis) convienne sans rien changer ici."""

import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

T = TypeVar("T")

# La date du jour est dans la clé : une entrée ne sert jamais plus d'un jour.
DUREE = 24 * 3600
# À incrémenter quand la forme d'une valeur en cache change (gabarit, structure) et que l'ancien cache partagé
# risquerait d'être relu par le nouveau code.
# 2 : PDF avec exécution par financeur et versements, matrice des indicateurs qualitatifs ; 3 : vue nationale
# (« aucun versement », sous-consommations « non saisi ») et avenants de la page du contrat (montant confirmé) ;
# 4 : graphiques sans année ni série vide dans la légende, graduations écrites en entier, dessins de la page.
# 5 : historique, tableau budgétaire et données des graphiques dans un cadre défilant (page étroite).
GENERATION = 5
_ABSENT = object()
_LONGUEUR_MAXIMALE = 200  # memcached refuse les clés de plus de 250 caractères


class Cle(str):
    """Une clé de cache, qui sait de quel contrat elle dépend."""

    contrat_id: int


def cle(nom: str, contrat, *parties) -> Cle:
    """L'empreinte de ce que montre `nom` pour ce contrat : « nom:g1:c12:v34:2025-06-30[:parties…] »."""
    elements = [
        nom,
        f"g{GENERATION}",
        f"c{contrat.pk}",
        f"v{contrat.version_donnees}",
        timezone.localdate().isoformat(),
        *("" if p is None else str(p) for p in parties),
    ]
    texte = ":".join(e.replace(":", "_").replace(" ", "_") for e in elements)
    if len(texte) > _LONGUEUR_MAXIMALE:
        texte = f"{nom}:{hashlib.sha256(texte.encode()).hexdigest()}"
    resultat = Cle(texte)
    resultat.contrat_id = contrat.pk
    return resultat


class CleEnsemble(str):
    """Une clé de cache qui dépend de plusieurs contrats (vue nationale)."""

    contrat_ids: tuple[int, ...]


def cle_ensemble(nom: str, versions, *parties) -> CleEnsemble:
    """L'empreinte de ce que montre `nom` pour un ensemble de contrats, donnés par leurs couples (pk, version des
    données) : chacun et sa version, la date du jour et les autres paramètres, condensés (SHA-256) ; un contrat
    ajouté, retiré ou modifié change la clé."""
    versions = sorted(versions)
    elements = [
        f"g{GENERATION}",
        ",".join(f"{pk}.{version}" for pk, version in versions),
        timezone.localdate().isoformat(),
        *("" if p is None else str(p) for p in parties),
    ]
    resultat = CleEnsemble(f"{nom}:{hashlib.sha256(':'.join(elements).encode()).hexdigest()}")
    resultat.contrat_ids = tuple(pk for pk, _ in versions)
    return resultat


def en_cache(cle: Cle | CleEnsemble, calcul: Callable[[], T]) -> T:
    """La valeur en cache sous `cle`, sinon `calcul()`, mise en cache une fois la transaction validée."""
    ids = cle.contrat_ids if isinstance(cle, CleEnsemble) else (cle.contrat_id,)
    if any(modification_en_cours(pk) for pk in ids):
        return calcul()
    valeur = cache.get(cle, _ABSENT)
    if valeur is _ABSENT:
        valeur = calcul()
        transaction.on_commit(lambda: cache.set(cle, valeur, DUREE))
    return valeur


class _Modification:
    """Marque « la transaction en cours a modifié les données de ce contrat », posée par `transaction.on_commit` :
    Django la retire à la validation, et à l'annulation de la transaction ou du point de sauvegarde qui l'a posée ;
    exécutée (validation), elle ne compte plus."""

    __slots__ = ("contrat_id", "validee")

    def __init__(self, contrat_id: int):
        self.contrat_id = contrat_id
        self.validee = False

    def __call__(self):
        self.validee = True


def noter_modification(contrat_id: int) -> None:
    """La transaction en cours vient de modifier les données du contrat (et d'incrémenter sa version)."""
    transaction.on_commit(_Modification(contrat_id))


def modification_en_cours(contrat_id: int) -> bool:
    """Le bloc atomique en cours (ou un bloc qui l'englobe) a-t-il déjà modifié les données du contrat ? Hors
    transaction, jamais (la marque est exécutée aussitôt posée). La marque d'un bloc imbriqué déjà refermé ne compte
    plus : l'écriture suivante incrémente de nouveau la version (une requête de plus, jamais une version fausse)."""
    if not connection.in_atomic_block:
        return False
    actifs = set(connection.savepoint_ids)
    return any(
        isinstance(fonction, _Modification)
        and fonction.contrat_id == contrat_id
        and not fonction.validee
        and points_de_sauvegarde <= actifs
        for points_de_sauvegarde, fonction, _ in connection.run_on_commit
    )
