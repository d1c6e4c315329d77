"""Import Excel de l'exécution budgétaire et des valeurs des indicateurs.

Un modèle pré-rempli par contrat ; un contrôle strict du fichier avant toute lecture (taille, contenu réel .xlsx,
bombes ZIP, DTD) ; aucune formule acceptée ni évaluée ; un aperçu de chaque ligne et de chaque erreur, avec sa
cellule ; puis une écriture tout ou rien, après avoir revérifié les lignes contre la base (année verrouillée,
version du suivi, valeur modifiée entre-temps). Nombre de requêtes de lecture fixe, quelle que soit la taille."""

import hashlib
import logging
import re
import unicodedata
import zipfile
from bisect import bisect_right
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import date, time, timedelta
from decimal import Decimal
from io import BytesIO

from django.core.exceptions import ValidationError
from django.db import models, transaction
from openpyxl import Workbook, load_workbook
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from actions.models import Action
from commun.excel import FORMAT_EUROS, FORMAT_NOMBRE, ecrire_texte, feuille_preparer
from commun.formats import lire_nombre, nombre
from finances.enums import Financeur
from finances.models import MONTANT_MAX, Execution
from finances.tableaux import lignes_en_vigueur
from indicateurs.models import Indicateur, Realisation, SuiviAnnuel
from indicateurs.services import Valeur, saisie_enregistrer, suivi_obtenir

logger = logging.getLogger(__name__)

# Limites fixes, indépendantes des réglages : un import n'a jamais besoin de plus.
TAILLE_MAX = 2 * 1024 * 1024  # octets du fichier envoyé
DECOMPRESSE_MAX = 20 * 1024 * 1024  # octets une fois décompressé
RATIO_MAX = 100  # taux de compression d'un élément de l'archive
MEMBRES_MAX = 1000  # éléments de l'archive
LIGNES_MAX = 5000  # lignes de données
TEXTE_MAX = 2000  # caractères d'une justification ou d'un commentaire
VALEUR_MAX = Decimal("999999999999.99")  # Realisation.valeur : 14 chiffres dont 2 décimales
LIGNE_ENTETES = 5
PREMIERE_LIGNE = LIGNE_ENTETES + 1
EXCEL_LIGNES_MAX = 1_048_576  # borne la lecture même si le fichier annonce davantage
MOTIF = "Import Excel"

FEUILLE_EXECUTION = "Exécution"
FEUILLE_INDICATEURS = "Indicateurs"
COLONNES_EXECUTION = ["Action (numéro)", "Année", "Financeur", "Engagé (€)", "Réalisé (€)", "Justification"]
COLONNES_INDICATEURS = ["Identifiant", "Action", "Indicateur", "Année", "Valeur", "Commentaire"]
FINANCEURS_ATTENDUS = "État, Collectivité ou Autres partenaires"

NOUVELLE, MODIFIEE, INCHANGEE = "nouvelle", "modifiée", "inchangée"

ILLISIBLE = (
    "Le classeur n'a pas pu être lu : fichier endommagé ou non conforme. "
    "Enregistrez-le de nouveau depuis votre tableur au format « Classeur Excel (.xlsx) »."
)
PAS_UN_XLSX = (
    "n'est pas un classeur Excel (.xlsx) : enregistrez-le au format « Classeur Excel (.xlsx) » "
    "ou partez du modèle à télécharger."
)
BOMBE = "fichier suspect (« bombe ZIP ») refusé"


class TypeImport(models.TextChoices):
    EXECUTION = "execution", "Exécution budgétaire (engagé, réalisé, justification)"
    INDICATEURS = "indicateurs", "Valeurs des indicateurs (valeur atteinte, commentaire)"


PERMISSIONS = {
    TypeImport.EXECUTION: "finances.importer_execution",
    TypeImport.INDICATEURS: "indicateurs.saisir",
}
FEUILLES = {TypeImport.EXECUTION: FEUILLE_EXECUTION, TypeImport.INDICATEURS: FEUILLE_INDICATEURS}
COLONNES = {TypeImport.EXECUTION: COLONNES_EXECUTION, TypeImport.INDICATEURS: COLONNES_INDICATEURS}


def types_autorises(user, contrat) -> list[str]:
    return [type_import for type_import in TypeImport.values if user.has_perm(PERMISSIONS[type_import], contrat)]


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


@dataclass
class LigneExecution:
    ligne: int
    action: str
    annee: int
    financeur: str
    engage: Decimal
    realise: Decimal
    justification: str = ""
    avant: dict | None = None  # valeurs lues en base à l'aperçu : rien n'est écrasé en silence
    statut: str = NOUVELLE

    @property
    def reference(self) -> str:
        return f"{FEUILLE_EXECUTION}!A{self.ligne}"

    @property
    def financeur_libelle(self) -> str:
        return Financeur(self.financeur).label

    @property
    def description(self) -> str:
        return f"action {self.action}, {self.annee}, {self.financeur_libelle}"

    def en_session(self) -> dict:
        return asdict(self) | {"engage": str(self.engage), "realise": str(self.realise)}

    @classmethod
    def depuis_session(cls, donnees: dict) -> "LigneExecution":
        return cls(**(donnees | {"engage": Decimal(donnees["engage"]), "realise": Decimal(donnees["realise"])}))


