"""Tout ce que lisent les contrôles de cohérence d'un contrat, chargé en un nombre fixe de requêtes, quelle que soit
la taille du contrat : ses textes (articles, fiches, délibérations), ses tableaux, ses bilans, et ce qui se compare
d'un contrat à l'autre du même territoire (délibérations de la même collectivité, quartiers)."""

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch, Q
from django.urls import reverse

from actions.models import Action
from contrats.models import Article, Contrat, Deliberation, Organisation, Quartier, Signataire
from finances.models import MontantAnnonce
from finances.selectors import lignes_en_vigueur
from indicateurs.models import Bilan, BilanChiffre, BilanRubrique, Indicateur


@dataclass
class Dossier:
    contrat: Contrat
    aujourd_hui: datetime.date
    articles: list
    signataires: list
    organisations: list
    axes: list
    actions: list
    indicateurs: list
    lignes: list
    annonces: list
    bilans: list
    deliberations: list  # celles de la collectivité du contrat, tous contrats confondus
    voisins: list  # contrats du même territoire (même collectivité), celui-ci compris, avec leurs quartiers

    @property
    def document(self) -> str:
        """Le nom du document signé, tel que les preuves le citent."""
        return self.contrat.titre

    def url_action(self, action) -> str:
        return reverse("pilotage:action", args=[self.contrat.slug, action.numero])

    def indicateurs_de(self, action) -> list:
        """Les indicateurs d'une action, dans l'ordre du tableau."""
        if not hasattr(self, "_par_action"):
            self._par_action = {}
            for indicateur in self.indicateurs:
                self._par_action.setdefault(indicateur.action_id, []).append(indicateur)
        return self._par_action.get(action.pk, [])

    @property
    def deliberations_du_contrat(self) -> list:
        return [d for d in self.deliberations if d.contrat_id == self.contrat.pk]

    def textes_du_contrat(self) -> list[tuple[str, str, str]]:
        """(document, lieu, texte) de tout ce que le contrat et ses délibérations écrivent en propre (ni les fiches
        actions ni les tableaux) : objet, préambule, articles, exposés et décisions."""
        textes = [
            (self.document, "Objet", self.contrat.objet),
            (self.document, "Préambule", self.contrat.preambule),
            *((self.document, str(a), a.texte) for a in self.articles),
        ]
        for d in self.deliberations_du_contrat:
            textes += [(nom_deliberation(d), "Exposé", d.expose), (nom_deliberation(d), "Décision", d.decision)]
        return [t for t in textes if t[2]]

    def textes_des_fiches(self) -> list[tuple[str, str, str]]:
        """(document, lieu, texte) de chaque champ rédigé des fiches actions."""
        return [
            (self.document, f"Fiche action {a.numero}, {libelle}", getattr(a, champ))
            for a in self.actions
            for champ, libelle in CHAMPS_DES_FICHES.items()
            if getattr(a, champ)
        ]


CHAMPS_DES_FICHES = {
    "constats": "constats",
    "objectif_principal": "objectif principal",
    "objectifs_operationnels": "objectifs opérationnels",
    "calendrier": "calendrier",
    "public_cible": "public cible",
    "territoire": "territoire",
    "partenaires": "partenaires",
    "engagements": "engagements des partenaires",
    "resultats_attendus": "résultats attendus",
}


def nom_deliberation(deliberation) -> str:
    organe = deliberation.get_organe_display() if deliberation.organe else "Délibération"
    return f"{organe} de {deliberation.organisation.nom} du {deliberation.date:%d/%m/%Y}"


def dossier_du_contrat(contrat: Contrat, aujourd_hui: datetime.date) -> Dossier:
    actions = list(
        Action.objects.filter(contrat=contrat).select_related("axe").prefetch_related("jalons").order_by("ordre")
    )
    par_id = {a.pk: a for a in actions}
    indicateurs = list(Indicateur.objects.filter(action__contrat=contrat).prefetch_related("cibles"))
    for indicateur in indicateurs:
        indicateur.action = par_id[indicateur.action_id]
    chiffres = Prefetch("chiffres", queryset=BilanChiffre.objects.order_by("ordre", "pk"))
    rubriques = Prefetch(
        "rubriques", queryset=BilanRubrique.objects.select_related("action").prefetch_related(chiffres)
    )
    return Dossier(
        contrat=contrat,
        aujourd_hui=aujourd_hui,
        articles=list(Article.objects.filter(contrat=contrat)),
        signataires=list(Signataire.objects.filter(contrat=contrat).select_related("organisation")),
        organisations=list(Organisation.objects.only("pk", "nom", "sigle", "type")),
        axes=list(contrat.axes.all()),
        actions=actions,
        indicateurs=indicateurs,
        lignes=list(lignes_en_vigueur(contrat).values()),
        annonces=list(MontantAnnonce.objects.filter(contrat=contrat).select_related("axe")),
        bilans=list(Bilan.objects.filter(contrat=contrat).select_related("deliberation").prefetch_related(rubriques)),
        deliberations=list(
            Deliberation.objects.filter(Q(organisation=contrat.collectivite_id) | Q(contrat=contrat))
            .select_related("organisation")
            .order_by("date", "pk")
        ),
        voisins=list(
            Contrat.objects.filter(collectivite=contrat.collectivite_id)
            .prefetch_related(Prefetch("quartiers", queryset=Quartier.objects.order_by("pk")))
            .order_by("annee_debut", "pk")
        ),
    )
