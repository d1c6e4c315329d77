"""L'évaluation à mi-parcours de chaque action (DIPLP, 30 juin 2026) : questions évaluatives, méthodes, constats,
recommandation, saisis par la collectivité et examinés par l'État, sur le même circuit que les valeurs annuelles
(brouillon → soumise → validée / à corriger), avec les mêmes statuts et la même forme de transition
(`indicateurs.models.Transition`). Les pièces justificatives sont des documents du contrat (application documents)
rattachés à l'action."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from indicateurs.enums import StatutSuivi, TransitionSuivi
from indicateurs.models import CircuitExamen, Transition, circuit

CHAMPS_EVALUATION = {
    "questions": "questions évaluatives",
    "methodes": "méthodes utilisées",
    "constats": "constats",
    "recommandation": "recommandation",
}


class EvaluationActionQuerySet(models.QuerySet):
    def avec_auteurs(self):
        return self.select_related("modifie_par__profil__organisation", "statut_par__profil__organisation")


class EvaluationAction(CircuitExamen):
    TRANSITIONS = circuit("evaluation", "soumise à l'examen de l'État")
    REFUS = "Votre rôle ne permet pas ce changement de statut de l'évaluation."

    action = models.OneToOneField("actions.Action", on_delete=models.CASCADE, related_name="evaluation")
    questions = models.TextField("questions évaluatives", blank=True)
    methodes = models.TextField("méthodes utilisées", blank=True)
    constats = models.TextField(blank=True)
    recommandation = models.TextField(blank=True)

    history = HistoricalRecords()
    objects = EvaluationActionQuerySet.as_manager()

    class Meta:
        verbose_name = "évaluation à mi-parcours d'une action"
        verbose_name_plural = "évaluations à mi-parcours des actions"
        constraints = [
            models.CheckConstraint(
                condition=~Q(statut=StatutSuivi.A_CORRIGER) | ~Q(motif=""),
                name="evaluation_a_corriger_motivee",
                violation_error_message="Un renvoi pour correction doit être motivé.",
            ),
        ]

    def __str__(self):
        return f"Évaluation à mi-parcours – action {self.action.numero}"

    @property
    def saisie(self) -> bool:
        """Au moins un champ est rempli (sinon « non saisie » : jamais une évaluation vide comptée)."""
        return any(getattr(self, champ) for champ in CHAMPS_EVALUATION)

    @property
    def libelle_statut(self) -> str:
        """« Non saisie » tant que rien n'est écrit : une évaluation vide n'est jamais comptée comme un brouillon."""
        if self.statut == StatutSuivi.BROUILLON and not self.saisie:
            return "Non saisie"
        return self.get_statut_display()

    def champs_manquants(self) -> list[str]:
        return [libelle for champ, libelle in CHAMPS_EVALUATION.items() if not getattr(self, champ).strip()]

    def a_le_droit(self, user, transition: Transition, contrat) -> bool:
        return user.has_perm(transition.permission, contrat)

    def transitions_possibles(self, user, contrat) -> list[Transition]:
        """Les transitions que cet utilisateur peut faire maintenant : le statut le permet et son rôle aussi."""
        return [t for t in self.TRANSITIONS if self.statut in t.depart and self.a_le_droit(user, t, contrat)]

    def appliquer(self, transition: Transition, *, user, contrat, motif: str = "") -> dict:
        """Vérifie que la transition est permise maintenant et renvoie les champs qu'elle change, sans rien écrire."""
        changements = self.changements(
            transition, autorise=self.a_le_droit(user, transition, contrat), sujet="L'évaluation",
            nom="une évaluation", motif=motif,
        )  # fmt: skip
        if transition.nom == TransitionSuivi.SOUMETTRE and self.champs_manquants():
            raise ValidationError(
                f"L'évaluation ne peut pas être soumise : renseignez {', '.join(self.champs_manquants())}."
            )
        return changements
