"""Des fichiers de chaque format accepté, construits en mémoire (contenu réel : en-tête PDF, archive OOXML ou ODF,
en-tête OLE), et des fichiers trompeurs."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def pdf(nom: str = "contrat-signe.pdf", contenu: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(nom, contenu, content_type="application/pdf")


def docx(nom: str = "deliberation.docx") -> SimpleUploadedFile:
    flux = io.BytesIO()
    with zipfile.ZipFile(flux, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return SimpleUploadedFile(nom, flux.getvalue())


def odt(nom: str = "avenant.odt", type_mime: str = "application/vnd.oasis.opendocument.text") -> SimpleUploadedFile:
    flux = io.BytesIO()
    with zipfile.ZipFile(flux, "w") as archive:
        archive.writestr("mimetype", type_mime)
        archive.writestr("content.xml", "<office:document-content/>")
    return SimpleUploadedFile(nom, flux.getvalue())


def doc(nom: str = "ancien.doc") -> SimpleUploadedFile:
    return SimpleUploadedFile(nom, bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 504)