@dataclass
class LigneIndicateur:
    ligne: int
    indicateur: int
    annee: int
    valeur: Decimal | None
    commentaire: str = ""
    action: str = ""  # numéro de l'action, pour l'aperçu
    libelle: str = ""
    avant: dict | None = None
    statut: str = NOUVELLE

    @property
    def reference(self) -> str:
        return f"{FEUILLE_INDICATEURS}!A{self.ligne}"

    @property
    def description(self) -> str:
        return f"indicateur n°{self.indicateur}, {self.annee}"

    def en_session(self) -> dict:
        return asdict(self) | {"valeur": None if self.valeur is None else str(self.valeur)}

    @classmethod
    def depuis_session(cls, donnees: dict) -> "LigneIndicateur":
        valeur = donnees["valeur"]
        return cls(**(donnees | {"valeur": None if valeur is None else Decimal(valeur)}))


LIGNES = {TypeImport.EXECUTION: LigneExecution, TypeImport.INDICATEURS: LigneIndicateur}


@dataclass
class Analyse:
    """Ce que le fichier écrirait, et tout ce qui l'en empêche. Rien n'est écrit à ce stade."""

    type_import: str
    empreinte: str
    nom: str = ""
    lignes: list = field(default_factory=list)
    erreurs: list[Erreur] = field(default_factory=list)
    versions: dict[str, int] = field(default_factory=dict)  # année → version du SuiviAnnuel lue
    vides: int = 0  # lignes sans rien à écrire, ignorées

    @property
    def a_ecrire(self) -> list:
        return [ligne for ligne in self.lignes if ligne.statut != INCHANGEE]

    @property
    def nb_inchangees(self) -> int:
        return sum(1 for ligne in self.lignes if ligne.statut == INCHANGEE)

    @property
    def type_libelle(self) -> str:
        return TypeImport(self.type_import).label

    @property
    def est_execution(self) -> bool:
        return self.type_import == TypeImport.EXECUTION

    def en_session(self, contrat) -> dict:
        """Ce que la confirmation relira : sérialisable en JSON (montants en chaînes)."""
        return {
            "contrat": contrat.pk,
            "type": self.type_import,
            "empreinte": self.empreinte,
            "nom": self.nom,
            "lignes": [ligne.en_session() for ligne in self.a_ecrire],
            "versions": dict(self.versions),
        }

    @classmethod
    def depuis_session(cls, donnees: dict) -> "Analyse":
        type_import = donnees["type"]
        return cls(
            type_import=type_import,
            empreinte=donnees["empreinte"],
            nom=donnees.get("nom", ""),
            lignes=[LIGNES[type_import].depuis_session(ligne) for ligne in donnees["lignes"]],
            versions={str(annee): int(version) for annee, version in donnees["versions"].items()},
        )


# --- Modèle à remplir -------------------------------------------------------------------------------------------


def _ordre_financeur(financeur: str) -> int:
    return list(Financeur.values).index(financeur)


def classeur_modele(contrat) -> Workbook:
    """Le classeur à remplir : une ligne par ligne budgétaire en vigueur (et par exécution déjà saisie), une ligne
    par indicateur et par année, pré-remplies des valeurs en base. Cinq requêtes, quelle que soit la taille."""
    classeur = Workbook()
    _feuille_modele_execution(classeur.active, contrat)
    _feuille_modele_indicateurs(classeur.create_sheet(FEUILLE_INDICATEURS), contrat)
    return classeur


def _feuille_modele_execution(feuille, contrat) -> None:
    feuille.title = FEUILLE_EXECUTION
    ligne = feuille_preparer(
        feuille,
        titre="Import de l'exécution budgétaire",
        contrat=contrat,
        entetes=COLONNES_EXECUTION,
        largeurs=[16, 8, 20, 16, 16, 60],
    )
    ecrire_texte(
        feuille,
        4,
        1,
        "Montants en euros, nombres positifs. Une ligne sans engagé, réalisé ni justification est ignorée ; "
        "ne modifiez ni les en-têtes ni les noms de feuilles, n'utilisez pas de formules.",
    )
    en_vigueur = lignes_en_vigueur(contrat)
    executions = {
        (e.action_id, e.annee, e.financeur): e for e in Execution.objects.du_contrat(contrat).select_related("action")
    }
    actions = {
        cle[0]: (en_vigueur.get(cle) or executions.get(cle)).action for cle in set(en_vigueur) | set(executions)
    }
    cles = sorted(
        set(en_vigueur) | set(executions),
        key=lambda c: (actions[c[0]].ordre, actions[c[0]].numero, c[1], _ordre_financeur(c[2])),
    )
    for action_id, annee, financeur in cles:
        execution = executions.get((action_id, annee, financeur))
        ecrire_texte(feuille, ligne, 1, actions[action_id].numero)
        feuille.cell(row=ligne, column=2, value=annee)
        ecrire_texte(feuille, ligne, 3, Financeur(financeur).label)
        if execution is not None:
            feuille.cell(row=ligne, column=4, value=execution.engage)
            feuille.cell(row=ligne, column=5, value=execution.realise)
            ecrire_texte(feuille, ligne, 6, execution.justification)
        for colonne in (4, 5):
            feuille.cell(row=ligne, column=colonne).number_format = FORMAT_EUROS
        ligne += 1
    fin = PREMIERE_LIGNE + LIGNES_MAX - 1
    financeurs = DataValidation(
        type="list",
        formula1='"' + ",".join(Financeur.labels) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Financeur",
        error=f"Choisissez {FINANCEURS_ATTENDUS}.",
    )
    financeurs.add(f"C{PREMIERE_LIGNE}:C{fin}")
    montants = DataValidation(
        type="decimal",
        operator="between",
        formula1="0",
        formula2=str(MONTANT_MAX),
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Montant",
        error="Saisissez un montant positif en euros.",
    )
    montants.add(f"D{PREMIERE_LIGNE}:E{fin}")
    annees = _validation_annees(contrat)
    annees.add(f"B{PREMIERE_LIGNE}:B{fin}")
    for validation in (financeurs, montants, annees):
        feuille.add_data_validation(validation)


