"""Transitoire : les chiffres des finances sont dans finances/selectors.py (ce module disparaît)."""

from finances.selectors import (  # noqa: F401
    Montants,
    annees_provisoires,
    changements_des_avenants,
    lignes_en_vigueur,
    tableau_budgetaire,
)
