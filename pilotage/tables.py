import django_tables2 as tables
from django.utils.html import format_html

from commun.formats import euros
from commun.tables import TableBase
from contrats.models import Contrat


class HistoriqueTable(TableBase):
    libelle = "Historique des modifications"

    date = tables.DateTimeColumn(format="d/m/Y H:i", verbose_name="Date", attrs={"td": {"class": "text-nowrap"}})
    utilisateur = tables.Column(verbose_name="Par", attrs={"th": {"class": "largeur-min-10"}})
    objet = tables.Column(verbose_name="Objet", attrs={"th": {"class": "largeur-min-10"}})
    champ = tables.Column(verbose_name="Champ")
    avant = tables.Column(verbose_name="Avant", attrs={"th": {"class": "largeur-min-14"}})
    apres = tables.Column(verbose_name="Après", attrs={"th": {"class": "largeur-min-14"}})
    motif = tables.Column(verbose_name="Motif", default="")

    class Meta(TableBase.Meta):
        empty_text = "Aucune modification enregistrée."


class ContratTable(TableBase):
    libelle = "Contrats"

    titre = tables.Column(
        linkify=lambda record: record.get_absolute_url(),
        verbose_name="Contrat",
        attrs={"th": {"class": "largeur-min-14"}},
    )
    type = tables.Column(verbose_name="Type")
    periode = tables.Column(verbose_name="Période", order_by=("annee_debut", "annee_fin"), accessor="periode")
    collectivite = tables.Column(verbose_name="Collectivité", order_by="collectivite__nom")
    nb_actions = tables.Column(verbose_name="Actions", attrs={"td": {"class": "text-end"}})
    budget_total = tables.Column(verbose_name="Budget total", attrs={"td": {"class": "text-end text-nowrap"}})

    class Meta(TableBase.Meta):
        model = Contrat
        fields = ("titre", "type", "periode", "collectivite", "nb_actions", "budget_total")
        order_by = ("-periode",)

    def render_budget_total(self, value):
        return euros(value) if value is not None else "—"

    def render_type(self, record):
        return format_html('<span class="badge text-bg-light border">{}</span>', record.get_type_display())
