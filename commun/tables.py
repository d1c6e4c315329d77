import django_tables2 as tables


class TableBase(tables.Table):
    """Base commune des listes : tri, pagination et gabarit Bootstrap partagés.

    `libelle` nomme le cadre défilant du tableau pour les lecteurs d'écran (templates/commun/tableau.html)."""

    libelle = "Liste"

    class Meta:
        attrs = {"class": "table table-sm table-hover align-middle"}
        empty_text = "Aucun élément."
        per_page = 25
