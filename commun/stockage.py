"""Les fichiers des objets supprimés, effacés du stockage une fois la suppression validée.

Chaque application déclare, dans son `AppConfig.ready()`, les modèles qui rangent des fichiers
(`fichiers_nettoyer(Document)`). À chaque suppression d'un de leurs objets — par un service, en cascade avec son
contrat ou son action, depuis l'administration —, chacun de ses fichiers (FileField) est effacé du stockage après la
validation de la transaction (`transaction.on_commit`) : une transaction annulée n'efface rien, et l'objet qu'elle
fait revenir retrouve son fichier. Les modèles d'historique (django-simple-history) ne sont jamais déclarés : leurs
lignes gardent le chemin d'un fichier qui peut être encore celui d'un objet vivant.

`nettoyage_suspendu()` : la restauration d'une sauvegarde (commun/sauvegarde.py) vide la base, la recharge et remet
elle-même chaque fichier de l'archive ; rien n'est effacé pendant qu'elle tourne.

`QuerySet.delete()` envoie le signal pour chaque objet (Django renonce à la suppression rapide quand un récepteur
écoute) ; `flush`, `TRUNCATE` et le SQL brut n'en envoient aucun."""

import logging
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import models, transaction
from django.db.models.signals import post_delete

logger = logging.getLogger(__name__)

MODELES = set()  # les modèles déclarés, vérifiés par les tests : tout FileField du projet en fait partie
_suspendu = ContextVar("nettoyage_suspendu", default=False)


@contextmanager
def nettoyage_suspendu():
    jeton = _suspendu.set(True)
    try:
        yield
    finally:
        _suspendu.reset(jeton)


def _effacer_apres_validation(stockage, chemin: str, using: str) -> None:
    def effacer():
        if stockage.exists(chemin):
            stockage.delete(chemin)
            logger.info("Fichier effacé du stockage : %s", chemin)

    # robust : un fichier qui ne s'efface pas est inscrit au journal, sans faire échouer une suppression déjà validée.
    transaction.on_commit(effacer, using=using, robust=True)


def fichiers_nettoyer(modele) -> None:
    champs = [champ.name for champ in modele._meta.concrete_fields if isinstance(champ, models.FileField)]

    def recepteur(sender, instance, using, **kwargs):
        if _suspendu.get():
            return
        for nom in champs:
            fichier = getattr(instance, nom)
            if fichier.name:
                _effacer_apres_validation(fichier.storage, fichier.name, using)

    post_delete.connect(recepteur, sender=modele, weak=False, dispatch_uid=f"fichiers_nettoyer:{modele._meta.label}")
    MODELES.add(modele)