def _validation_annees(contrat) -> DataValidation:
    return DataValidation(
        type="whole",
        operator="between",
        formula1=str(contrat.annee_debut),
        formula2=str(contrat.annee_fin),
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Année",
        error=f"Saisissez une année de la période du contrat ({contrat.periode}).",
    )


def _feuille_modele_indicateurs(feuille, contrat) -> None:
    ligne = feuille_preparer(
        feuille,
        titre="Import des valeurs des indicateurs",
        contrat=contrat,
        entetes=COLONNES_INDICATEURS,
        largeurs=[12, 10, 60, 8, 14, 60],
    )
    suivis = {s.annee: s for s in SuiviAnnuel.objects.filter(contrat=contrat)}
    verrouillees = [f"{a} ({s.get_statut_display().lower()})" for a, s in sorted(suivis.items()) if not s.modifiable]
    consigne = (
        "Seul l'identifiant compte : les colonnes Action et Indicateur sont indicatives. Une ligne sans valeur ni "
        "commentaire est ignorée ; pas de formules."
    )
    if verrouillees:
        consigne += f" Années non modifiables : {', '.join(verrouillees)}."
    ecrire_texte(feuille, 4, 1, consigne)
    realisations = {
        (r.indicateur_id, r.annee): r for r in Realisation.objects.filter(indicateur__action__contrat=contrat)
    }
    indicateurs = (
        Indicateur.objects.filter(action__contrat=contrat)
        .select_related("action")
        .order_by("action__ordre", "action__numero", "ordre", "pk")
    )
    for indicateur in indicateurs:
        for annee in contrat.annees:
            realisation = realisations.get((indicateur.pk, annee))
            feuille.cell(row=ligne, column=1, value=indicateur.pk)
            ecrire_texte(feuille, ligne, 2, indicateur.action.numero)
            ecrire_texte(feuille, ligne, 3, indicateur.libelle)
            feuille.cell(row=ligne, column=4, value=annee)
            if realisation is not None:
                if realisation.valeur is not None:
                    feuille.cell(row=ligne, column=5, value=realisation.valeur)
                ecrire_texte(feuille, ligne, 6, realisation.commentaire)
            feuille.cell(row=ligne, column=5).number_format = FORMAT_NOMBRE
            ligne += 1
    annees = _validation_annees(contrat)
    annees.add(f"D{PREMIERE_LIGNE}:D{PREMIERE_LIGNE + LIGNES_MAX - 1}")
    feuille.add_data_validation(annees)


# --- Contrôle du fichier, avant toute lecture des données -------------------------------------------------------


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
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, OSError, NotImplementedError) as erreur:
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


# --- Lecture des cellules ----------------------------------------------------------------------------------------

_REFUSEE = object()  # cellule déjà signalée (formule, erreur Excel) : ne pas la contrôler une seconde fois


def _vide(valeur) -> bool:
    return valeur is None or (isinstance(valeur, str) and not valeur.strip())


def _normaliser(texte: str) -> str:
    decompose = unicodedata.normalize("NFKD", texte)
    sans_accents = "".join(c for c in decompose if not unicodedata.combining(c))
    return " ".join(sans_accents.casefold().split())


def _afficher(valeur) -> str:
    if isinstance(valeur, bool):
        return "VRAI" if valeur else "FAUX"
    if isinstance(valeur, date):
        return f"{valeur:%d/%m/%Y}"
    if isinstance(valeur, int | float | Decimal):
        try:
            return nombre(Decimal(repr(valeur)) if isinstance(valeur, float) else Decimal(valeur))
        except ArithmeticError:
            return str(valeur)
    return str(valeur).strip()


def _est_date(valeur) -> bool:
    return isinstance(valeur, date | time | timedelta)


def classeur_lire(donnees: bytes, *, contrat, type_import: str) -> tuple[list, list[Erreur]]:
    """Les lignes de données de la feuille (numéro de ligne, valeurs brutes) et les erreurs de forme du classeur.
    Aucune formule n'est évaluée : openpyxl en lecture seule, sans les valeurs calculées."""
    try:
        classeur = load_workbook(BytesIO(donnees), read_only=True, data_only=False, keep_links=False)
    except Exception as erreur:  # openpyxl lève des exceptions de toutes sortes sur un fichier non conforme
        logger.info("Import Excel : classeur illisible (%r)", erreur)
        raise FichierRefuse(ILLISIBLE) from erreur
    try:
        nom, colonnes = FEUILLES[type_import], COLONNES[type_import]
        feuille = _feuille_trouver(classeur, nom)
        lignes, erreurs = _feuille_lire(feuille, contrat=contrat, nom=nom, colonnes=colonnes)
        erreurs += _formules_hors_colonnes(donnees, feuille, nom=nom, nb_colonnes=len(colonnes))
        return lignes, erreurs
    except FichierRefuse:
        raise
    except Exception as erreur:  # XML de feuille malformé, styles incohérents…
        logger.info("Import Excel : feuille illisible (%r)", erreur)
        raise FichierRefuse(ILLISIBLE) from erreur
    finally:
        classeur.close()


