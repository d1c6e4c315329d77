"""Saisie annuelle des indicateurs : grille, circuit de validation, verrou, historique, conflit d'édition."""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from commun.formats import nom_de
from contrats.models import Contrat
from indicateurs.models import Cible, Indicateur, Realisation, RecitAction, SuiviAnnuel
from tests.conftest import CLS
from tests.outils import annee_presque_complete, donnees_de, indicateur, page, texte_page


@pytest.fixture
def cls():
    return Contrat.objects.get(slug=CLS)


def formulaire(client, annee, **saisies):
    """Les champs de la grille tels que la page les envoie, complétés des saisies v<pk>, c<pk>, r<pk>_… données."""
    reponse = client.get(reverse("indicateurs:grille", args=[CLS, annee]))
    form = reponse.context["form"]
    donnees = {}
    for nom, champ in form.fields.items():
        valeur = form[nom].value()
        donnees[nom] = (
            "" if valeur is None else champ.prepare_value(valeur) if hasattr(champ, "prepare_value") else valeur
        )
        if champ.show_hidden_initial:
            donnees[f"initial-{nom}"] = donnees[nom]
    donnees.update(saisies)
    return donnees


def enregistrer(client, annee, donnees):
    return client.post(reverse("indicateurs:grille", args=[CLS, annee]), donnees, follow=True)


def changer_statut(client, annee, transition, motif=""):
    suivi = SuiviAnnuel.objects.filter(contrat__slug=CLS, annee=annee).first()
    version = suivi.version if suivi else 1
    return client.post(
        reverse("indicateurs:statut", args=[CLS, annee]),
        {"version": version, "transition": transition, "motif": motif},
        follow=True,
    )


def test_saisie_francaise_enregistree_avec_historique(connecte, cls):
    client = connecte("metropole")
    i1, i5 = indicateur(cls, "1"), indicateur(cls, "5", 1)
    action1 = i1.action
    donnees = formulaire(
        client,
        2024,
        **{f"v{i1.pk}": "1 234", f"c{i1.pk}": "Hausse liée au nouveau quartier", f"v{i5.pk}": "151",
           f"r{action1.pk}_resultats": "458 jeunes suivis sur l'année."},
    )  # fmt: skip
    reponse = enregistrer(client, 2024, donnees)
    assert "Saisie 2024 enregistrée : 3 modification(s)." in page(reponse)
    assert Realisation.objects.get(indicateur=i1, annee=2024).valeur == 1234
    assert RecitAction.objects.get(action=action1, annee=2024).resultats == "458 jeunes suivis sur l'année."
    assert 'value="1 234"' in page(reponse)
    historique = Realisation.objects.get(indicateur=i1, annee=2024).history.first()
    assert historique.history_user.username == "metropole" and historique.history_change_reason == "Saisie 2024"


@pytest.mark.parametrize(
    ("saisie", "message"),
    [
        ("12abc", "« 12abc » n'est pas un nombre valide"),
        ("-5", "Un nombre ne peut pas être négatif."),
        ("12,5", "Un nombre entier est attendu (comptage) : pas de décimales."),
        ("1e12", "n'est pas un nombre valide"),
        ("99999999999999", "Nombre trop élevé"),
    ],
)
def test_une_valeur_fautive_n_ecrit_rien(connecte, cls, saisie, message):
    client = connecte("metropole")
    i1, i2 = indicateur(cls, "1"), indicateur(cls, "2")
    donnees = formulaire(client, 2025, **{f"v{i1.pk}": saisie, f"v{i2.pk}": "135"})
    reponse = enregistrer(client, 2025, donnees)
    assert message in page(reponse)
    assert "Rien n'a été enregistré : corrigez les champs signalés." in page(reponse)
    assert not Realisation.objects.filter(indicateur__action__contrat=cls, annee=2025).exists()


def test_annee_hors_contrat_ou_indicateur_etranger(connecte, cls):
    client = connecte("metropole")
    assert client.get(reverse("indicateurs:grille", args=[CLS, 2023])).status_code == 404
    assert client.get(reverse("indicateurs:grille", args=[CLS, 99999])).status_code == 404
    etranger = Indicateur.objects.exclude(action__contrat=cls).first()
    assert client.get(reverse("indicateurs:detail", args=[CLS, etranger.pk])).status_code == 404


