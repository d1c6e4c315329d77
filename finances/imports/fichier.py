"""Le fichier envoyé, refusé avant toute lecture de ses données s'il n'est pas un vrai classeur .xlsx de taille
raisonnable : taille, contenu réel (le contenu fait foi, jamais le nom), bombes ZIP, macros, DTD. Chaque erreur
pointe dans le fichier (feuille, cellule)."""

import logging
import re
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO

from commun.formats import nombre

logger = logging.getLogger(__name__)

# Limites fixes, indépendantes des réglages : un import n'a jamais besoin de plus.
TAILLE_MAX = 2 * 1024 * 1024  # octets du fichier envoyé
DECOMPRESSE_MAX = 20 * 1024 * 1024  # octets une fois décompressé
RATIO_MAX = 100  # taux de compression d'un élément de l'archive
MEMBRES_MAX = 1000  # éléments de l'archive
PAS_UN_XLSX = (
    "n'est pas un classeur Excel (.xlsx) : enregistrez-le au format « Classeur Excel (.xlsx) » "
    "ou partez du modèle à télécharger."
)
BOMBE = "fichier suspect (« bombe ZIP ») refusé"


@dataclass(frozen=True)
class Erreur:
    message: str
    feuille: str = ""
    cellule: str = ""

    @property
    def reference(self) -> str:
        return f"{self.feuille}!{self.cellule}" if self.cellule else self.feuille

    def __str__(self):
        if not self.reference or self.reference in self.message:
            return self.message
        return f"{self.reference} : {self.message}"


class FichierRefuse(Exception):
    """Le fichier est refusé avant toute lecture de ses données."""

    def __init__(self, *erreurs: Erreur | str):
        self.erreurs = [e if isinstance(e, Erreur) else Erreur(e) for e in erreurs]
        super().__init__("; ".join(str(e) for e in self.erreurs))


def fichier_lire(fichier) -> bytes:
    """Au plus TAILLE_MAX + 1 octets en mémoire : assez pour savoir que le fichier est trop gros."""
    if hasattr(fichier, "seek"):
        fichier.seek(0)
    return fichier.read(TAILLE_MAX + 1)


def _taille(octets: int) -> str:
    return f"{nombre(Decimal(octets) / (1024 * 1024))} Mo" if octets >= 1024 * 1024 else f"{nombre(octets)} octets"


def _ressemble_a_du_texte(donnees: bytes) -> bool:
    echantillon = donnees[:4096]
    try:
        echantillon.decode("utf-8")
    except UnicodeDecodeError:
        imprimables = sum(1 for o in echantillon if o in (9, 10, 13) or 32 <= o < 127 or o >= 160)
        return imprimables > 0.95 * len(echantillon)
    return True


def fichier_verifier(donnees: bytes) -> None:
    """Refuse, avant de l'ouvrir avec openpyxl, tout ce qui n'est pas un vrai classeur .xlsx de taille raisonnable.
    Le contenu fait foi, jamais le nom du fichier."""
    if not donnees:
        raise FichierRefuse("Le fichier est vide.")
    if len(donnees) > TAILLE_MAX:
        raise FichierRefuse(
            f"Le fichier dépasse {_taille(TAILLE_MAX)} : allégez-le (une seule feuille utile, sans images) "
            "ou découpez l'import."
        )
    if donnees.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise FichierRefuse(
            "Ce fichier est au format Excel 97-2003 (.xls) : ouvrez-le dans votre tableur et enregistrez-le au "
            "format « Classeur Excel (.xlsx) »."
        )
    if donnees.startswith(b"%PDF"):
        raise FichierRefuse(f"Ce fichier est un PDF : il {PAS_UN_XLSX}")
    if not donnees.startswith(b"PK\x03\x04"):
        nature = "du texte (CSV ?)" if _ressemble_a_du_texte(donnees) else "un fichier d'un autre type"
        raise FichierRefuse(f"Ce fichier est {nature} : il {PAS_UN_XLSX}")
    try:
        with zipfile.ZipFile(BytesIO(donnees)) as archive:
            _archive_verifier(archive)
    except (zipfile.BadZipFile, EOFError, ValueError, OSError, NotImplementedError) as erreur:
        logger.info("Import Excel : archive illisible (%s)", erreur)
        raise FichierRefuse(
            "Le fichier est endommagé ou incomplet (archive illisible) : enregistrez-le de nouveau depuis votre "
            "tableur, puis recommencez."
        ) from erreur


def _archive_verifier(archive: zipfile.ZipFile) -> None:
    membres = archive.infolist()
    if len(membres) > MEMBRES_MAX:
        raise FichierRefuse(
            f"Le fichier contient {nombre(len(membres))} éléments internes ({MEMBRES_MAX} au maximum) : {BOMBE}."
        )
    total = sum(membre.file_size for membre in membres)
    if total > DECOMPRESSE_MAX:
        raise FichierRefuse(
            f"Une fois décompressé, le fichier occuperait {_taille(total)} ({_taille(DECOMPRESSE_MAX)} au maximum) : "
            f"{BOMBE}."
        )
    for membre in membres:
        if membre.file_size and (membre.compress_size == 0 or membre.file_size / membre.compress_size > RATIO_MAX):
            taux = nombre(Decimal(membre.file_size) / max(membre.compress_size, 1))
            raise FichierRefuse(
                f"L'élément « {membre.filename} » du fichier est compressé {taux} fois ({RATIO_MAX} au maximum) : "
                f"{BOMBE}."
            )
        if membre.flag_bits & 0x1:
            raise FichierRefuse("Le fichier est protégé par un mot de passe : enregistrez-le sans protection.")
    noms = {membre.filename for membre in membres}
    if "mimetype" in noms and b"opendocument" in archive.read("mimetype"):
        raise FichierRefuse(
            "Ce fichier est au format OpenDocument (.ods) : enregistrez-le au format « Classeur Excel (.xlsx) »."
        )
    if "[Content_Types].xml" not in noms or "xl/workbook.xml" not in noms:
        raise FichierRefuse(f"Ce fichier est une archive ZIP, pas un classeur : il {PAS_UN_XLSX}")
    if "xl/vbaProject.bin" in noms:
        raise FichierRefuse("Le classeur contient des macros : enregistrez-le au format .xlsx, sans macros.")
    for membre in membres:
        if membre.filename.endswith((".xml", ".rels", ".vml")):
            contenu = archive.read(membre)  # la lecture s'arrête à la taille annoncée, contrôlée plus haut
            if contenu[:2] in (b"\xff\xfe", b"\xfe\xff"):
                contenu = contenu.decode("utf-16", errors="ignore").encode()
            if re.search(rb"<!\s*(DOCTYPE|ENTITY)", contenu, re.IGNORECASE):
                raise FichierRefuse(
                    "Le fichier contient des déclarations XML (DTD) qu'un classeur Excel ne contient jamais : "
                    "enregistrez-le de nouveau depuis votre tableur."
                )
