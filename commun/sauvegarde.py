"""Sauvegarde et restauration : une archive (.tar.gz) qui contient toute la base (historique et PDF figés compris)
et chaque fichier du stockage par défaut (documents des contrats, pièces justificatives), avec leurs empreintes.

La base est lue par `dumpdata` (clés naturelles pour les types de contenu et les permissions, recréés par `migrate`) ;
les fichiers par l'API de stockage de Django : la même archive vient d'un disque local ou d'un autre stockage.
La restauration vérifie chaque empreinte avant d'écrire quoi que ce soit, puis remplace la base en une transaction."""

import hashlib
import io
import json
import tarfile
import tempfile
from pathlib import Path

from django.apps import apps
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.test.utils import override_settings  # réglage changé le temps du chargement
from django.utils import timezone

from commun.stockage import nettoyage_suspendu

FORMAT = 1
MANIFESTE, BASE, FICHIERS = "manifeste.json", "base.json", "fichiers/"
# Recréés par `migrate` (types de contenu, permissions) ou sans valeur après restauration (sessions, tâches).
EXCLUS = ["contenttypes", "auth.permission", "sessions", "admin.logentry", "django_tasks_database"]


class ArchiveInvalide(Exception):
    pass


def _sha256(donnees: bytes) -> str:
    return hashlib.sha256(donnees).hexdigest()


def fichiers_stockes(stockage=default_storage, dossier: str = "") -> list[str]:
    """Les chemins de tous les fichiers du stockage (aucun si son dossier n'existe pas encore)."""
    try:
        dossiers, noms = stockage.listdir(dossier)
    except FileNotFoundError:
        return []
    prefixe = f"{dossier}/" if dossier else ""
    chemins = [prefixe + nom for nom in noms]
    for sous_dossier in dossiers:
        chemins += fichiers_stockes(stockage, prefixe + sous_dossier)
    return sorted(chemins)


def _migrations_appliquees() -> dict[str, list[str]]:
    appliquees = {}
    for app, nom in sorted(MigrationRecorder(connection).applied_migrations()):
        appliquees.setdefault(app, []).append(nom)
    return appliquees


def _ajouter(archive: tarfile.TarFile, nom: str, donnees: bytes) -> None:
    info = tarfile.TarInfo(nom)
    info.size = len(donnees)
    info.mtime = int(timezone.now().timestamp())
    archive.addfile(info, io.BytesIO(donnees))


def sauvegarder(chemin: Path, stockage=default_storage) -> dict:
    """Écrit l'archive et renvoie son manifeste (date, migrations, empreinte de la base, fichiers)."""
    with tempfile.TemporaryDirectory() as dossier:
        fixture = Path(dossier) / BASE
        with transaction.atomic():  # une seule transaction : une image cohérente (selon l'isolation de la base)
            call_command(
                "dumpdata", exclude=EXCLUS, natural_foreign=True, output=str(fixture), verbosity=0, indent=None
            )
        base = fixture.read_bytes()
    contenus = {}
    for nom in fichiers_stockes(stockage):
        with stockage.open(nom, "rb") as fichier:
            contenus[nom] = fichier.read()
    manifeste = {
        "format": FORMAT,
        "cree_le": timezone.localtime().isoformat(),
        "migrations": _migrations_appliquees(),
        "base": {"taille": len(base), "sha256": _sha256(base)},
        "fichiers": {nom: {"taille": len(d), "sha256": _sha256(d)} for nom, d in contenus.items()},
    }
    chemin.parent.mkdir(parents=True, exist_ok=True)
    with tarfile.open(chemin, "w:gz") as archive:
        _ajouter(archive, MANIFESTE, json.dumps(manifeste, ensure_ascii=False, indent=1).encode())
        _ajouter(archive, BASE, base)
        for nom, donnees in contenus.items():
            _ajouter(archive, FICHIERS + nom, donnees)
    return manifeste