def _feuille_trouver(classeur, nom: str):
    trouvees = [f for f in classeur.sheetnames if _normaliser(f) == _normaliser(nom)]
    if not trouvees:
        presentes = ", ".join(f"« {f} »" for f in classeur.sheetnames) or "aucune"
        raise FichierRefuse(
            Erreur(
                f"Feuille « {nom} » introuvable (feuilles du classeur : {presentes}) : partez du modèle à "
                "télécharger, sans renommer ses feuilles.",
                nom,
            )
        )
    return classeur[trouvees[0]]


def _feuille_lire(feuille, *, contrat, nom: str, colonnes: list[str]) -> tuple[list, list[Erreur]]:
    erreurs: list[Erreur] = []
    lignes = []
    entetes_lues = False
    for numero, cellules in enumerate(
        feuille.iter_rows(min_row=1, max_row=EXCEL_LIGNES_MAX, max_col=len(colonnes)), start=1
    ):
        valeurs = []
        for colonne, cellule in enumerate(cellules, start=1):
            valeur = cellule.value
            cellule_ref = f"{get_column_letter(colonne)}{numero}"
            if cellule.data_type == "f" or (isinstance(valeur, str) and valeur.lstrip().startswith("=")):
                erreurs.append(
                    Erreur(f"Formule refusée en {nom}!{cellule_ref} : saisissez une valeur.", nom, cellule_ref)
                )
                valeur = _REFUSEE
            elif cellule.data_type == "e":
                erreurs.append(Erreur(f"Valeur d'erreur Excel « {valeur} » : saisissez une valeur.", nom, cellule_ref))
                valeur = _REFUSEE
            valeurs.append(valeur)
        valeurs += [None] * (len(colonnes) - len(valeurs))
        if numero == 2:
            _titre_verifier(valeurs[0], contrat=contrat, feuille=nom)
        elif numero == LIGNE_ENTETES:
            erreurs_entetes = _entetes_verifier(valeurs, colonnes=colonnes, feuille=nom)
            entetes_lues = True
            if erreurs_entetes:
                return [], erreurs + erreurs_entetes  # colonnes décalées : chaque donnée serait une fausse erreur
        elif numero > LIGNE_ENTETES and not all(_vide(v) for v in valeurs):
            if len(lignes) >= LIGNES_MAX:
                erreurs.append(
                    Erreur(
                        f"Trop de lignes : {nombre(LIGNES_MAX)} lignes de données au maximum (lignes "
                        f"{PREMIERE_LIGNE} à {PREMIERE_LIGNE + LIGNES_MAX - 1}) ; découpez le fichier.",
                        nom,
                        f"A{numero}",
                    )
                )
                break
            lignes.append((numero, valeurs))
    if not entetes_lues:
        erreurs.append(
            Erreur(
                f"En-têtes absents en ligne {LIGNE_ENTETES} de la feuille « {nom} » : partez du modèle à télécharger.",
                nom,
                f"A{LIGNE_ENTETES}",
            )
        )
    elif not lignes and not erreurs:
        erreurs.append(
            Erreur(
                f"Aucune ligne à importer : la feuille « {nom} » ne contient aucune donnée sous les en-têtes "
                f"(ligne {PREMIERE_LIGNE} et suivantes).",
                nom,
            )
        )
    return lignes, erreurs


_DONNEES_XML = re.compile(rb"<(?:\w+:)?sheetData\b.*?</(?:\w+:)?sheetData>", re.DOTALL)
_CELLULE_XML = re.compile(rb'<(?:\w+:)?c\b[^>]*?\sr="([A-Z]{1,3})([0-9]{1,7})"')
_FORMULE_XML = re.compile(rb"<(?:\w+:)?f\b")


def _formules_hors_colonnes(donnees: bytes, feuille, *, nom: str, nb_colonnes: int) -> list[Erreur]:
    """Les formules au-delà des colonnes importées, repérées dans le XML de la feuille (balises <f> des cellules,
    en temps linéaire) : openpyxl ne les verrait qu'en complétant chaque ligne jusqu'à sa dernière cellule, soit
    des secondes de calcul pour quelques Ko d'un fichier hostile. Les colonnes importées sont contrôlées cellule
    par cellule par _feuille_lire."""
    chemin = getattr(feuille, "_worksheet_path", None)  # openpyxl en lecture seule : la partie XML de la feuille
    if chemin is None:
        return []
    with zipfile.ZipFile(BytesIO(donnees)) as archive:
        xml = archive.read(chemin)
    donnees_feuille = _DONNEES_XML.search(xml)  # pas les extensions (<extLst>), où <xm:f> n'est pas une formule
    if donnees_feuille is None:
        return []
    cellules = list(_CELLULE_XML.finditer(xml, donnees_feuille.start(), donnees_feuille.end()))
    debuts = [cellule.start() for cellule in cellules]
    erreurs, vues = [], set()
    for formule in _FORMULE_XML.finditer(xml, donnees_feuille.start(), donnees_feuille.end()):
        rang = bisect_right(debuts, formule.start()) - 1
        if rang < 0:
            continue
        colonne, ligne = (g.decode() for g in cellules[rang].groups())
        if column_index_from_string(colonne) > nb_colonnes and (colonne, ligne) not in vues:
            vues.add((colonne, ligne))
            cellule_ref = f"{colonne}{ligne}"
            erreurs.append(Erreur(f"Formule refusée en {nom}!{cellule_ref} : saisissez une valeur.", nom, cellule_ref))
    return erreurs


