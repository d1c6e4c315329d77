"""Corpus de fichiers que l'import Excel doit refuser, chacun avec un message en français et sans rien écrire.

Chaque cas : un nom, le type d'import, une fabrique qui renvoie les octets du fichier (construits ici, rien n'est lu
sur disque), le fragment de message attendu sur la page, et au besoin une préparation de la base. Une ligne d'une
année validée (ou soumise) n'est pas une faute du fichier : l'aperçu la dit « non importée » (test_import.py)."""

import datetime
import random
import struct
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from io import BytesIO

from openpyxl import Workbook

from contrats.models import Contrat
from finances.imports.modele import FEUILLE_EXECUTION, FEUILLE_INDICATEURS, PREMIERE_LIGNE, classeur_modele
from indicateurs.models import Indicateur
from tests.conftest import CLS, CONTRAT_DE_VILLE


class Texte(str):
    """Une chaîne écrite comme texte dans la cellule, même si elle commence par « = »."""


def octets(classeur: Workbook) -> bytes:
    flux = BytesIO()
    classeur.save(flux)
    return flux.getvalue()


def contrat(slug: str = CLS) -> Contrat:
    return Contrat.objects.get(slug=slug)


def remplir(feuille, lignes) -> None:
    """Remplace les lignes de données de la feuille (à partir de la ligne 6) par celles données."""
    if feuille.max_row >= PREMIERE_LIGNE:
        feuille.delete_rows(PREMIERE_LIGNE, feuille.max_row)
    for rang, valeurs in enumerate(lignes):
        for colonne, valeur in enumerate(valeurs, start=1):
            cellule = feuille.cell(row=PREMIERE_LIGNE + rang, column=colonne, value=valeur)
            if isinstance(valeur, Texte):
                cellule.value = str(valeur)
                cellule.data_type = "s"


def classeur_execution(*lignes, slug: str = CLS) -> Workbook:
    classeur = classeur_modele(contrat(slug))
    remplir(classeur[FEUILLE_EXECUTION], lignes)
    return classeur


def execution(*lignes, slug: str = CLS) -> bytes:
    return octets(classeur_execution(*lignes, slug=slug))


COLONNES_EXECUTION = ("action", "annee", "financeur", "engage", "realise", "justification")
COLONNES_INDICATEURS = ("identifiant", "action", "libelle", "annee", "valeur", "commentaire")


def ligne_execution(**changements) -> tuple:
    """Une ligne valide du CLS (action 3, 2025, État), modifiée par les changements donnés."""
    valeurs = {"action": "3", "annee": 2025, "financeur": "État", "engage": 1000, "realise": 500}
    valeurs |= {"justification": ""} | changements
    return tuple(valeurs[c] for c in COLONNES_EXECUTION)


def indicateur_cls(rang: int = 0) -> Indicateur:
    return Indicateur.objects.filter(action__contrat__slug=CLS).order_by("pk")[rang]


def ligne_indicateur(**changements) -> tuple:
    indicateur = indicateur_cls()
    valeurs = {"identifiant": indicateur.pk, "action": indicateur.action.numero, "libelle": indicateur.libelle}
    valeurs |= {"annee": 2025, "valeur": 12, "commentaire": ""} | changements
    return tuple(valeurs[c] for c in COLONNES_INDICATEURS)


def indicateurs(*lignes, slug: str = CLS) -> bytes:
    classeur = classeur_modele(contrat(slug))
    remplir(classeur[FEUILLE_INDICATEURS], lignes)
    return octets(classeur)


