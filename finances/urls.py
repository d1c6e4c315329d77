from django.urls import path  # noqa: F401

app_name = "finances"

# Complété par l'import Excel (finances/imports.py, finances/views.py).
urlpatterns: list = []