def _titre_verifier(valeur, *, contrat, feuille: str) -> None:
    """Le modèle porte le titre du contrat en A2 : un classeur préparé pour un autre contrat est refusé."""
    if isinstance(valeur, str) and valeur.strip() and _normaliser(valeur) != _normaliser(contrat.titre):
        raise FichierRefuse(
            Erreur(
                f"Ce classeur a été préparé pour « {valeur.strip()} » : il ne peut pas être importé dans "
                f"« {contrat.titre} ». Téléchargez le modèle de ce contrat.",
                feuille,
                "A2",
            )
        )


def _entetes_verifier(valeurs: list, *, colonnes: list[str], feuille: str) -> list[Erreur]:
    if all(_vide(v) for v in valeurs):
        return [
            Erreur(
                f"En-têtes absents en ligne {LIGNE_ENTETES} de la feuille « {feuille} » : partez du modèle à "
                "télécharger.",
                feuille,
                f"A{LIGNE_ENTETES}",
            )
        ]
    erreurs = []
    for colonne, (valeur, attendu) in enumerate(zip(valeurs, colonnes, strict=True), start=1):
        if valeur is _REFUSEE:
            continue
        lu = _afficher(valeur) if not _vide(valeur) else ""
        if _normaliser(lu) != _normaliser(attendu):
            erreurs.append(
                Erreur(
                    f"En-tête inattendu en {feuille}!{get_column_letter(colonne)}{LIGNE_ENTETES} : "
                    f"« {lu} » au lieu de « {attendu} ». Ne renommez ni ne déplacez les colonnes du modèle.",
                    feuille,
                    f"{get_column_letter(colonne)}{LIGNE_ENTETES}",
                )
            )
    return erreurs


# Conversions d'une cellule : la valeur, ou ValidationError avec un message en français.


def _numero_action(valeur) -> str:
    if _vide(valeur):
        raise ValidationError("Numéro d'action manquant.")
    if isinstance(valeur, bool) or _est_date(valeur):
        raise ValidationError(f"« {_afficher(valeur)} » n'est pas un numéro d'action (ex. 3 ou 1.2).")
    if isinstance(valeur, float):
        return str(int(valeur)) if valeur.is_integer() else repr(valeur)
    return str(valeur).strip()


def _annee(valeur, *, contrat) -> int:
    exemple = f"saisissez l'année sur quatre chiffres, par exemple {contrat.annee_debut}"
    if _vide(valeur):
        raise ValidationError(f"Année manquante : {exemple}.")
    if _est_date(valeur):
        raise ValidationError(f"Une date ({_afficher(valeur)}) n'est pas une année : {exemple}.")
    if isinstance(valeur, float) and valeur.is_integer():
        valeur = int(valeur)
    if isinstance(valeur, str) and re.fullmatch(r"\d{4}", valeur.strip(), re.ASCII):
        valeur = int(valeur)
    if isinstance(valeur, bool) or not isinstance(valeur, int) or not 1000 <= valeur <= 9999:
        # Une année s'écrit sans séparateur de milliers : « 2025,5 », pas « 2 025,5 ».
        nombre_lu = isinstance(valeur, int | float) and not isinstance(valeur, bool)
        lu = str(valeur).replace(".", ",") if nombre_lu else _afficher(valeur)
        raise ValidationError(f"« {lu} » n'est pas une année : {exemple}.")
    if not contrat.contient_annee(valeur):
        raise ValidationError(f"L'année {valeur} est hors de la période du contrat ({contrat.periode}).")
    return valeur


def _financeur(valeur) -> str:
    if _vide(valeur):
        raise ValidationError(f"Financeur manquant : saisissez {FINANCEURS_ATTENDUS}.")
    if not isinstance(valeur, str):
        raise ValidationError(f"« {_afficher(valeur)} » n'est pas un financeur : saisissez {FINANCEURS_ATTENDUS}.")
    lu = _normaliser(valeur)
    for code, libelle in Financeur.choices:
        if lu in (_normaliser(code), _normaliser(libelle)):
            return code
    raise ValidationError(f"Financeur « {valeur.strip()} » inconnu : saisissez {FINANCEURS_ATTENDUS}.")


def _nombre(valeur, *, libelle: str, decimales: int, maximum: Decimal) -> Decimal | None:
    """Une cellule numérique, ou un texte à la française (« 12 500,50 »), lu par contrats.formats.lire_nombre."""
    if _vide(valeur):
        return None
    if isinstance(valeur, bool):
        raise ValidationError(f"« {_afficher(valeur)} » (vrai/faux) n'est pas un {libelle} : saisissez un nombre.")
    if _est_date(valeur):
        raise ValidationError(f"Une date ({_afficher(valeur)}) n'est pas un {libelle} : saisissez un nombre.")
    if isinstance(valeur, int | float | Decimal):
        decimal = Decimal(repr(valeur)) if isinstance(valeur, float) else Decimal(valeur)
        if not decimal.is_finite():
            raise ValidationError(f"« {valeur} » n'est pas un {libelle} valide : saisissez un nombre.")
        texte = format(decimal, "f")
    else:
        texte = str(valeur).strip().removesuffix("€").strip()
    try:
        return lire_nombre(texte, decimales=decimales, maximum=maximum, libelle=libelle)
    except ValidationError as erreur:
        if erreur.code == "decimales" and decimales == 0:
            raise ValidationError(
                f"Cet indicateur est un comptage : saisissez un nombre entier (« {_afficher(valeur)} » refusé)."
            ) from erreur
        raise


def _texte(valeur, *, trop_long: str) -> str:
    if _vide(valeur):
        return ""
    texte = (valeur if isinstance(valeur, str) else _afficher(valeur)).strip()
    if len(texte) > TEXTE_MAX:
        raise ValidationError(f"{trop_long} : {nombre(len(texte))} caractères, {nombre(TEXTE_MAX)} au maximum.")
    return texte


