"""Le résultat d'une analyse (lignes à écrire, erreurs, versions lues) et sa mise en session entre l'aperçu et la
confirmation : sérialisable en JSON, montants en chaînes."""

from dataclasses import asdict, dataclass, field
from decimal import Decimal

from finances.enums import Financeur, TypeImport
from finances.imports.fichier import Erreur
from finances.imports.modele import FEUILLE_EXECUTION, FEUILLE_INDICATEURS

NOUVELLE, MODIFIEE, INCHANGEE = "nouvelle", "modifiée", "inchangée"


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
