from django.apps import AppConfig


class IndicateursConfig(AppConfig):
    name = "indicateurs"
    verbose_name = "Indicateurs"

    def ready(self):
        # Toute écriture d'un indicateur, d'une cible, d'une valeur, d'un récit, d'un suivi ou d'un bilan change la
        # version des données du contrat.
        from contrats.versions import suivre
        from indicateurs.models import (
            Bilan,
            BilanChiffre,
            BilanRubrique,
            Cible,
            Commentaire,
            Indicateur,
            Realisation,
            RecitAction,
            SuiviAnnuel,
        )

        suivre(Indicateur, "action__contrat")
        suivre(Cible, "indicateur__action__contrat")
        suivre(Realisation, "indicateur__action__contrat")
        suivre(RecitAction, "action__contrat")
        suivre(SuiviAnnuel, "contrat")
        suivre(Commentaire, "contrat")
        suivre(Bilan, "contrat")
        suivre(BilanRubrique, "bilan__contrat")
        suivre(BilanChiffre, "rubrique__bilan__contrat")