def _identifiant(valeur) -> int:
    consigne = "recopiez la colonne Identifiant du modèle"
    if _vide(valeur):
        raise ValidationError(f"Identifiant d'indicateur manquant : {consigne}.")
    if isinstance(valeur, float) and valeur.is_integer():
        valeur = int(valeur)
    if isinstance(valeur, str) and re.fullmatch(r"\d{1,18}", valeur.strip(), re.ASCII):
        valeur = int(valeur)
    if isinstance(valeur, bool) or not isinstance(valeur, int) or valeur <= 0:
        raise ValidationError(f"« {_afficher(valeur)} » n'est pas un identifiant d'indicateur : {consigne}.")
    return valeur


class _Ligne:
    """Collecte toutes les erreurs d'une ligne, cellule par cellule."""

    def __init__(self, *, feuille: str, numero: int, erreurs: list[Erreur]):
        self.feuille, self.numero, self.erreurs, self.valide = feuille, numero, erreurs, True

    def erreur(self, colonne: str, message: str) -> None:
        self.erreurs.append(Erreur(message, self.feuille, f"{colonne}{self.numero}"))
        self.valide = False

    def lire(self, colonne: str, valeur, conversion, **options):
        if valeur is _REFUSEE:
            self.valide = False
            return None
        try:
            return conversion(valeur, **options)
        except ValidationError as erreur:
            self.erreur(colonne, erreur.messages[0])
            return None


# --- État de la base, lu une fois -------------------------------------------------------------------------------


@dataclass
class EtatExecution:
    actions: dict[str, Action]
    executions: dict[tuple, Execution]


def _etat_execution(contrat, *, verrouiller: bool = False) -> EtatExecution:
    """Deux requêtes ; chaque objet reçoit son contrat pour que clean() n'en fasse aucune de plus."""
    actions = {}
    for action in Action.objects.filter(contrat=contrat):
        action.contrat = contrat
        actions[action.numero] = action
    par_pk = {action.pk: action for action in actions.values()}
    executions = Execution.objects.du_contrat(contrat)
    if verrouiller:
        executions = executions.select_for_update(of=("self",))
    par_cle = {}
    for execution in executions:
        execution.action = par_pk[execution.action_id]
        par_cle[(execution.action_id, execution.annee, execution.financeur)] = execution
    return EtatExecution(actions=actions, executions=par_cle)


@dataclass
class EtatIndicateurs:
    indicateurs: dict[int, Indicateur]
    realisations: dict[tuple, Realisation]
    suivis: dict[int, SuiviAnnuel]


def _etat_indicateurs(contrat) -> EtatIndicateurs:
    """Trois requêtes, quelle que soit la taille du fichier."""
    indicateurs = {}
    for indicateur in Indicateur.objects.filter(action__contrat=contrat).select_related("action"):
        indicateur.action.contrat = contrat
        indicateurs[indicateur.pk] = indicateur
    realisations = {
        (r.indicateur_id, r.annee): r for r in Realisation.objects.filter(indicateur__action__contrat=contrat)
    }
    suivis = {s.annee: s for s in SuiviAnnuel.objects.du_contrat(contrat).select_related("modifie_par")}
    return EtatIndicateurs(indicateurs=indicateurs, realisations=realisations, suivis=suivis)


def _avant_execution(execution: Execution | None) -> dict | None:
    if execution is None:
        return None
    return {
        "engage": str(execution.engage),
        "realise": str(execution.realise),
        "justification": execution.justification,
    }


def _avant_realisation(realisation: Realisation | None) -> dict | None:
    if realisation is None:
        return None
    valeur = None if realisation.valeur is None else str(realisation.valeur)
    return {"valeur": valeur, "commentaire": realisation.commentaire}


def _verrou_message(suivi: SuiviAnnuel) -> str:
    return (
        f"L'année {suivi.annee} a le statut « {suivi.get_statut_display()} » : elle n'est plus modifiable, "
        "ses valeurs ne peuvent pas être importées."
    )


# --- Validation des lignes contre la base -----------------------------------------------------------------------


def _valider_execution(contrat, lignes_brutes: list, etat: EtatExecution, analyse: Analyse) -> None:
    vues: dict[tuple, int] = {}
    for numero, (action, annee, financeur, engage, realise, justification) in lignes_brutes:
        if all(_vide(v) for v in (engage, realise, justification)):
            analyse.vides += 1  # ligne du modèle laissée en blanc : rien à écrire
            continue
        ligne = _Ligne(feuille=FEUILLE_EXECUTION, numero=numero, erreurs=analyse.erreurs)
        numero_action = ligne.lire("A", action, _numero_action)
        if numero_action is not None and numero_action not in etat.actions:
            ligne.erreur("A", f"L'action « {numero_action} » n'existe pas dans ce contrat ({contrat.titre}).")
        annee = ligne.lire("B", annee, _annee, contrat=contrat)
        financeur = ligne.lire("C", financeur, _financeur)
        montants = {}
        for colonne, valeur, quoi, manquant in (
            ("D", engage, "engagé", "saisissez 0 si rien n'est engagé"),
            ("E", realise, "réalisé", "saisissez 0 si rien n'est payé"),
        ):
            montant = ligne.lire(colonne, valeur, _nombre, libelle="montant", decimales=2, maximum=MONTANT_MAX)
            if montant is None and valeur is not _REFUSEE and _vide(valeur):
                ligne.erreur(colonne, f"Montant {quoi} manquant : {manquant}.")
            montants[colonne] = montant
        justification = ligne.lire("F", justification, _texte, trop_long="Justification trop longue")
        if numero_action is not None and annee is not None and financeur is not None:
            cle = (numero_action, annee, financeur)
            if cle in vues:
                ligne.erreur(
                    "A",
                    f"Ligne en double : l'action {numero_action}, {annee}, {Financeur(financeur).label} figure déjà "
                    f"ligne {vues[cle]}.",
                )
            else:
                vues[cle] = numero
        if not ligne.valide:
            continue
        action = etat.actions[numero_action]
        existante = etat.executions.get((action.pk, annee, financeur))
        resultat = LigneExecution(
            ligne=numero,
            action=numero_action,
            annee=annee,
            financeur=financeur,
            engage=montants["D"],
            realise=montants["E"],
            justification=justification,
            avant=_avant_execution(existante),
        )
        if existante is None:
            resultat.statut = NOUVELLE
        elif (existante.engage, existante.realise, existante.justification) == (
            resultat.engage,
            resultat.realise,
            resultat.justification,
        ):
            resultat.statut = INCHANGEE
        else:
            resultat.statut = MODIFIEE
        analyse.lignes.append(resultat)


