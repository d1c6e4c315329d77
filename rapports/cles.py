"""Les documents d'un contrat : une clé (type + année) lisible dans l'adresse (« mi-parcours », « annuel-2024 »,
« deliberation-mi-parcours », « deliberation-annuel-2024 ») et la période qu'elle couvre pour un contrat donné."""

import re
from dataclasses import dataclass

from rapports.enums import TYPES_DELIBERATION, TYPES_MI_PARCOURS, TypeRapport

# Le rapport à mi-parcours couvre les deux premières années civiles du contrat (CLS, art. 2.3).
ANNEES_MI_PARCOURS = 2

_SEGMENTS = {
    TypeRapport.MI_PARCOURS: "mi-parcours",
    TypeRapport.ANNUEL: "annuel",
    TypeRapport.DELIBERATION_MI_PARCOURS: "deliberation-mi-parcours",
    TypeRapport.DELIBERATION_ANNUEL: "deliberation-annuel",
}
_MOTIF = re.compile(
    r"^(?P<segment>deliberation-mi-parcours|mi-parcours|deliberation-annuel|annuel)(-(?P<annee>[0-9]{4}))?$"
)


class RapportIndisponible(Exception):
    """Le document demandé n'existe pas pour ce contrat (période trop courte, année hors contrat)."""


@dataclass(frozen=True)
class CleRapport:
    type: str
    annee: int | None = None

    def __str__(self) -> str:
        segment = _SEGMENTS[TypeRapport(self.type)]
        return segment if self.annee is None else f"{segment}-{self.annee}"

    @classmethod
    def lire(cls, texte: str) -> "CleRapport":
        trouve = _MOTIF.match(texte or "")
        if not trouve:
            raise ValueError(f"« {texte} » ne désigne aucun rapport.")
        type_ = next(t for t, s in _SEGMENTS.items() if s == trouve["segment"])
        annee = int(trouve["annee"]) if trouve["annee"] else None
        if (type_ in TYPES_MI_PARCOURS) != (annee is None):
            raise ValueError(f"« {texte} » ne désigne aucun rapport.")
        return cls(type_, annee)

    @property
    def est_deliberation(self) -> bool:
        return self.type in TYPES_DELIBERATION

    @property
    def est_mi_parcours(self) -> bool:
        return self.type in TYPES_MI_PARCOURS

    @property
    def rapport(self) -> "CleRapport":
        """Le rapport lui-même : celui qu'approuve un projet de délibération."""
        if not self.est_deliberation:
            return self
        return CleRapport(TypeRapport.MI_PARCOURS if self.est_mi_parcours else TypeRapport.ANNUEL, self.annee)

    @property
    def deliberation(self) -> "CleRapport":
        """Le projet de délibération qui approuve ce rapport."""
        if self.est_deliberation:
            return self
        type_ = TypeRapport.DELIBERATION_MI_PARCOURS if self.est_mi_parcours else TypeRapport.DELIBERATION_ANNUEL
        return CleRapport(type_, self.annee)

    @property
    def libelle(self) -> str:
        return TypeRapport(self.type).label

    def nom_fichier(self, contrat, periode: str, suffixe: str = "") -> str:
        """dijon-cls-2024-2027-rapport-mi-parcours-2024-2025.pdf, …-deliberation-annuel-2024.pdf"""
        nature = "deliberation" if self.est_deliberation else "rapport"
        duree = "mi-parcours" if self.est_mi_parcours else "annuel"
        return f"{contrat.slug}-{nature}-{duree}-{periode}{suffixe}.pdf"

    def annees(self, contrat) -> list[int]:
        """Les années couvertes pour ce contrat ; RapportIndisponible, avec un message en français, sinon."""
        if self.est_mi_parcours:
            if len(contrat.annees) < ANNEES_MI_PARCOURS:
                raise RapportIndisponible(
                    f"Pas de rapport à mi-parcours pour « {contrat.titre} » : le contrat ({contrat.periode}) dure "
                    f"moins de {ANNEES_MI_PARCOURS} ans, le rapport annuel en tient lieu."
                )
            return contrat.annees[:ANNEES_MI_PARCOURS]
        if not contrat.contient_annee(self.annee):
            raise RapportIndisponible(
                f"L'année {self.annee} est hors de la période du contrat ({contrat.periode}) : aucun rapport annuel."
            )
        return [self.annee]

    @classmethod
    def du_stockage(cls, type_: str, annee: int) -> "CleRapport":
        """Une version figée garde toujours une année (la première de la période pour la mi-parcours)."""
        return cls(type_, None if type_ in TYPES_MI_PARCOURS else annee)


def cles_du_contrat(contrat) -> list[CleRapport]:
    """Les documents disponibles pour un contrat, dans l'ordre où la page des rapports les présente."""
    cles = []
    if len(contrat.annees) >= ANNEES_MI_PARCOURS:
        cles += [CleRapport(TypeRapport.MI_PARCOURS), CleRapport(TypeRapport.DELIBERATION_MI_PARCOURS)]
    for annee in contrat.annees:
        cles += [CleRapport(TypeRapport.ANNUEL, annee), CleRapport(TypeRapport.DELIBERATION_ANNUEL, annee)]
    return cles


class CleRapportConverter:
    """Convertisseur d'URL : <rapport:cle> → CleRapport."""

    regex = r"deliberation-mi-parcours|mi-parcours|deliberation-annuel-[0-9]{4}|annuel-[0-9]{4}"

    def to_python(self, value: str) -> CleRapport:
        return CleRapport.lire(value)

    def to_url(self, value) -> str:
        return str(value if isinstance(value, CleRapport) else CleRapport.lire(str(value)))


class CleDeliberationConverter(CleRapportConverter):
    """<deliberation:cle> : seulement les projets de délibération (enregistrement du vote)."""

    regex = r"deliberation-mi-parcours|deliberation-annuel-[0-9]{4}"
