from django.urls import path

from coherence import views

app_name = "coherence"

urlpatterns = [
    path("coherence/", views.constats, name="constats"),
    path("coherence.xlsx", views.constats_xlsx, name="xlsx"),
]
