from django.urls import path

from rapports import views_lots

app_name = "lots"

urlpatterns = [
    path("", views_lots.liste, name="liste"),
    path("<int:pk>/", views_lots.detail, name="detail"),
]
