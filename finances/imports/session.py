"""Le résultat d'une analyse (lignes à écrire, lignes non importées faute d'année ouverte, erreurs, versions lues) et
sa mise en session entre l'aperçu et la confirmation : sérialisable en JSON, montants en chaînes. Seules les lignes à
écrire vont en session : la confirmation n'écrit jamais une ligne que l'aperçu a dite non importée."""

from dataclasses import asdict, dataclass, field
from decimal import Decimal

from finances.enums import Financeur, TypeImport
from finances.imports.fichier import Erreur
from finances.imports.modele import FEUILLE_EXECUTION, FEUILLE_INDICATEURS

NOUVELLE, MODIFIEE, INCHANGEE = "nouvelle", "modifiée", "inchangée"
NON_IMPORTEE = "non importée"  # elle changerait une valeur d'une année fermée (etat.fermees)


class Changement:
    """Ce que l'aperçu dit d'une ligne : « nouvelle », « modifiée », « inchangée », ou « non importée : année validée
    le 12/03/2025 par Claire Démo, DDETS de la Côte-d'Or »."""

    statut: str
    motif: str

    @property
    def changement(self) -> str:
        return f"{self.statut} : {self.motif}" if self.motif else self.statut


@dataclass
class LigneExecution(Changement):
    ligne: int
    action: str
    annee: int
    financeur: str
    engage: Decimal
    realise: Decimal
    justification: str = ""
    avant: dict | None = None  # valeurs lues en base à l'aperçu : rien n'est écrasé en silence
    statut: str = NOUVELLE
    motif: str = ""  # pourquoi la ligne n'est pas importée (année fermée)

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
class LigneIndicateur(Changement):
    ligne: int
    indicateur: int
    annee: int
    valeur: Decimal | None
    commentaire: str = ""
    action: str = ""  # numéro de l'action, pour l'aperçu
    libelle: str = ""
    avant: dict | None = None
    statut: str = NOUVELLE
    motif: str = ""

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
    fermees: dict[int, str] = field(default_factory=dict)  # année fermée du classeur → pourquoi (verrou_motif)

    @property
    def a_ecrire(self) -> list:
        return [ligne for ligne in self.lignes if ligne.statut not in (INCHANGEE, NON_IMPORTEE)]

    @property
    def non_importees(self) -> list:
        return [ligne for ligne in self.lignes if ligne.statut == NON_IMPORTEE]

    @property
    def annees_importees(self) -> list[int]:
        return sorted({ligne.annee for ligne in self.a_ecrire})

    @property
    def annees_non_importees(self) -> list[int]:
        return sorted({ligne.annee for ligne in self.non_importees})

    @property
    def annees_fermees(self) -> list[dict]:
        """Les années fermées du classeur, pour l'alerte de l'aperçu : l'année, pourquoi, ses lignes non importées."""
        non_importees = [ligne.annee for ligne in self.non_importees]
        return [
            {"annee": annee, "motif": motif, "non_importees": non_importees.count(annee)}
            for annee, motif in sorted(self.fermees.items())
        ]

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