def _lire(chemin: Path) -> tuple[dict, bytes, dict[str, bytes]]:
    """Le manifeste, la base et les fichiers de l'archive, chaque empreinte vérifiée."""
    try:
        with tarfile.open(chemin, "r:gz") as archive:
            membres = {m.name: m for m in archive.getmembers() if m.isfile()}
            if MANIFESTE not in membres or BASE not in membres:
                raise ArchiveInvalide("ce n'est pas une archive de sauvegarde (manifeste ou base absents)")
            lire = lambda nom: archive.extractfile(membres[nom]).read()  # noqa: E731
            manifeste = json.loads(lire(MANIFESTE))
            base = lire(BASE)
            fichiers = {nom[len(FICHIERS) :]: lire(nom) for nom in membres if nom.startswith(FICHIERS)}
    except (tarfile.TarError, OSError, json.JSONDecodeError) as erreur:
        raise ArchiveInvalide(f"archive illisible ({erreur})") from erreur
    if manifeste.get("format") != FORMAT:
        raise ArchiveInvalide(f"format {manifeste.get('format')!r} inconnu (attendu : {FORMAT})")
    if _sha256(base) != manifeste["base"]["sha256"]:
        raise ArchiveInvalide("la base ne correspond pas à son empreinte : archive altérée")
    if set(fichiers) != set(manifeste["fichiers"]):
        raise ArchiveInvalide("les fichiers de l'archive ne sont pas ceux de son manifeste")
    for nom, donnees in fichiers.items():
        if _sha256(donnees) != manifeste["fichiers"][nom]["sha256"]:
            raise ArchiveInvalide(f"le fichier « {nom} » ne correspond pas à son empreinte : archive altérée")
    return manifeste, base, fichiers


def base_vide() -> bool:
    exclus = {"contenttypes", "sessions", "django_tasks_database"}
    return not any(
        modele.objects.exists()
        for modele in apps.get_models()
        if modele._meta.app_label not in exclus and modele._meta.label != "auth.Permission" and modele._meta.managed
    )


def base_vider() -> None:
    """Vide toutes les tables (`flush`). Sur PostgreSQL, les contraintes différées en attente dans la transaction
    sont d'abord vérifiées (TRUNCATE refuse une table qui a des « pending trigger events »), puis différées de
    nouveau."""
    postgresql = connection.vendor == "postgresql"
    if postgresql:
        with connection.cursor() as curseur:
            curseur.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, verbosity=0)
    if postgresql:  # de nouveau différées, comme Django les crée : le chargement référence des lignes à venir
        with connection.cursor() as curseur:
            curseur.execute("SET CONSTRAINTS ALL DEFERRED")


def restaurer(chemin: Path, *, remplacer: bool = False, stockage=default_storage) -> dict:
    """Remplace la base et les fichiers par ceux de l'archive ; renvoie son manifeste. Rien n'est écrit si
    l'archive est altérée, si la base n'a pas les migrations de l'archive, ou si elle n'est pas vide sans
    `remplacer`."""
    manifeste, base, fichiers = _lire(chemin)
    actuelles = _migrations_appliquees()
    manquantes = [f"{app}.{nom}" for app, noms in manifeste["migrations"].items() for nom in noms
                  if nom not in actuelles.get(app, [])]  # fmt: skip
    if manquantes:
        raise ArchiveInvalide(
            f"la base n'a pas toutes les migrations de l'archive (lancez d'abord manage.py migrate) : "
            f"{', '.join(manquantes[:5])}{'…' if len(manquantes) > 5 else ''}"
        )
    if not remplacer and not base_vide():
        raise ArchiveInvalide("la base n'est pas vide : relancez avec --remplacer pour l'écraser")
    # Le nettoyage des fichiers des objets supprimés (commun/stockage.py) est suspendu : les fichiers de l'archive
    # sont remis ici, aucun ne doit être effacé après coup par la suppression d'une ligne que la base remplace.
    with nettoyage_suspendu(), tempfile.TemporaryDirectory() as dossier, transaction.atomic():
        fixture = Path(dossier) / BASE
        fixture.write_bytes(base)
        if remplacer:
            base_vider()
        # L'archive porte déjà tout l'historique : le chargement n'en écrit pas d'autre (django-simple-history
        # en ajouterait une ligne à chaque relation plusieurs-à-plusieurs chargée, `Action.interactions`).
        with override_settings(SIMPLE_HISTORY_ENABLED=False):
            call_command("loaddata", str(fixture), verbosity=0)
        for nom in fichiers_stockes(stockage):
            if nom not in fichiers:
                stockage.delete(nom)
        for nom, donnees in fichiers.items():
            if stockage.exists(nom):
                stockage.delete(nom)
            if stockage.save(nom, ContentFile(donnees)) != nom:
                raise ArchiveInvalide(f"le fichier « {nom} » n'a pas pu être remis à son chemin")
    # Les pages en cache portent la version des données des contrats, qu'une restauration peut faire revenir
    # en arrière : le cache est vidé.
    cache.clear()
    return manifeste


def nom_par_defaut() -> str:
    return f"sauvegarde-{timezone.localtime():%Y%m%d-%H%M%S}.tar.gz"