def _valider_indicateurs(contrat, lignes_brutes: list, etat: EtatIndicateurs, analyse: Analyse) -> None:
    vues: dict[tuple, int] = {}
    for numero, (identifiant, _action, _libelle, annee, valeur, commentaire) in lignes_brutes:
        if _vide(valeur) and _vide(commentaire):
            analyse.vides += 1  # l'import n'efface rien : une ligne sans valeur ni commentaire est ignorée
            continue
        ligne = _Ligne(feuille=FEUILLE_INDICATEURS, numero=numero, erreurs=analyse.erreurs)
        pk = ligne.lire("A", identifiant, _identifiant)
        indicateur = etat.indicateurs.get(pk) if pk is not None else None
        if pk is not None and indicateur is None:
            ligne.erreur(
                "A", f"L'indicateur n°{pk} n'existe pas dans ce contrat : partez du modèle téléchargé pour ce contrat."
            )
        annee = ligne.lire("D", annee, _annee, contrat=contrat)
        valeur = ligne.lire(
            "E",
            valeur,
            _nombre,
            libelle="nombre",
            decimales=indicateur.decimales if indicateur else 2,
            maximum=VALEUR_MAX,
        )
        commentaire = ligne.lire("F", commentaire, _texte, trop_long="Commentaire trop long")
        if pk is not None and annee is not None:
            if (pk, annee) in vues:
                ligne.erreur(
                    "A", f"Ligne en double : l'indicateur n°{pk} pour {annee} figure déjà ligne {vues[(pk, annee)]}."
                )
            else:
                vues[(pk, annee)] = numero
        if not ligne.valide:
            continue
        existante = etat.realisations.get((pk, annee))
        resultat = LigneIndicateur(
            ligne=numero,
            indicateur=pk,
            annee=annee,
            valeur=valeur,
            commentaire=commentaire,
            action=indicateur.action.numero,
            libelle=indicateur.libelle,
            avant=_avant_realisation(existante),
        )
        if existante is None:
            resultat.statut = NOUVELLE
        elif (existante.valeur, existante.commentaire) == (valeur, commentaire):
            resultat.statut = INCHANGEE
        else:
            resultat.statut = MODIFIEE
        suivi = etat.suivis.get(annee)
        if resultat.statut != INCHANGEE and suivi is not None and not suivi.modifiable:
            ligne.erreur("D", _verrou_message(suivi))
            continue
        if resultat.statut != INCHANGEE:
            analyse.versions[str(annee)] = suivi.version if suivi else 1
        analyse.lignes.append(resultat)


def classeur_analyser(*, contrat, type_import: str, donnees: bytes, nom: str = "") -> Analyse:
    """Contrôle, lit et valide un classeur sans rien écrire. Nombre de requêtes fixe."""
    analyse = Analyse(type_import=type_import, empreinte=hashlib.sha256(donnees).hexdigest(), nom=nom)
    try:
        fichier_verifier(donnees)
        lignes_brutes, erreurs = classeur_lire(donnees, contrat=contrat, type_import=type_import)
    except FichierRefuse as refus:
        analyse.erreurs = refus.erreurs
        return analyse
    analyse.erreurs = erreurs
    if type_import == TypeImport.EXECUTION:
        _valider_execution(contrat, lignes_brutes, _etat_execution(contrat), analyse)
    else:
        _valider_indicateurs(contrat, lignes_brutes, _etat_indicateurs(contrat), analyse)
    if analyse.erreurs:
        analyse.versions = {}
        analyse.erreurs.sort(key=_ordre_erreur)
    return analyse


def _ordre_erreur(erreur: Erreur) -> tuple:
    """Dans l'ordre du fichier : ligne puis colonne ; les erreurs du fichier entier d'abord."""
    position = re.fullmatch(r"([A-Z]+)(\d+)", erreur.cellule)
    if position is None:
        return (0, 0, "")
    return (int(position.group(2)), len(position.group(1)), position.group(1))


def fichier_lire(fichier) -> bytes:
    """Au plus TAILLE_MAX + 1 octets en mémoire : assez pour savoir que le fichier est trop gros."""
    if hasattr(fichier, "seek"):
        fichier.seek(0)
    return fichier.read(TAILLE_MAX + 1)


# --- Revérification et écriture (confirmation) ------------------------------------------------------------------