def test_circuit_complet_et_verrou(connecte, cls):
    metropole, ddets = connecte("metropole"), None
    i1 = indicateur(cls, "1")
    annee_presque_complete(cls, 2024, sauf=i1)
    # Un envoi direct de « soumettre » sur une année incomplète est refusé, comme depuis la grille.
    refus = texte_page(changer_statut(metropole, 2024, "soumettre"))
    assert "L'année ne peut pas être soumise" in refus and "valeur manquante" in refus
    enregistrer(metropole, 2024, formulaire(metropole, 2024, **{f"v{i1.pk}": "455"}))
    assert "soumise à la validation" not in page(changer_statut(metropole, 2024, "valider"))  # refus : 403
    reponse = changer_statut(metropole, 2024, "soumettre")
    assert "Année 2024 soumise à la validation de l'État." in page(reponse)

    # Soumise : la collectivité ne peut plus écrire.
    donnees = formulaire(metropole, 2024, **{f"v{i1.pk}": "999"})
    assert "Rien n'a été enregistré : l'année n'est plus modifiable." in page(enregistrer(metropole, 2024, donnees))

    from django.test import Client

    ddets = Client()
    ddets.login(username="ddets", password="solidarites-demo")
    assert "Année 2024 validée." in page(changer_statut(ddets, 2024, "valider"))
    grille = page(metropole.get(reverse("indicateurs:grille", args=[CLS, 2024])))
    assert "année verrouillée : validée par Claire Démo" in grille
    assert "Enregistrer la saisie" not in grille and 'name="v' in grille and "disabled" in grille
    assert "Rien n'a été enregistré" in page(enregistrer(metropole, 2024, donnees))
    assert Realisation.objects.get(indicateur=i1, annee=2024).valeur == 455

    # Réouverture : motif obligatoire, réservée à l'État.
    assert "Indiquez le motif" in page(changer_statut(ddets, 2024, "rouvrir", ""))
    assert SuiviAnnuel.objects.get(contrat=cls, annee=2024).statut == "valide"
    assert changer_statut(metropole, 2024, "rouvrir", "je veux").status_code == 403
    assert "Année 2024 rouverte." in page(changer_statut(ddets, 2024, "rouvrir", "Erreur de périmètre relevée"))
    suivi = SuiviAnnuel.objects.get(contrat=cls, annee=2024)
    assert (suivi.statut, suivi.motif, suivi.statut_par.username) == (
        "a_corriger",
        "Erreur de périmètre relevée",
        "ddets",
    )

    historique = page(ddets.get(reverse("pilotage:historique", args=[CLS])))
    personnes = ("Claire Démo, DDETS de la Côte-d'Or", "Paul Exemple, Dijon métropole")  # jamais « ddets »
    for attendu in ("Soumis", "Validé", "À corriger", "Erreur de périmètre relevée", *personnes, "455"):
        assert attendu in historique


def test_renvoi_pour_correction_motive_et_visible_a_l_accueil(connecte, cls):
    metropole = connecte("metropole")
    annee_presque_complete(cls, 2025)
    changer_statut(metropole, 2025, "soumettre")
    from django.test import Client

    ddets = Client()
    ddets.login(username="ddets", password="solidarites-demo")
    assert "Valider ou renvoyer" in page(ddets.get("/"))
    assert "Indiquez le motif" in page(changer_statut(ddets, 2025, "renvoyer", "   "))
    changer_statut(ddets, 2025, "renvoyer", "Valeur de l'action 3 à justifier")
    accueil = page(metropole.get("/"))
    assert "Corriger les valeurs renvoyées" in accueil and "Valeur de l'action 3 à justifier" in accueil


def test_conflit_d_edition_refuse_sans_perte(client, connecte, cls, django_user_model):
    """Deux personnes ouvrent 2026 et changent la même valeur : la seconde est arrêtée, voit les deux valeurs et doit
    choisir ; rien n'est écrasé, rien n'est perdu (la fusion champ par champ : tests/indicateurs/test_fusion.py)."""
    i1 = indicateur(cls, "1")
    premiere = connecte("metropole")
    donnees_premiere = formulaire(premiere, 2026, **{f"v{i1.pk}": "470"})

    from django.test import Client

    seconde = Client()
    seconde.login(username="admin", password="solidarites-demo")
    donnees_seconde = formulaire(seconde, 2026, **{f"v{i1.pk}": "480", f"c{i1.pk}": "Ma version"})

    assert "enregistrée" in page(enregistrer(premiere, 2026, donnees_premiere))
    reponse = enregistrer(seconde, 2026, donnees_seconde)
    texte = page(reponse)
    metropole = django_user_model.objects.get(username="metropole")
    assert f"Cette année a été modifiée entre-temps par {nom_de(metropole)}" in texte
    assert "votre saisie 480 ; enregistré par" in texte and ": 470." in texte
    assert 'value="480"' in texte  # la saisie de la seconde personne est conservée à l'écran
    realisation = Realisation.objects.get(indicateur=i1, annee=2026)
    assert realisation.valeur == 470 and realisation.commentaire == ""

    # Renvoyée telle quelle (second clic sur Enregistrer, sans choisir) : refusée, rien n'est écrit.
    renvoyee = donnees_de(reponse)
    assert "Choisissez la valeur à garder" in page(enregistrer(seconde, 2026, renvoyee))
    assert Realisation.objects.get(indicateur=i1, annee=2026).valeur == 470
    # Après avoir choisi sa saisie, la seconde personne enregistre en connaissance de cause ; son commentaire (changé
    # d'un seul côté) est gardé.
    assert "enregistrée" in page(enregistrer(seconde, 2026, renvoyee | {f"choix-v{i1.pk}": "mienne"}))
    realisation.refresh_from_db()
    assert (realisation.valeur, realisation.commentaire) == (480, "Ma version")


