"""Le circuit de validation d'une année (SuiviAnnuel.TRANSITIONS) : qui peut quoi, dans quel statut ; une
transition refusée n'écrit rien ; chaque transition par l'adresse de changement de statut ; l'accueil et la grille
demandent au modèle, en un nombre de requêtes qui ne dépend pas du nombre de contrats."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from comptes.enums import Role
from contrats.models import Contrat
from indicateurs.enums import StatutSuivi, TransitionSuivi
from indicateurs.models import SuiviAnnuel
from indicateurs.services import suivi_changer_statut
from tests.conftest import CLS
from tests.contrats.factories import ContratFactory, OrganisationFactory, ProfilFactory
from tests.outils import annee_presque_complete, ecart_de_requetes, page, requetes_capturees

Historique = SuiviAnnuel.history.model

SOUMETTRE, VALIDER, RENVOYER, ROUVRIR = "soumettre", "valider", "renvoyer", "rouvrir"
BROUILLON, SOUMIS, VALIDE, A_CORRIGER = StatutSuivi.values
SANS_DROIT = {BROUILLON: [], SOUMIS: [], VALIDE: [], A_CORRIGER: []}
POSSIBLES = {
    "metropole": {BROUILLON: [SOUMETTRE], SOUMIS: [], VALIDE: [], A_CORRIGER: [SOUMETTRE]},
    "ddets": {BROUILLON: [], SOUMIS: [VALIDER, RENVOYER], VALIDE: [ROUVRIR], A_CORRIGER: []},
    "admin": {BROUILLON: [SOUMETTRE], SOUMIS: [VALIDER, RENVOYER], VALIDE: [ROUVRIR], A_CORRIGER: [SOUMETTRE]},
    "finances": SANS_DROIT,
    "secretariat": SANS_DROIT,
    "lecteur": SANS_DROIT,
    "autre-territoire": SANS_DROIT,
}


def utilisateur(identifiant):
    return get_user_model().objects.get(username=identifiant)


@pytest.fixture
def cls():
    return Contrat.objects.get(slug=CLS)


def amener(contrat, annee, statut, motif="") -> SuiviAnnuel:
    """Une année dans un statut donné, écrite directement (la mise en place n'est pas ce qui est testé)."""
    motif = motif or ("Préparation du test" if statut == A_CORRIGER else "")
    suivi, _ = SuiviAnnuel.objects.update_or_create(
        contrat=contrat, annee=annee, defaults={"statut": statut, "motif": motif}
    )
    return suivi


def traces(cls):
    """Tout ce qu'un changement de statut pourrait écrire : les lignes de suivi et leur historique."""
    return (
        sorted(SuiviAnnuel.objects.filter(contrat=cls).values_list("annee", "statut", "version", "motif")),
        Historique.objects.filter(contrat_id=cls.pk).count(),
    )


def poster(client, annee, transition, motif="", version=None):
    if version is None:
        suivi = SuiviAnnuel.objects.filter(contrat__slug=CLS, annee=annee).first()
        version = suivi.version if suivi else 1
    return client.post(
        reverse("indicateurs:statut", args=[CLS, annee]),
        {"version": version, "transition": transition, "motif": motif},
        follow=True,
    )


@pytest.mark.parametrize("identifiant", list(POSSIBLES))
@pytest.mark.parametrize("statut", StatutSuivi.values)
def test_transitions_possibles_par_role_et_statut(cls, identifiant, statut):
    suivi = SuiviAnnuel(contrat=cls, annee=2025, statut=statut)  # non enregistré : la question n'écrit rien
    possibles = [t.nom for t in suivi.transitions_possibles(utilisateur(identifiant))]
    assert possibles == POSSIBLES[identifiant][statut]
    assert not SuiviAnnuel.objects.filter(contrat=cls).exists()


@pytest.mark.parametrize(
    ("statut", "modifiable", "verrouille", "classe"),
    [
        (BROUILLON, True, False, "alert-secondary"),
        (SOUMIS, False, False, "alert-info"),
        (VALIDE, False, True, "alert-success"),
        (A_CORRIGER, True, False, "alert-warning"),
    ],
)
def test_proprietes_du_statut(cls, statut, modifiable, verrouille, classe):
    suivi = SuiviAnnuel(contrat=cls, annee=2025, statut=statut)
    assert (suivi.modifiable, suivi.verrouille, suivi.classe_css) == (modifiable, verrouille, classe)
    assert [suivi.est_brouillon, suivi.est_soumis, suivi.est_valide, suivi.est_a_corriger] == [
        s == statut for s in StatutSuivi.values
    ]


def test_la_table_des_transitions():
    table = {t.nom: (sorted(t.depart), t.arrivee, t.permission, t.motif_obligatoire) for t in SuiviAnnuel.TRANSITIONS}
    assert table == {
        TransitionSuivi.SOUMETTRE: ([A_CORRIGER, BROUILLON], SOUMIS, "indicateurs.soumettre", False),
        TransitionSuivi.VALIDER: ([SOUMIS], VALIDE, "indicateurs.valider", False),
        TransitionSuivi.RENVOYER: ([SOUMIS], A_CORRIGER, "indicateurs.valider", True),
        TransitionSuivi.ROUVRIR: ([VALIDE], A_CORRIGER, "indicateurs.valider", True),
    }  # fmt: skip
    with pytest.raises(ValidationError, match="Action inconnue."):
        SuiviAnnuel.transition("supprimer")


def test_appliquer_renvoie_les_changements_sans_rien_ecrire(cls):
    suivi = SuiviAnnuel(contrat=cls, annee=2025, statut=SOUMIS)
    ddets = utilisateur("ddets")
    assert suivi.appliquer(SuiviAnnuel.transition(RENVOYER), user=ddets, motif="  À justifier ") == {
        "statut": A_CORRIGER,
        "motif": "À justifier",
    }
    assert suivi.statut == SOUMIS and suivi.pk is None
    with pytest.raises(ValidationError, match="Indiquez le motif"):
        suivi.appliquer(SuiviAnnuel.transition(RENVOYER), user=ddets, motif=" ")
    with pytest.raises(ValidationError, match=r"L'année 2025 est « Soumis » : elle ne peut pas être rouverte\."):
        suivi.appliquer(SuiviAnnuel.transition(ROUVRIR), user=ddets, motif="x")
    with pytest.raises(PermissionDenied):
        suivi.appliquer(SuiviAnnuel.transition(VALIDER), user=utilisateur("metropole"))


# Une transition refusée : par le rôle (403), par le statut ou le motif (message, rien n'a changé).
MOTIF_REQUIS = "Indiquez le motif : il est obligatoire pour renvoyer ou rouvrir une année. Rien n'a changé."
REFUS = [
    ("ddets", None, ROUVRIR, "motif", "2026 est « Brouillon » : elle ne peut pas être rouverte. Rien n'a changé."),
    ("ddets", None, VALIDER, "", "2026 est « Brouillon » : elle ne peut pas être validée. Rien n'a changé."),
    ("ddets", None, RENVOYER, "motif", "2026 est « Brouillon » : elle ne peut pas être renvoyée pour correction."),
    ("admin", None, ROUVRIR, "motif", "2026 est « Brouillon » : elle ne peut pas être rouverte. Rien n'a changé."),
    ("metropole", None, VALIDER, "", 403),
    ("metropole", None, ROUVRIR, "motif", 403),
    ("finances", None, SOUMETTRE, "", 403),
    ("lecteur", None, SOUMETTRE, "", 403),
    ("autre-territoire", None, SOUMETTRE, "", 404),
    ("metropole", SOUMIS, SOUMETTRE, "", "2026 est « Soumis » : elle ne peut pas être soumise à la validation"),
    ("metropole", VALIDE, SOUMETTRE, "", "2026 est « Validé » : elle ne peut pas être soumise à la validation"),
    ("ddets", SOUMIS, RENVOYER, "   ", MOTIF_REQUIS),
    ("ddets", VALIDE, ROUVRIR, "", MOTIF_REQUIS),
    ("ddets", A_CORRIGER, VALIDER, "", "2026 est « À corriger » : elle ne peut pas être validée."),
    ("ddets", SOUMIS, SOUMETTRE, "", 403),
    ("metropole", SOUMIS, RENVOYER, "motif", 403),
]  # fmt: skip


@pytest.mark.parametrize(("identifiant", "statut", "transition", "motif", "attendu"), REFUS)
def test_une_transition_refusee_n_ecrit_rien(connecte, cls, identifiant, statut, transition, motif, attendu):
    if statut:
        amener(cls, 2026, statut)
    avant = traces(cls)
    reponse = poster(connecte(identifiant), 2026, transition, motif)
    if isinstance(attendu, int):
        assert reponse.status_code == attendu
    else:
        assert reponse.status_code == 200 and attendu in page(reponse)
    assert traces(cls) == avant
    if statut is None:  # pas même la ligne de l'année
        assert not SuiviAnnuel.objects.filter(contrat=cls, annee=2026).exists()
        assert not Historique.objects.filter(contrat_id=cls.pk, annee=2026).exists()


def test_refus_par_le_service_sans_ligne_creee(cls):
    """Le service seul, sur une année jamais enregistrée : rien n'est créé quand la transition est refusée."""
    for user, transition in ((utilisateur("ddets"), ROUVRIR), (utilisateur("metropole"), VALIDER)):
        with pytest.raises((ValidationError, PermissionDenied)):
            suivi_changer_statut(
                user=user, suivi=SuiviAnnuel(contrat=cls, annee=2025), version=1, transition=transition, motif="x"
            )
    assert not SuiviAnnuel.objects.filter(contrat=cls).exists()
    assert not Historique.objects.filter(contrat_id=cls.pk).exists()


def test_version_depassee_n_ecrit_rien(connecte, cls):
    amener(cls, 2025, SOUMIS)
    SuiviAnnuel.objects.filter(contrat=cls, annee=2025).update(version=3)  # quelqu'un est passé entre-temps
    avant = traces(cls)
    reponse = page(poster(connecte("ddets"), 2025, VALIDER, version=2))
    assert "Cette année a été modifiée entre-temps" in reponse and "Rien n'a changé." in reponse
    assert traces(cls) == avant


def test_statut_change_entre_temps_n_ecrit_rien(cls):
    """Le suivi lu dit « soumis », la base dit « validé » à la même version : la transition n'est pas appliquée."""
    suivi = amener(cls, 2025, SOUMIS)
    SuiviAnnuel.objects.filter(pk=suivi.pk).update(statut=VALIDE)
    avant = traces(cls)
    with pytest.raises(ValidationError, match="modifiée entre-temps"):
        suivi_changer_statut(user=utilisateur("ddets"), suivi=suivi, version=1, transition=RENVOYER, motif="x")
    assert traces(cls) == avant


def test_un_long_motif_de_renvoi_est_garde_entier(cls):
    """Le motif d'un renvoi n'a pas de longueur maximale : l'historique le garde entier (PostgreSQL refusait plus de
    100 caractères, la limite par défaut de django-simple-history)."""
    suivi = amener(cls, 2025, SOUMIS)
    motif = "Valeur de l'action 2 à vérifier et récit de l'action 3 à compléter. " * 5
    ddets = utilisateur("ddets")
    suivi_changer_statut(user=ddets, suivi=suivi, version=suivi.version, transition=RENVOYER, motif=motif)
    assert dernier_historique(cls, 2025).history_change_reason == motif.strip()  # espaces de fin retirés


def dernier_historique(cls, annee):
    return Historique.objects.filter(contrat_id=cls.pk, annee=annee).order_by("-history_id").first()


def test_soumettre_par_l_adresse_cree_l_annee(connecte, cls):
    annee_presque_complete(cls, 2025)  # une année complète : la soumission l'exige (test_saisie_sans_perte.py)
    version = SuiviAnnuel.objects.get(contrat=cls, annee=2025).version
    reponse = poster(connecte("metropole"), 2025, SOUMETTRE)
    assert "Année 2025 soumise à la validation de l'État." in page(reponse)
    suivi = SuiviAnnuel.objects.get(contrat=cls, annee=2025)
    assert (suivi.statut, suivi.statut_par.username, suivi.version) == (SOUMIS, "metropole", version + 1)
    historique = dernier_historique(cls, 2025)
    assert (historique.statut, historique.history_user.username, historique.history_change_reason) == (
        SOUMIS,
        "metropole",
        "Année soumise à la validation de l'État",
    )


@pytest.mark.parametrize(
    ("identifiant", "depart", "transition", "motif", "arrivee", "message"),
    [
        ("metropole", A_CORRIGER, SOUMETTRE, "", SOUMIS, "Année 2025 soumise à la validation de l'État."),
        ("ddets", SOUMIS, VALIDER, "", VALIDE, "Année 2025 validée."),
        ("ddets", SOUMIS, RENVOYER, "Action 3 à justifier", A_CORRIGER, "Année 2025 renvoyée pour correction."),
        ("ddets", VALIDE, ROUVRIR, "Erreur de périmètre", A_CORRIGER, "Année 2025 rouverte."),
        ("admin", SOUMIS, VALIDER, "", VALIDE, "Année 2025 validée."),
        ("admin", BROUILLON, SOUMETTRE, "", SOUMIS, "Année 2025 soumise à la validation de l'État."),
    ],
)
def test_chaque_transition_par_l_adresse(connecte, cls, identifiant, depart, transition, motif, arrivee, message):
    if transition == SOUMETTRE:
        annee_presque_complete(cls, 2025)
    version = amener(cls, 2025, depart).version
    nb_historique = Historique.objects.filter(contrat_id=cls.pk).count()
    reponse = poster(connecte(identifiant), 2025, transition, motif)
    assert message in page(reponse)
    suivi = SuiviAnnuel.objects.get(contrat=cls, annee=2025)
    assert (suivi.statut, suivi.motif, suivi.statut_par.username, suivi.version) == (
        arrivee,
        motif,
        identifiant,
        version + 1,
    )
    assert Historique.objects.filter(contrat_id=cls.pk).count() == nb_historique + 1
    raison = motif or f"Année {SuiviAnnuel.transition(transition).participe}"
    assert dernier_historique(cls, 2025).history_change_reason == raison
    # La grille affichée après la transition propose ce que le modèle permet maintenant.
    attendus = {t.nom for t in suivi.transitions_possibles(utilisateur(identifiant))}
    assert set(reponse.context["transitions"]) == attendus


BOUTONS = {
    SOUMETTRE: "Soumettre à la validation de l'État",
    VALIDER: "Valider l'année 2025",
    RENVOYER: "Renvoyer pour correction",
    ROUVRIR: "Rouvrir l'année",
}
BANDEAUX = {
    BROUILLON: "alert-secondary",
    SOUMIS: "alert-info",
    VALIDE: "alert-success",
    A_CORRIGER: "alert-warning",
}


@pytest.mark.parametrize("identifiant", ["metropole", "ddets", "admin", "secretariat"])
@pytest.mark.parametrize("statut", StatutSuivi.values)
def test_la_grille_montre_les_boutons_que_le_modele_permet(connecte, cls, identifiant, statut):
    if statut != BROUILLON:
        amener(cls, 2025, statut)
    grille = page(connecte(identifiant).get(reverse("indicateurs:grille", args=[CLS, 2025])))
    for transition, bouton in BOUTONS.items():
        assert (bouton in grille) == (transition in POSSIBLES.get(identifiant, SANS_DROIT)[statut]), bouton
    assert f'<div id="statut" class="alert {BANDEAUX[statut]} mt-3"' in grille
    if statut == BROUILLON:
        assert not SuiviAnnuel.objects.filter(contrat=cls).exists()  # lire la grille n'écrit rien


@pytest.mark.parametrize(
    ("identifiant", "attendu"),
    [
        ("metropole", {(2026, "Corriger les valeurs renvoyées")}),
        ("ddets", {(2025, "Valider ou renvoyer les valeurs soumises")}),
        ("admin", {(2025, "Valider ou renvoyer les valeurs soumises"), (2026, "Corriger les valeurs renvoyées")}),
        ("secretariat", set()),
    ],
)
def test_accueil_a_faire_selon_le_modele(connecte, cls, identifiant, attendu):
    """2024 validée (rien à faire, pas même rouvrir), 2025 soumise, 2026 à corriger ; 2027 n'est pas encore due."""
    amener(cls, 2024, VALIDE)
    amener(cls, 2025, SOUMIS)
    amener(cls, 2026, A_CORRIGER, "Action 3 à justifier")
    reponse = connecte(identifiant).get("/")
    a_faire = {(annee, libelle) for contrat, annee, libelle, _ in reponse.context["a_faire"] if contrat.slug == CLS}
    assert a_faire == attendu
    assert ("Motif : Action 3 à justifier" in page(reponse)) == (identifiant in ("metropole", "admin"))


def _contrats_de_la_collectivite(collectivite, nombre):
    """Des contrats d'un département où la base de démonstration n'en a pas, dans tous les statuts."""
    statuts = [BROUILLON, SOUMIS, VALIDE, A_CORRIGER]
    for n in range(nombre):
        contrat = ContratFactory(collectivite=collectivite, departement="99")
        for annee, statut in zip(contrat.annees, statuts[n % 4 :] + statuts[: n % 4], strict=False):
            if statut != BROUILLON:
                amener(contrat, annee, statut)


@pytest.mark.parametrize("role", [Role.AGENT_COLLECTIVITE, Role.AGENT_ETAT])
def test_accueil_en_nombre_de_requetes_fixe(client, role):
    collectivite = OrganisationFactory(departement="99")
    etat = OrganisationFactory(departement="99", ddets=True)
    organisation = collectivite if role == Role.AGENT_COLLECTIVITE else etat
    client.force_login(ProfilFactory(organisation=organisation, role=role).user)
    mesures, a_faire = [], []
    for ajout in (1, 4):  # 1 contrat, puis 5
        _contrats_de_la_collectivite(collectivite, ajout)
        with requetes_capturees() as requetes:
            reponse = client.get("/")
        assert reponse.status_code == 200
        mesures.append(requetes)
        a_faire.append(len(reponse.context["a_faire"]))
    assert a_faire[1] > a_faire[0] > 0  # la liste grandit avec les contrats…
    # … pas le nombre de requêtes (épinglé avec celui des autres pages dans tests/test_requetes.py).
    assert len(mesures[0]) == len(mesures[1]), ecart_de_requetes(*mesures)