def _reverifier_execution(contrat, lignes: list[LigneExecution], etat: EtatExecution) -> list[str]:
    erreurs = []
    for ligne in lignes:
        action = etat.actions.get(ligne.action)
        if action is None:
            erreurs.append(f"{ligne.reference} : l'action « {ligne.action} » n'existe plus dans ce contrat.")
            continue
        if not contrat.contient_annee(ligne.annee):
            erreurs.append(
                f"{ligne.reference} : l'année {ligne.annee} est hors de la période du contrat ({contrat.periode})."
            )
            continue
        if ligne.financeur not in Financeur.values or not (
            0 <= ligne.engage <= MONTANT_MAX and 0 <= ligne.realise <= MONTANT_MAX
        ):
            erreurs.append(f"{ligne.reference} : ligne invalide, recommencez l'import.")
            continue
        actuelle = etat.executions.get((action.pk, ligne.annee, ligne.financeur))
        if _avant_execution(actuelle) != ligne.avant:
            erreurs.append(
                f"{ligne.reference} : l'exécution ({ligne.description}) a été modifiée depuis l'aperçu. "
                "Recommencez l'import pour partir des valeurs actuelles."
            )
    return erreurs


@transaction.atomic
def execution_importer(*, user, contrat, lignes: list[LigneExecution]) -> int:
    """Crée ou met à jour l'exécution de chaque ligne (action × année × financeur), toutes ou aucune.

    Les lignes sont revérifiées contre la base : une valeur modifiée depuis l'aperçu n'est jamais écrasée."""
    etat = _etat_execution(contrat, verrouiller=True)
    erreurs = _reverifier_execution(contrat, lignes, etat)
    if erreurs:
        raise ValidationError(erreurs)
    ecrites = 0
    for ligne in lignes:
        action = etat.actions[ligne.action]
        execution = etat.executions.get((action.pk, ligne.annee, ligne.financeur))
        if execution is None:
            execution = Execution(action=action, annee=ligne.annee, financeur=ligne.financeur)
        elif (execution.engage, execution.realise, execution.justification) == (
            ligne.engage,
            ligne.realise,
            ligne.justification,
        ):
            continue
        execution.engage = ligne.engage
        execution.realise = ligne.realise
        execution.justification = ligne.justification
        execution._history_user = user
        execution._change_reason = MOTIF
        execution.full_clean()
        execution.save()
        etat.executions[(action.pk, ligne.annee, ligne.financeur)] = execution
        ecrites += 1
    return ecrites


def _reverifier_indicateurs(
    contrat, lignes: list[LigneIndicateur], versions: dict, etat: EtatIndicateurs
) -> list[str]:
    erreurs = []
    annees_refusees = set()
    for annee in sorted({ligne.annee for ligne in lignes}):
        suivi = etat.suivis.get(annee)
        if suivi is not None and not suivi.modifiable:
            erreurs.append(_verrou_message(suivi))
            annees_refusees.add(annee)
        elif versions.get(str(annee)) != (suivi.version if suivi else 1):
            auteur = suivi.modifie_par or suivi.statut_par if suivi else None
            erreurs.append(
                f"Les valeurs de {annee} ont été modifiées depuis l'aperçu{f' par {auteur}' if auteur else ''} : "
                "recommencez l'import pour partir des valeurs actuelles."
            )
            annees_refusees.add(annee)
    for ligne in lignes:
        if ligne.annee in annees_refusees:
            continue
        if ligne.indicateur not in etat.indicateurs:
            erreurs.append(f"{ligne.reference} : l'indicateur n°{ligne.indicateur} n'existe plus dans ce contrat.")
        elif not contrat.contient_annee(ligne.annee):
            erreurs.append(
                f"{ligne.reference} : l'année {ligne.annee} est hors de la période du contrat ({contrat.periode})."
            )
        elif _avant_realisation(etat.realisations.get((ligne.indicateur, ligne.annee))) != ligne.avant:
            erreurs.append(
                f"{ligne.reference} : la valeur ({ligne.description}) a été modifiée depuis l'aperçu. "
                "Recommencez l'import pour partir des valeurs actuelles."
            )
    return erreurs


@transaction.atomic
def indicateurs_importer(*, user, contrat, lignes: list[LigneIndicateur], versions: dict[str, int]) -> int:
    """Écrit les valeurs par année avec indicateurs.services.saisie_enregistrer (historique, verrou optimiste sur
    la version lue à l'aperçu), toutes les années dans une seule transaction : tout ou rien."""
    etat = _etat_indicateurs(contrat)
    erreurs = _reverifier_indicateurs(contrat, lignes, versions, etat)
    if erreurs:
        raise ValidationError(erreurs)
    par_annee = defaultdict(dict)
    for ligne in lignes:
        par_annee[ligne.annee][etat.indicateurs[ligne.indicateur]] = Valeur(ligne.valeur, ligne.commentaire)
    ecrites = 0
    for annee, valeurs in sorted(par_annee.items()):
        suivi = etat.suivis.get(annee) or suivi_obtenir(contrat=contrat, annee=annee)
        ecrites += saisie_enregistrer(user=user, suivi=suivi, version=versions[str(annee)], valeurs=valeurs, recits={})
    return ecrites


def analyse_importer(*, user, contrat, analyse: Analyse) -> int:
    if analyse.type_import == TypeImport.EXECUTION:
        return execution_importer(user=user, contrat=contrat, lignes=analyse.a_ecrire)
    return indicateurs_importer(user=user, contrat=contrat, lignes=analyse.a_ecrire, versions=analyse.versions)