def test_roles_sans_droit_de_saisie(connecte, cls):
    i1 = indicateur(cls, "1")
    for identifiant in ("ddets", "finances", "secretariat", "lecteur"):
        client = connecte(identifiant)
        grille = page(client.get(reverse("indicateurs:grille", args=[CLS, 2027])))
        assert "Enregistrer la saisie" not in grille
        donnees = {"version": 1, f"v{i1.pk}": "1"}
        assert client.post(reverse("indicateurs:grille", args=[CLS, 2027]), donnees).status_code == 403
    assert not Realisation.objects.filter(indicateur=i1, annee=2027).exists()


def test_cible_nd_fixee_avec_justification_tracee(connecte, cls):
    i4 = indicateur(cls, "4")
    client = connecte("ddets")
    url = reverse("indicateurs:cible", args=[CLS, i4.pk, 2025])
    reponse = page(
        client.post(url, {"valeur": "80", "source": "dialogue_de_gestion", "justification": ""}, follow=True)
    )
    assert "Cible 2025 non enregistrée" in reponse and "Ce champ est obligatoire" in reponse
    assert Cible.objects.get(indicateur=i4, annee=2025).nd
    reponse = page(
        client.post(
            url,
            {"valeur": "80", "source": "dialogue_de_gestion", "justification": "Dialogue de gestion du 12/12/2024"},
            follow=True,
        )
    )
    assert "Cible 2025 fixée à 80." in reponse
    cible = Cible.objects.get(indicateur=i4, annee=2025)
    assert (cible.nd, cible.valeur) == (False, 80)
    assert "Dialogue de gestion : Dialogue de gestion du 12/12/2024" in reponse  # historique de l'indicateur
    assert (
        connecte("finances").post(url, {"valeur": "1", "source": "avenant", "justification": "x"}).status_code == 403
    )


def test_le_formulaire_de_cible_ne_sert_qu_aux_cibles_nd(connecte, cls):
    """« Fixer la cible » : une cible restée « nd » seulement ; sans cible « nd », pas de colonne du tout."""
    client = connecte("ddets")
    i1, i4 = indicateur(cls, "1"), indicateur(cls, "4")
    assert not Cible.objects.filter(indicateur=i1, nd=True).exists()
    assert "Fixer la cible" not in page(client.get(reverse("indicateurs:detail", args=[CLS, i1.pk])))
    detail = reverse("indicateurs:detail", args=[CLS, i4.pk])
    nd = Cible.objects.filter(indicateur=i4, nd=True).count()
    assert nd >= 2
    texte = page(client.get(detail))
    assert "Fixer la cible" in texte and texte.count('name="justification"') == nd
    url = reverse("indicateurs:cible", args=[CLS, i4.pk, 2025])
    client.post(url, {"valeur": "80", "source": "avenant", "justification": "Avenant n°1"})
    texte = page(client.get(detail))
    assert texte.count('name="justification"') == nd - 1 and f'action="{url}"' not in texte


def test_export_excel_de_l_historique(connecte, cls):
    client = connecte("metropole")
    i1 = indicateur(cls, "1")
    enregistrer(client, 2024, formulaire(client, 2024, **{f"v{i1.pk}": "452", f"c{i1.pk}": '=HYPERLINK("x")'}))
    reponse = client.get(reverse("pilotage:historique_xlsx", args=[CLS]))
    assert reponse["Content-Type"].startswith("application/vnd.openxmlformats")
    feuille = load_workbook(BytesIO(reponse.content)).active
    assert feuille["A1"].value == "Historique des modifications"
    lignes = [[c.value for c in ligne] for ligne in feuille.iter_rows(min_row=6)]
    assert any(ligne[1] == "Paul Exemple, Dijon métropole" and ligne[5] == "452" for ligne in lignes)
    formule = next(c for ligne in feuille.iter_rows(min_row=6) for c in ligne if c.value == '=HYPERLINK("x")')
    assert formule.data_type == "s" and formule.quotePrefix
    assert feuille.freeze_panes == "A6"
    assert connecte("autre-territoire").get(reverse("pilotage:historique_xlsx", args=[CLS])).status_code == 404
