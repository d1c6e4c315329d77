from django.urls import path  # noqa: F401

app_name = "rapports"

# Rapports PDF (rapport annuel, rapport à mi-parcours, projet de délibération) : voir rapports/views.py.
urlpatterns: list = []
