"""La version des données d'un contrat : un nombre qui change à chaque modification de ce que le contrat montre.

Chaque application déclare, dans son `AppConfig.ready()`, les modèles qui appartiennent à un contrat et le chemin
qui y mène (`suivre(Cible, "indicateur__action__contrat")`) : tout enregistrement ou suppression de l'un d'eux
incrémente `Contrat.version_donnees`, dans la transaction de l'écriture (annulé avec elle), une fois par bloc
atomique (`modification_en_cours` de commun/cache.py) : un import de cent lignes coûte une requête de plus, pas
cent. Les caches (commun/cache.py) mettent cette version dans leur clé : rien à invalider, une donnée modifiée
change la clé.

`QuerySet.update()` et `bulk_create()` n'envoient aucun signal : les services qui s'en servent appellent
`contrat_modifie()` eux-mêmes."""

from collections.abc import Callable, Iterable

from django.db.models import F, Q
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from commun.cache import modification_en_cours, noter_modification
from contrats.models import (
    Article,
    Axe,
    ChiffreDiagnostic,
    Clause,
    Contrat,
    Deliberation,
    Echeance,
    InstanceGouvernance,
    Organisation,
    PartenaireAssocie,
    Quartier,
    Signataire,
    SousAxe,
    Visa,
)

Chemin = str | Callable[[object], Iterable[int]]


def contrat_modifie(contrat_id: int | None) -> None:
    """Les données du contrat ont changé : sa version augmente, une fois par bloc atomique (une requête, sans signal
    ni historique ; les écritures suivantes du même bloc n'en coûtent aucune)."""
    contrats_modifies([contrat_id])


def contrats_modifies(contrats: Iterable[int | None]) -> None:
    """Idem pour plusieurs contrats."""
    ids = {pk for pk in contrats if pk is not None and not modification_en_cours(pk)}
    if not ids:
        return
    Contrat.objects.filter(pk__in=ids).update(version_donnees=F("version_donnees") + 1)
    for pk in ids:
        noter_modification(pk)


def _contrat_id(instance, chemin: str) -> int | None:
    """L'identifiant du contrat au bout du chemin : suivi sur les objets déjà en mémoire ; au premier qui ne l'est
    pas, une requête, quelle que soit la longueur du reste du chemin."""
    objet, reste = instance, chemin
    while True:
        nom, _, reste = reste.partition("__")
        champ = objet._meta.get_field(nom)
        cle = getattr(objet, champ.attname)
        if cle is None or not reste:
            return cle
        if not champ.is_cached(objet):
            return champ.related_model.objects.filter(pk=cle).values_list(reste, flat=True).first()
        objet = getattr(objet, nom)


def _signaler(instance, chemin: Chemin) -> None:
    contrats_modifies(chemin(instance) if callable(chemin) else [_contrat_id(instance, chemin)])


def suivre(modele, chemin: Chemin, *, creation: bool = True) -> None:
    """Toute écriture d'un objet de `modele` (création, modification, suppression) change la version de son
    contrat. `chemin` : la suite de clés étrangères jusqu'au contrat (« action__contrat »), ou une fonction qui
    donne, pour un objet, les identifiants des contrats concernés. `creation=False` : un objet qui vient d'être
    créé n'apparaît encore dans aucun contrat (une organisation)."""

    def recepteur(sender, instance, created=False, **kwargs):
        if creation or not created:
            _signaler(instance, chemin)

    uid = f"version_donnees:{modele._meta.label}"
    post_save.connect(recepteur, sender=modele, weak=False, dispatch_uid=uid)
    post_delete.connect(recepteur, sender=modele, weak=False, dispatch_uid=uid)


def suivre_m2m(relation, chemin: Chemin) -> None:
    """Idem pour une relation plusieurs-à-plusieurs (`Action.interactions`) : `chemin` part de l'objet modifié."""

    def recepteur(sender, instance, action, **kwargs):
        if action in ("post_add", "post_remove", "post_clear"):
            _signaler(instance, chemin)

    m2m_changed.connect(
        recepteur, sender=relation.through, weak=False, dispatch_uid=f"version_donnees:{relation.through._meta.label}"
    )


def _contrat_avant_enregistrement(sender, instance, **kwargs):
    # Un contrat chargé avant une modification de ses données porte une version périmée : l'enregistrer la
    # réécrirait en arrière, et une version déjà vue (et mise en cache) reviendrait avec d'autres données.
    if instance.pk is not None and not instance._state.adding:
        actuelle = Contrat.objects.filter(pk=instance.pk).values_list("version_donnees", flat=True).first()
        if actuelle is not None:
            instance.version_donnees = actuelle


def _contrat_enregistre(sender, instance, created, **kwargs):
    if not created and not modification_en_cours(instance.pk):
        contrat_modifie(instance.pk)
        instance.version_donnees += 1  # relue avant l'enregistrement : l'objet en mémoire reste juste


def _contrats_de_l_organisation(organisation) -> set[int]:
    """Le nom d'une organisation s'affiche dans les contrats qu'elle porte, signe ou accompagne."""
    return set(
        Contrat.objects.filter(
            Q(collectivite=organisation.pk)
            | Q(signataires__organisation=organisation.pk)
            | Q(partenaires_associes__organisation=organisation.pk)
            | Q(deliberations__organisation=organisation.pk)
        ).values_list("pk", flat=True)
    )


def suivre_les_contrats() -> None:
    """Les modèles de l'application contrats (appelé par ContratsConfig.ready)."""
    pre_save.connect(_contrat_avant_enregistrement, sender=Contrat, dispatch_uid="version_donnees:contrat:avant")
    post_save.connect(_contrat_enregistre, sender=Contrat, dispatch_uid="version_donnees:contrat")
    for modele in (
        Signataire,
        Visa,
        Article,
        Clause,
        ChiffreDiagnostic,
        Axe,
        Quartier,
        InstanceGouvernance,
        Deliberation,
        PartenaireAssocie,
        Echeance,
    ):
        suivre(modele, "contrat")
    suivre(SousAxe, "axe__contrat")
    suivre(Organisation, _contrats_de_l_organisation, creation=False)
