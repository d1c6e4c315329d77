import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html

from commun.formats import nom_et_organisation
from commun.tables import TableBase
from rapports.models import VersionRapport


class VersionRapportTable(TableBase):
    libelle = "Versions figées"

    document = tables.Column(
        verbose_name="Document", accessor="type", order_by=("type", "annee"), attrs={"th": {"class": "largeur-min-10"}}
    )
    cree_le = tables.DateTimeColumn(format="d/m/Y H:i", verbose_name="Figée le")
    auteur = tables.Column(verbose_name="Par", default="—", attrs={"th": {"class": "largeur-min-10"}})
    sha256 = tables.Column(verbose_name="Empreinte SHA-256", orderable=False)
    taille = tables.Column(verbose_name="Taille", attrs={"td": {"class": "text-end text-nowrap"}})
    manques = tables.TemplateColumn(
        template_name="rapports/_version_reserve.html",
        verbose_name="État à la date figée",
        orderable=False,
        attrs={"th": {"class": "largeur-min-10"}},
    )
    transmise = tables.TemplateColumn(
        template_name="rapports/_version_transmission.html",
        verbose_name="Transmission",
        orderable=True,
        attrs={"th": {"class": "largeur-min-14"}},
    )
    telecharger = tables.TemplateColumn(
        template_name="rapports/_version_telecharger.html", verbose_name="PDF", orderable=False
    )

    class Meta(TableBase.Meta):
        model = VersionRapport
        fields = ("document", "cree_le", "auteur", "manques", "sha256", "taille", "transmise", "telecharger")
        order_by = ("-cree_le",)
        empty_text = "Aucune version figée : « Vérifier et figer » en crée une, en PDF/A."

    def render_document(self, record):
        return f"{record.cle.libelle} {record.periode}"

    def render_auteur(self, value):
        return nom_et_organisation(value)

    def render_sha256(self, value):
        return format_html('<code class="text-break small">{}</code>', value)

    def render_taille(self, value):
        return f"{value / 1024:.0f} Ko".replace(".", ",")

    def render_cree_le(self, value):
        return f"{timezone.localtime(value):%d/%m/%Y %H:%M}"