def archive(membres: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    flux = BytesIO()
    with zipfile.ZipFile(flux, "w", compression) as zf:
        for nom, contenu in membres.items():
            zf.writestr(nom, contenu)
    return flux.getvalue()


SQUELETTE_XLSX = {
    "[Content_Types].xml": b'<?xml version="1.0" encoding="UTF-8"?><Types/>',
    "xl/workbook.xml": b'<?xml version="1.0" encoding="UTF-8"?><workbook/>',
}


def reecrire(donnees: bytes, modifier: Callable[[str, bytes], bytes | None], ajouts: dict | None = None) -> bytes:
    """Recopie une archive membre par membre, en modifiant ou retirant (None) certains membres."""
    source = zipfile.ZipFile(BytesIO(donnees))
    membres = {}
    for info in source.infolist():
        contenu = modifier(info.filename, source.read(info))
        if contenu is not None:
            membres[info.filename] = contenu
    return archive(membres | (ajouts or {}))


def modele_octets(slug: str = CLS) -> bytes:
    return octets(classeur_modele(contrat(slug)))


# --- Fabriques qui ne tiennent pas en une ligne ----------------------------------------------------------------


def _classeur_sans_feuille_execution() -> bytes:
    classeur = classeur_modele(contrat())
    del classeur[FEUILLE_EXECUTION]
    return octets(classeur)


def _classeur_sans_feuille_indicateurs() -> bytes:
    classeur = classeur_modele(contrat())
    del classeur[FEUILLE_INDICATEURS]
    return octets(classeur)


def _classeur_vide() -> bytes:
    return octets(Workbook())


def _feuille_execution_vide() -> bytes:
    classeur = Workbook()
    classeur.active.title = FEUILLE_EXECUTION
    return octets(classeur)


def _entetes_renommes() -> bytes:
    classeur = classeur_execution(ligne_execution())
    classeur[FEUILLE_EXECUTION]["D5"] = "Montant"
    return octets(classeur)


def _colonnes_inversees() -> bytes:
    classeur = classeur_execution(ligne_execution())
    feuille = classeur[FEUILLE_EXECUTION]
    feuille["D5"], feuille["E5"] = "Réalisé (€)", "Engagé (€)"
    return octets(classeur)


def _formule_en_tete() -> bytes:
    classeur = classeur_execution(ligne_execution())
    classeur[FEUILLE_EXECUTION]["B3"] = "=NOW()"
    return octets(classeur)


def _trop_de_lignes() -> bytes:
    # Des lignes du modèle sans montant : comptées dans la limite, sans produire d'autre erreur.
    return execution(*[("3", 2025, "État", None, None, None)] * 5001)


def _formule_loin_a_droite() -> bytes:
    """Une formule dans la dernière colonne d'Excel, hors de la zone lue : trouvée sans parcourir 16 384 colonnes."""
    classeur = classeur_execution(ligne_execution(), ligne_execution(action="4"))
    classeur[FEUILLE_EXECUTION]["XFD7"] = '=HYPERLINK("https://exemple.invalid")'
    return octets(classeur)


def _xls() -> bytes:
    """En-tête d'un fichier OLE2 (Excel 97-2003), renommé .xlsx."""
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4088)


def _csv() -> bytes:
    return ("Action (numéro);Année;Financeur;Engagé (€);Réalisé (€);Justification\n3;2025;État;1000;500;\n").encode()


