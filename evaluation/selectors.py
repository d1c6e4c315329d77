"""L'évaluation à mi-parcours de chaque action d'un ou de plusieurs contrats : une ligne par action, avec son
évaluation (ou « non saisie ») et ses pièces justificatives. Trois requêtes, quel que soit le nombre de contrats
et d'actions (page du contrat, export national)."""

from dataclasses import dataclass, field

from django.db.models import Prefetch

from actions.models import Action
from documents.enums import NatureDocument
from documents.models import Document
from evaluation.models import EvaluationAction

NON_SAISIE = "Non saisie"


@dataclass
class LigneEvaluation:
    action: Action
    evaluation: EvaluationAction | None
    pieces: list = field(default_factory=list)

    @property
    def contrat(self):
        return self.action.contrat

    @property
    def saisie(self) -> bool:
        return self.evaluation is not None and self.evaluation.saisie

    @property
    def statut(self) -> str:
        return self.evaluation.libelle_statut if self.evaluation is not None else NON_SAISIE


def evaluations_des_contrats(contrats) -> list[LigneEvaluation]:
    actions = (
        Action.objects.filter(contrat__in=contrats)
        .select_related(
            "contrat__collectivite",
            "axe",
            "evaluation__modifie_par__profil__organisation",
            "evaluation__statut_par__profil__organisation",
        )
        .prefetch_related(
            Prefetch(
                "documents",
                queryset=Document.objects.filter(nature=NatureDocument.PIECE_JUSTIFICATIVE).order_by("depose_le"),
                to_attr="pieces",
            )
        )
        .order_by(
            "contrat__collectivite__region", "contrat__departement", "contrat__titre", "contrat_id", "ordre", "numero"
        )  # fmt: skip
    )
    return [LigneEvaluation(a, getattr(a, "evaluation", None), a.pieces) for a in actions]
