"""Le contrat en cours de création, gardé en session d'une étape à l'autre (parties, type et période, axes) : rien
n'est écrit en base avant la confirmation finale, qui crée tout ou rien (creation/services.py)."""

import datetime
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from contrats.enums import TypeContrat, TypeOrganisation
from contrats.models import Axe, Contrat
from finances.enums import Financeur
from finances.models import MontantAnnonce

CLE_SESSION = "creation_contrat"
# Le type de contrat dit le nombre d'axes : quatre avec une métropole (instruction DGCS/SD1B/2023/168), trois avec un
# département (instruction DGCS/SD1B/2023/169, l'emploi traité à part) ; les piliers viennent du référentiel.
TYPES_COLLECTIVITE = {
    TypeOrganisation.METROPOLE: "Métropole : quatre axes (instruction DGCS/SD1B/2023/168)",
    TypeOrganisation.DEPARTEMENT: "Département : trois axes, l'emploi traité à part (instruction DGCS/SD1B/2023/169)",
}
SOURCE_ANNONCE = "article financier, saisi à la création"


@dataclass
class AxeBrouillon:
    numero: int
    intitule: str
    pilier_numero: int | None = None
    pilier: str = ""
    sous_action_304: str = ""
    code_activite: str = ""
    etat: dict[str, str] = field(default_factory=dict)  # année → montant de l'État que l'article financier annonce


@dataclass
class Brouillon:
    # Parties : une organisation existante (identifiant) ou à créer (nom, type, département, région).
    etat_id: int | None = None
    etat_nouvelle: dict | None = None
    etat_representant: str = ""
    etat_qualite: str = ""
    collectivite_id: int | None = None
    collectivite_nouvelle: dict | None = None
    collectivite_representant: str = ""
    collectivite_qualite: str = ""
    # Type et période
    type_collectivite: str = ""
    titre: str = ""
    annee_debut: int | None = None
    annee_fin: int | None = None
    departement: str = ""
    date_signature: str = ""  # AAAA-MM-JJ
    lieu_signature: str = ""
    annees_provisoires: list[int] = field(default_factory=list)  # montant de l'État prévisionnel, fixé par avenant
    axes: list[AxeBrouillon] = field(default_factory=list)

    @classmethod
    def depuis_session(cls, session) -> "Brouillon":
        donnees = dict(session.get(CLE_SESSION) or {})
        axes = [AxeBrouillon(**axe) for axe in donnees.pop("axes", [])]
        return cls(**donnees, axes=axes)

    def en_session(self, session) -> None:
        session[CLE_SESSION] = asdict(self)

    @staticmethod
    def effacer(session) -> None:
        session.pop(CLE_SESSION, None)

    @property
    def vide(self) -> bool:
        return self == Brouillon()

    @property
    def parties_faites(self) -> bool:
        return bool((self.etat_id or self.etat_nouvelle) and (self.collectivite_id or self.collectivite_nouvelle))

    @property
    def contrat_fait(self) -> bool:
        return bool(self.parties_faites and self.titre and self.annee_debut and self.annee_fin)

    @property
    def axes_faits(self) -> bool:
        return self.contrat_fait and bool(self.axes)

    @property
    def annees(self) -> list[int]:
        return list(range(self.annee_debut, self.annee_fin + 1)) if self.contrat_fait else []

    @property
    def date_signature_lue(self) -> datetime.date | None:
        return datetime.date.fromisoformat(self.date_signature) if self.date_signature else None

    def contrat_provisoire(self) -> Contrat:
        """Le contrat tel qu'il sera créé, sans être enregistré : ses règles (période, cofinancement) s'appliquent
        au classeur avant toute écriture."""
        return Contrat(
            type=TypeContrat.CLS,
            titre=self.titre,
            annee_debut=self.annee_debut,
            annee_fin=self.annee_fin,
            departement=self.departement,
        )

    def axes_provisoires(self, contrat: Contrat) -> dict[int, Axe]:
        """Les axes non enregistrés, chacun avec un identifiant provisoire (son numéro) : les règles de
        cofinancement les distinguent sans requête."""
        axes = {}
        for a in self.axes:
            axe = Axe(contrat=contrat, numero=a.numero, intitule=a.intitule)
            axe.pk = a.numero
            axes[a.numero] = axe
        return axes

    def annonces_provisoires(self, axes: dict[int, Axe]) -> list[MontantAnnonce]:
        return [
            MontantAnnonce(
                axe=axes[a.numero], annee=int(annee), financeur=Financeur.ETAT, montant=Decimal(montant),
                source=SOURCE_ANNONCE,
            )
            for a in self.axes
            for annee, montant in sorted(a.etat.items())
            if montant not in (None, "")
        ]  # fmt: skip
