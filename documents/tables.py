import django_tables2 as tables
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from commun.formats import nom_et_organisation
from commun.tables import TableBase


class DocumentTable(TableBase):
    libelle = "Documents du contrat"

    titre = tables.Column(verbose_name="Document", orderable=False)
    nature = tables.Column(verbose_name="Nature", orderable=False)
    depose_par = tables.Column(verbose_name="Déposé par", orderable=False, default="—")
    depose_le = tables.Column(verbose_name="Le", orderable=False)
    taille = tables.Column(verbose_name="Taille", orderable=False, attrs={"td": {"class": "text-end text-nowrap"}})
    supprimer = tables.Column(verbose_name="", empty_values=(), orderable=False)

    class Meta(TableBase.Meta):
        empty_text = "Aucun document déposé."
        per_page = 1000

    def __init__(self, *args, contrat, peut_supprimer: bool, **kwargs):
        self.contrat = contrat
        super().__init__(*args, **kwargs)
        if not peut_supprimer:
            self.columns.hide("supprimer")

    def render_titre(self, record):
        url = reverse("documents:telecharger", args=[self.contrat.slug, record.pk])
        return format_html('<a href="{}">{}</a><br><span class="small text-muted">{}</span>', url, record.titre,
                           record.nom)  # fmt: skip

    def render_nature(self, record):
        if record.est_piece_justificative:
            url = reverse("evaluation:action", args=[self.contrat.slug, record.action.numero])
            return format_html('Pièce justificative de l\'<a href="{}">évaluation de l\'action {}</a>', url,
                               record.action.numero)  # fmt: skip
        return record.get_nature_display()

    def render_depose_par(self, value):
        return nom_et_organisation(value)

    def render_depose_le(self, value):
        return f"{timezone.localtime(value):%d/%m/%Y à %H:%M}"

    def render_taille(self, record):
        return record.taille_lisible

    def render_supprimer(self, record):
        if record.est_piece_justificative:
            return ""
        url = reverse("documents:supprimer", args=[self.contrat.slug, record.pk])
        return format_html(
            '<a class="btn btn-sm btn-outline-danger" href="{}" aria-label="Supprimer « {} »">Supprimer</a>', url,
            record.titre,
        )  # fmt: skip