def _pdf() -> bytes:
    return b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _ods() -> bytes:
    flux = BytesIO()
    with zipfile.ZipFile(flux, "w") as zf:
        zf.writestr("mimetype", b"application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
        zf.writestr("content.xml", b'<?xml version="1.0"?><office:document-content/>', zipfile.ZIP_DEFLATED)
    return flux.getvalue()


def _octets_aleatoires() -> bytes:
    return random.Random(1234).randbytes(8192)


def _zip_tronque() -> bytes:
    donnees = modele_octets()
    return donnees[: len(donnees) // 2]


def _zip_sans_classeur() -> bytes:
    return archive({"lisez-moi.txt": b"Ceci n'est pas un classeur."})


def _bombe_zip() -> bytes:
    """25 Mo de zéros compressés en quelques dizaines de Ko : au-delà des 20 Mo décompressés admis."""
    return archive(SQUELETTE_XLSX | {"xl/worksheets/sheet1.xml": bytes(25 * 1024 * 1024)})


def _bombe_zip_taux() -> bytes:
    """Sous les 20 Mo, mais un élément compressé plus de 100 fois."""
    return archive(SQUELETTE_XLSX | {"xl/worksheets/sheet1.xml": b"<c/>" * (1024 * 1024)})


def _bombe_zip_tailles_falsifiees() -> bytes:
    """30 Mo de zéros annoncés comme 10 000 octets (en-tête local et répertoire central) : la lecture doit s'arrêter
    à la taille annoncée et refuser le fichier, sans jamais décompresser les 30 Mo."""
    donnees = bytearray(archive(SQUELETTE_XLSX | {"xl/worksheets/sheet1.xml": bytes(30 * 1024 * 1024)}))
    info = zipfile.ZipFile(BytesIO(bytes(donnees))).getinfo("xl/worksheets/sheet1.xml")
    struct.pack_into("<I", donnees, info.header_offset + 22, 10_000)
    fin_repertoire = donnees.rfind(b"PK\x05\x06")
    position = struct.unpack_from("<I", donnees, fin_repertoire + 16)[0]
    while donnees[position : position + 4] == b"PK\x01\x02":
        longueur_nom, longueur_extra, longueur_commentaire = struct.unpack_from("<HHH", donnees, position + 28)
        nom = bytes(donnees[position + 46 : position + 46 + longueur_nom])
        if nom == b"xl/worksheets/sheet1.xml":
            struct.pack_into("<I", donnees, position + 24, 10_000)
        position += 46 + longueur_nom + longueur_extra + longueur_commentaire
    return bytes(donnees)


def _trop_de_membres() -> bytes:
    return archive(SQUELETTE_XLSX | {f"xl/media/image{i}.png": b"x" for i in range(1001)}, zipfile.ZIP_STORED)


def _trop_gros() -> bytes:
    """Un vrai classeur, alourdi d'une image de 2,2 Mo (incompressible)."""
    return reecrire(
        execution(ligne_execution()),
        lambda nom, contenu: contenu,
        {"xl/media/image1.png": random.Random(7).randbytes(2_200_000)},
    )


def _macros() -> bytes:
    return reecrire(
        execution(ligne_execution()),
        lambda nom, contenu: contenu,
        {"xl/vbaProject.bin": random.Random(3).randbytes(512)},
    )


def _dtd() -> bytes:
    """« Billion laughs » : des entités XML imbriquées dans la feuille."""
    entites = (
        b'<!DOCTYPE worksheet [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
        b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
    )

    def modifier(nom, contenu):
        if nom == "xl/worksheets/sheet1.xml":
            declaration, _, reste = contenu.partition(b"?>")
            return declaration + b"?>" + entites + reste
        return contenu

    return reecrire(execution(ligne_execution()), modifier)


def _feuille_xml_malformee() -> bytes:
    return reecrire(
        execution(ligne_execution()),
        lambda nom, contenu: contenu[: len(contenu) // 2] if nom == "xl/worksheets/sheet1.xml" else contenu,
    )


def _modele_d_un_autre_contrat() -> bytes:
    return execution(("1", 2020, "État", 1000, 500, ""), slug=CONTRAT_DE_VILLE)


def _indicateur_d_un_autre_contrat() -> bytes:
    etranger = Indicateur.objects.filter(action__contrat__slug=CONTRAT_DE_VILLE).order_by("pk").first()
    return indicateurs(ligne_indicateur(identifiant=etranger.pk))


@dataclass(frozen=True)
class Cas:
    nom: str
    type_import: str
    fabrique: Callable[[], bytes]
    message: str
    preparer: Callable[[], None] | None = None

    @property
    def compte(self) -> str:
        return "finances" if self.type_import == "execution" else "metropole"


def _e(nom, message, *changements: dict, formules: dict | None = None, **options) -> Cas:
    """Un cas d'exécution : une ligne valide du CLS par dictionnaire de changements, et des cellules en plus."""

    def fabrique():
        classeur = classeur_execution(*(ligne_execution(**c) for c in changements))
        for reference, valeur in (formules or {}).items():
            classeur[FEUILLE_EXECUTION][reference] = valeur
        return octets(classeur)

    return Cas(nom, "execution", fabrique, message, **options)


def _i(nom, message, *changements: dict, **options) -> Cas:
    """Un cas d'indicateurs : une ligne valide du CLS par dictionnaire de changements (lue en base à l'appel)."""
    return Cas(
        nom, "indicateurs", lambda: indicateurs(*(ligne_indicateur(**c) for c in changements)), message, **options
    )


def L(**changements) -> dict:  # noqa: N802 - se lit comme une ligne du tableau
    return changements


I = L  # noqa: E741

CORPUS = [
    # Types de cellules
    _e("montant_texte", "« abc » n'est pas un montant valide", L(engage="abc")),
    _e("montant_date", "Une date (01/03/2025) n'est pas un montant", L(engage=datetime.date(2025, 3, 1))),
    _e("montant_booleen", "« VRAI » (vrai/faux) n'est pas un montant", L(realise=True)),
    _e("montant_negatif", "Un montant ne peut pas être négatif.", L(engage=-500)),
    _e("montant_negatif_texte", "Un montant ne peut pas être négatif.", L(realise="-1 500,00")),
    _e("montant_enorme", "Montant trop élevé", L(engage=1e12)),
    _e("montant_enorme_texte", "Montant trop élevé", L(realise="99 999 999 999")),
    _e("montant_trois_decimales", "Au plus 2 chiffres après la virgule.", L(engage=12.345)),
    _e("montant_manquant", "Montant réalisé manquant : saisissez 0 si rien n'est payé.", L(realise=None)),
    _e("erreur_excel", "Valeur d'erreur Excel « #DIV/0! »", L(engage="#DIV/0!")),
    # Clés de la ligne
    _e("action_inconnue", "L'action « 99 » n'existe pas dans ce contrat", L(action="99")),
    _e("action_d_un_autre_contrat", "L'action « 1.1 » n'existe pas dans ce contrat", L(action="1.1")),
    _e("annee_2023", "L'année 2023 est hors de la période du contrat (2024-2027).", L(annee=2023)),
    _e("annee_2031", "L'année 2031 est hors de la période du contrat (2024-2027).", L(annee=2031)),
    _e("annee_en_lettres", "« deux mille » n'est pas une année", L(annee="deux mille")),
    _e("annee_decimale", "« 2025,5 » n'est pas une année", L(annee=2025.5)),
    _e("annee_date", "Une date (01/01/2025) n'est pas une année", L(annee=datetime.datetime(2025, 1, 1))),
    _e("financeur_inconnu", "Financeur « Région » inconnu", L(financeur="Région")),
    _e("financeur_manquant", "Financeur manquant", L(financeur=None)),
    _e("ligne_en_double", "Ligne en double : l'action 3, 2025, État figure déjà ligne 6.", L(), L(engage=2000)),
    _e("justification_trop_longue", "Justification trop longue", L(justification="x" * 2001)),
    # Formules : jamais évaluées, toujours refusées
    _e(
        "formule_somme",
        "Formule refusée en Exécution!E7 : saisissez une valeur.",
        L(),
        L(action="4", realise="=SUM(E6:E6)"),
    ),
    _e(
        "formule_lien_hypertexte",
        "Formule refusée en Exécution!F6 : saisissez une valeur.",
        L(justification='=HYPERLINK("https://exemple.invalid","Cliquez ici")'),
    ),
    _e("formule_en_texte", "Formule refusée en Exécution!F6", L(justification=Texte("=1+1"))),
    _e("formule_calcul", "Formule refusée en Exécution!D6", L(engage="=1+1")),
    _e("formule_dans_l_annee", "Formule refusée en Exécution!B6", L(annee="=2024+1")),
    Cas("formule_dans_l_en_tete", "execution", _formule_en_tete, "Formule refusée en Exécution!B3"),
    _e(
        "formule_hors_des_colonnes",
        "Formule refusée en Exécution!H6",
        L(),
        L(),
        L(action="4"),
        formules={"H6": "=D6*2"},
    ),
    Cas("formule_loin_a_droite", "execution", _formule_loin_a_droite, "Formule refusée en Exécution!XFD7"),
    # Structure du classeur
    Cas("feuille_manquante", "execution", _classeur_sans_feuille_execution, "Feuille « Exécution » introuvable"),
    Cas("classeur_vide", "execution", _classeur_vide, "Feuille « Exécution » introuvable"),
    Cas("feuille_vide", "execution", _feuille_execution_vide, "En-têtes absents en ligne 5"),
    Cas("modele_sans_lignes", "execution", lambda: execution(), "Aucune ligne à importer"),
    Cas(
        "entetes_renommes",
        "execution",
        _entetes_renommes,
        "En-tête inattendu en Exécution!D5 : « Montant » au lieu de « Engagé (€) »",
    ),
    Cas("colonnes_inversees", "execution", _colonnes_inversees, "« Réalisé (€) » au lieu de « Engagé (€) »"),
    Cas("modele_d_un_autre_contrat", "execution", _modele_d_un_autre_contrat, "a été préparé pour"),
    Cas("trop_de_lignes", "execution", _trop_de_lignes, "lignes de données au maximum"),
    # Faux classeurs, fichiers abîmés ou hostiles
    Cas("xls_renomme", "execution", _xls, "Excel 97-2003 (.xls)"),
    Cas("csv_renomme", "execution", _csv, "Ce fichier est du texte (CSV ?)"),
    Cas("ods_renomme", "execution", _ods, "format OpenDocument (.ods)"),
    Cas("pdf_renomme", "execution", _pdf, "Ce fichier est un PDF"),
    Cas("octets_aleatoires", "execution", _octets_aleatoires, "n'est pas un classeur Excel (.xlsx)"),
    Cas("fichier_vide", "execution", lambda: b"", "Le fichier est vide."),
    Cas("zip_tronque", "execution", _zip_tronque, "endommagé ou incomplet"),
    Cas("zip_sans_classeur", "execution", _zip_sans_classeur, "archive ZIP, pas un classeur"),
    Cas("bombe_zip", "execution", _bombe_zip, "(20 Mo au maximum)"),
    Cas("bombe_zip_taux", "execution", _bombe_zip_taux, "(100 au maximum)"),
    Cas("bombe_zip_tailles_falsifiees", "execution", _bombe_zip_tailles_falsifiees, "endommagé ou incomplet"),
    Cas("trop_de_membres", "execution", _trop_de_membres, "(1000 au maximum)"),
    Cas("plus_de_2_mo", "execution", _trop_gros, "Le fichier dépasse 2 Mo"),
    Cas("macros", "execution", _macros, "contient des macros"),
    Cas("entites_xml", "execution", _dtd, "déclarations XML (DTD)"),
    Cas("feuille_xml_malformee", "execution", _feuille_xml_malformee, "Le classeur n'a pas pu être lu"),
    # Indicateurs
    Cas(
        "indicateur_d_un_autre_contrat",
        "indicateurs",
        _indicateur_d_un_autre_contrat,
        "n'existe pas dans ce contrat",
    ),
    _i("indicateur_inconnu", "L'indicateur n°999999 n'existe pas dans ce contrat", I(identifiant=999999)),
    _i("identifiant_texte", "« abc » n'est pas un identifiant d'indicateur", I(identifiant="abc")),
    _i("valeur_decimale_d_un_comptage", "Cet indicateur est un comptage : saisissez un nombre entier", I(valeur=12.5)),
    _i("valeur_negative", "Un nombre ne peut pas être négatif.", I(valeur=-3)),
    _i("valeur_texte", "« beaucoup » n'est pas un nombre valide", I(valeur="beaucoup")),
    _i("valeur_formule", "Formule refusée en Indicateurs!E6 : saisissez une valeur.", I(valeur="=10*2")),
    _i("commentaire_formule_texte", "Formule refusée en Indicateurs!F6", I(commentaire=Texte("=HYPERLINK(1)"))),
    _i("commentaire_trop_long", "Commentaire trop long", I(commentaire="é" * 2001)),
    _i("indicateur_en_double", "Ligne en double : l'indicateur", I(), I(valeur=13)),
    _i("annee_hors_periode_indicateur", "L'année 2031 est hors de la période du contrat", I(annee=2031)),
    Cas(
        "feuille_indicateurs_manquante",
        "indicateurs",
        _classeur_sans_feuille_indicateurs,
        "Feuille « Indicateurs » introuvable",
    ),
]

assert len({cas.nom for cas in CORPUS}) == len(CORPUS), "noms de cas en double"
