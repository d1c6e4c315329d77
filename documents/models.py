import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from documents.enums import NatureDocument
from documents.formats import extension, taille_lisible


def chemin_du_fichier(document, nom: str) -> str:
    """Rangé avec son contrat, sous un nom tiré au hasard : le nom d'origine (gardé dans `nom`) n'entre jamais
    dans un chemin, et deux dépôts du même nom ne se remplacent pas."""
    return f"contrats/{document.contrat_id}/documents/{uuid.uuid4().hex}.{extension(nom)}"


class DocumentQuerySet(models.QuerySet):
    def du_contrat(self, contrat):
        return (
            self.filter(contrat=contrat)
            .select_related("action", "depose_par__profil__organisation")
            .order_by("nature", "-depose_le", "-pk")
        )

    def de_l_action(self, action):
        return self.filter(action=action).select_related("depose_par__profil__organisation").order_by("depose_le")


class Document(models.Model):
    """Un fichier déposé avec le contrat : le contrat signé, un avenant, une délibération, une pièce justificative
    de l'évaluation à mi-parcours d'une action. Stocké par le stockage par défaut (MEDIA_ROOT), jamais servi par
    une adresse publique : documents.views.telecharger vérifie les droits à chaque téléchargement."""

    contrat = models.ForeignKey("contrats.Contrat", on_delete=models.CASCADE, related_name="documents")
    nature = models.CharField(max_length=30, choices=NatureDocument.choices)
    titre = models.CharField(max_length=255)
    action = models.ForeignKey(
        "actions.Action", on_delete=models.CASCADE, null=True, blank=True, related_name="documents",
        help_text="L'action dont l'évaluation à mi-parcours s'appuie sur cette pièce.",
    )  # fmt: skip
    fichier = models.FileField(upload_to=chemin_du_fichier, max_length=255)
    nom = models.CharField("nom du fichier", max_length=255)
    taille = models.PositiveBigIntegerField("taille (octets)")
    type_mime = models.CharField("type", max_length=100)
    empreinte = models.CharField("empreinte SHA-256", max_length=64)
    depose_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    depose_le = models.DateTimeField("déposé le")

    history = HistoricalRecords()
    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["contrat", "nature", "-depose_le"]
        constraints = [
            models.CheckConstraint(
                condition=Q(nature=NatureDocument.PIECE_JUSTIFICATIVE, action__isnull=False)
                | (~Q(nature=NatureDocument.PIECE_JUSTIFICATIVE) & Q(action__isnull=True)),
                name="document_piece_d_une_action",
                violation_error_message="Une pièce justificative se rattache à une action, et seule elle.",
            ),
        ]

    def __str__(self):
        return f"{self.get_nature_display()} – {self.titre}"

    @property
    def taille_lisible(self) -> str:
        return taille_lisible(self.taille)

    @property
    def est_piece_justificative(self) -> bool:
        return self.nature == NatureDocument.PIECE_JUSTIFICATIVE
