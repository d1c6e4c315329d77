"""Les types de fichiers acceptés, reconnus par leur extension et vérifiés par leur contenu : un fichier renommé
(« photo.exe » devenu « contrat.pdf ») est refusé, comme un fichier trop lourd ou vide, avec un message français."""

import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError

from commun.formats import nombre


@dataclass(frozen=True)
class Format:
    libelle: str
    type_mime: str
    famille: str  # pdf, ooxml (Office 2007 et suivants), odf (OpenDocument), ole (Office 97-2003), rtf
    dossier: str = ""  # OOXML : le dossier propre au type dans l'archive ; ODF : le type déclaré dans « mimetype »


FORMATS = {
    "pdf": Format("PDF", "application/pdf", "pdf"),
    "odt": Format("texte OpenDocument", "application/vnd.oasis.opendocument.text", "odf"),
    "ods": Format("tableur OpenDocument", "application/vnd.oasis.opendocument.spreadsheet", "odf"),
    "odp": Format("présentation OpenDocument", "application/vnd.oasis.opendocument.presentation", "odf"),
    "docx": Format(
        "Word", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "ooxml", "word/"
    ),
    "xlsx": Format("Excel", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "ooxml", "xl/"),
    "pptx": Format(
        "PowerPoint", "application/vnd.openxmlformats-officedocument.presentationml.presentation", "ooxml", "ppt/"
    ),
    "doc": Format("Word 97-2003", "application/msword", "ole"),
    "xls": Format("Excel 97-2003", "application/vnd.ms-excel", "ole"),
    "ppt": Format("PowerPoint 97-2003", "application/vnd.ms-powerpoint", "ole"),
    "rtf": Format("texte enrichi (RTF)", "application/rtf", "rtf"),
}
EXTENSIONS_ACCEPTEES = ", ".join(f".{e}" for e in FORMATS)
OLE = bytes.fromhex("D0CF11E0A1B11AE1")


def taille_max() -> int:
    return settings.DOCUMENTS_TAILLE_MAX_MO * 1024 * 1024


def taille_lisible(octets: int) -> str:
    """« 2,4 Mo », « 830 ko », « 12 octets »."""
    if octets >= 1024 * 1024:
        return f"{nombre(round(octets / 1024 / 1024, 1))} Mo"
    if octets >= 1024:
        return f"{nombre(round(octets / 1024))} ko"
    return f"{octets} octet{'s' if octets > 1 else ''}"


def extension(nom: str) -> str:
    return nom.rsplit(".", 1)[-1].lower() if "." in nom else ""


def _contenu_conforme(fichier, format_: Format) -> bool:
    fichier.seek(0)
    debut = fichier.read(8)
    fichier.seek(0)
    if format_.famille == "pdf":
        return debut.startswith(b"%PDF-")
    if format_.famille == "rtf":
        return debut.startswith(b"{\\rtf")
    if format_.famille == "ole":
        return debut == OLE
    if not debut.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(fichier) as archive:
            noms = archive.namelist()
            if format_.famille == "ooxml":
                return "[Content_Types].xml" in noms and any(n.startswith(format_.dossier) for n in noms)
            # Seul l'en-tête « mimetype » est lu (quelques dizaines d'octets), jamais le reste de l'archive.
            with archive.open("mimetype") as entree:
                return entree.read(100).decode("ascii", "replace").strip() == format_.type_mime
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError):
        return False
    finally:
        fichier.seek(0)


def fichier_verifier(fichier) -> Format:
    """Le format du fichier déposé ; ValidationError en français s'il est vide, trop lourd, d'un type non accepté
    ou si son contenu ne correspond pas à son extension."""
    nom = fichier.name.rsplit("/", 1)[-1]
    format_ = FORMATS.get(extension(nom))
    if format_ is None:
        raise ValidationError(
            f"« {nom} » : ce type de fichier n'est pas accepté. Formats acceptés : {EXTENSIONS_ACCEPTEES}."
        )
    if not fichier.size:
        raise ValidationError(f"« {nom} » est vide.")
    if fichier.size > taille_max():
        raise ValidationError(
            f"« {nom} » pèse {taille_lisible(fichier.size)} : la taille maximale d'un document est de "
            f"{settings.DOCUMENTS_TAILLE_MAX_MO} Mo."
        )
    if not _contenu_conforme(fichier, format_):
        raise ValidationError(
            f"« {nom} » n'est pas un fichier {format_.libelle} valide : son contenu ne correspond pas à son extension."
        )
    return format_
