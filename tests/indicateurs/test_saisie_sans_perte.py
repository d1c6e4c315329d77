"""La grille ne perd rien et n'accepte pas n'importe quoi (issue 9), par des envois directs (POST) : fusion des
saisies concurrentes, soumission qui enregistre d'abord, complétude et plausibilité avant soumission, « non
disponible », fil de commentaires, renvoi qui désigne des lignes. Les mêmes cas dans le navigateur :
tests/e2e/test_saisie_sans_perte.py."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from actions.models import Action
from contrats.models import Contrat
from indicateurs.enums import StatutSuivi
from indicateurs.models import Commentaire, Indicateur, Realisation, RecitAction, SuiviAnnuel
from indicateurs.selectors import Mesure, bilan_cibles
from tests.conftest import CLS
from tests.indicateurs.test_saisie import enregistrer, formulaire
from tests.outils import texte_page


@pytest.fixture
def cls():
    return Contrat.objects.get(slug=CLS)


def client_de(identifiant):
    client = Client()
    client.login(username=identifiant, password="solidarites-demo")
    return client


def grille_complete(client, cls, annee, **autres):
    """Une saisie complète et plausible de l'année : chaque valeur à sa cible (ou « non disponible » sans cible),
    chaque appréciation, le récit des résultats de chaque action."""
    saisies = {}
    for i in Indicateur.objects.du_contrat(cls):
        cible = i.cibles.filter(annee=annee).first()
        if i.est_qualitatif:
            saisies[f"a{i.pk}"] = "atteint"
        elif cible and not cible.nd and cible.valeur is not None:
            saisies[f"v{i.pk}"] = str(int(cible.valeur))
        else:
            saisies[f"n{i.pk}"] = "on"
            saisies[f"c{i.pk}"] = "Cible non fixée, donnée non collectée"
    for a in Action.objects.du_contrat(cls):
        saisies[f"r{a.pk}_resultats"] = f"Résultats de l'action {a.numero}."
    donnees = formulaire(client, annee, **saisies)
    donnees.update(autres)
    return {k: v for k, v in donnees.items() if v is not False}


def test_deux_saisies_disjointes_sont_gardees_toutes_les_deux(cls):
    i1, i2 = list(Indicateur.objects.du_contrat(cls).filter(nature="quantitatif"))[:2]
    a, b = client_de("metropole"), client_de("admin")
    donnees_a = formulaire(a, 2026, **{f"v{i1.pk}": "100"})
    donnees_b = formulaire(b, 2026, **{f"v{i2.pk}": "200", f"c{i2.pk}": "Saisi par l'autre"})
    assert "enregistrée" in texte_page(enregistrer(a, 2026, donnees_a))
    reponse = texte_page(enregistrer(b, 2026, donnees_b))
    assert "enregistrée" in reponse and "Modifications faites entre-temps, gardées avec les vôtres" in reponse
    valeurs = dict(Realisation.objects.filter(annee=2026, indicateur__in=[i1, i2]).values_list("indicateur", "valeur"))
    assert valeurs == {i1.pk: 100, i2.pk: 200}


def test_soumettre_enregistre_d_abord_ce_qui_vient_d_etre_tape(cls):
    client = client_de("metropole")
    donnees = grille_complete(client, cls, 2025)
    i1 = Indicateur.objects.du_contrat(cls).filter(nature="quantitatif").first()
    donnees[f"c{i1.pk}"] = "Tapé juste avant de soumettre"
    reponse = texte_page(client.post(reverse("indicateurs:grille", args=[CLS, 2025]), donnees | {"soumettre": ""},
                               follow=True))  # fmt: skip
    assert "et soumise à la validation de l'État" in reponse
    assert SuiviAnnuel.objects.get(contrat=cls, annee=2025).statut == StatutSuivi.SOUMIS
    assert Realisation.objects.get(indicateur=i1, annee=2025).commentaire == "Tapé juste avant de soumettre"


def test_une_annee_incomplete_n_est_pas_soumise_et_rien_n_est_ecrit(cls):
    client = client_de("metropole")
    i1 = Indicateur.objects.du_contrat(cls).filter(nature="quantitatif").first()
    donnees = formulaire(client, 2025, **{f"v{i1.pk}": "12"})
    reponse = client.post(reverse("indicateurs:grille", args=[CLS, 2025]), donnees | {"soumettre": ""})
    texte = texte_page(reponse)
    assert reponse.status_code == 200
    assert "L'année ne peut pas être soumise" in texte and "valeur manquante" in texte
    assert "les résultats obtenus ne sont pas décrits" in texte
    assert not Realisation.objects.filter(annee=2025).exists()  # ni la valeur tapée : tout ou rien
    assert not SuiviAnnuel.objects.filter(contrat=cls, annee=2025, statut=StatutSuivi.SOUMIS).exists()
    assert 'value="12"' in texte  # la saisie reste à l'écran


def test_une_valeur_tres_eloignee_demande_un_commentaire_pour_soumettre(cls):
    client = client_de("metropole")
    cible = next(
        c for i in Indicateur.objects.du_contrat(cls) for c in i.cibles.filter(annee=2025) if c.valeur and not c.nd
    )
    i = cible.indicateur
    envoi = grille_complete(client, cls, 2025, **{f"v{i.pk}": str(int(cible.valeur) * 100)})
    envoi.pop(f"c{i.pk}", None)
    texte = texte_page(client.post(reverse("indicateurs:grille", args=[CLS, 2025]), envoi | {"soumettre": ""}))
    assert "est très loin de la cible" in texte and "un commentaire est nécessaire" in texte
    assert SuiviAnnuel.objects.get(contrat=cls, annee=2025).statut != StatutSuivi.SOUMIS if SuiviAnnuel.objects.filter(
        contrat=cls, annee=2025).exists() else True  # fmt: skip
    envoi[f"c{i.pk}"] = "Nouveau quartier couvert cette année"
    assert "et soumise" in texte_page(
        client.post(reverse("indicateurs:grille", args=[CLS, 2025]), envoi | {"soumettre": ""}, follow=True)
    )


def test_non_disponible_est_un_etat_distinct_de_zero_et_de_vide(cls):
    client = client_de("metropole")
    i1 = Indicateur.objects.du_contrat(cls).filter(nature="quantitatif").first()
    sans_motif = formulaire(client, 2026, **{f"n{i1.pk}": "on"})
    assert "Dites pourquoi la valeur n'est pas disponible" in texte_page(enregistrer(client, 2026, sans_motif))
    assert not Realisation.objects.filter(indicateur=i1, annee=2026).exists()
    avec_valeur = formulaire(client, 2026, **{f"n{i1.pk}": "on", f"v{i1.pk}": "3", f"c{i1.pk}": "x"})
    assert "« Non disponible » et une valeur à la fois" in texte_page(enregistrer(client, 2026, avec_valeur))
    ok = formulaire(client, 2026, **{f"n{i1.pk}": "on", f"c{i1.pk}": "Enquête annulée"})
    assert "enregistrée" in texte_page(enregistrer(client, 2026, ok))
    r = Realisation.objects.get(indicateur=i1, annee=2026)
    assert (r.non_disponible, r.valeur, r.commentaire) == (True, None, "Enquête annulée")
    # Hors des cibles mesurables, mais compté à côté du taux.
    cible = i1.cibles.filter(annee=2026).first()
    bilan = bilan_cibles([Mesure(2026, cible, r, indicateur=i1)], 2026)
    assert (bilan.mesurables, bilan.non_disponibles) == (0, 1)


def test_un_nombre_ambigu_est_explique(cls):
    client = client_de("metropole")
    i1 = Indicateur.objects.du_contrat(cls).filter(nature="quantitatif").first()
    texte = texte_page(enregistrer(client, 2026, formulaire(client, 2026, **{f"v{i1.pk}": "1.250"})))
    assert "« 1.250 » est ambigu : en français, écrivez 1 250 (espace entre les milliers) ou 1,250" in texte
    assert not Realisation.objects.filter(indicateur=i1, annee=2026).exists()


def test_fil_de_commentaires_entre_la_collectivite_et_l_etat(cls):
    i1 = Indicateur.objects.du_contrat(cls).filter(nature="quantitatif").first()
    url = reverse("indicateurs:commenter", args=[CLS, 2024])
    for compte, texte in (("metropole", "Chiffre provisoire."), ("ddets", "Source ?"), ("metropole", "Bilan MPDM.")):
        reponse = client_de(compte).post(url, {"ligne": f"i{i1.pk}", f"texte-i{i1.pk}": texte}, follow=True)
        assert "Commentaire ajouté au fil." in texte_page(reponse)
    fil = list(Commentaire.objects.filter(indicateur=i1, annee=2024).select_related("auteur"))
    assert [(c.auteur.username, c.texte) for c in fil] == [
        ("metropole", "Chiffre provisoire."), ("ddets", "Source ?"), ("metropole", "Bilan MPDM."),
    ]  # fmt: skip
    assert fil[0].history.count() == 1
    # Lu par tout lecteur du contrat, écrit seulement par les agents des parties.
    lecteur = client_de("lecteur")
    assert "Bilan MPDM." in texte_page(lecteur.get(reverse("indicateurs:grille", args=[CLS, 2024])))
    assert lecteur.post(url, {"ligne": f"i{i1.pk}", f"texte-i{i1.pk}": "x"}).status_code == 403
    assert client_de("autre-territoire").post(url, {"ligne": f"i{i1.pk}", "texte": "x"}).status_code == 404


def test_un_renvoi_designe_les_lignes_a_corriger(cls):
    client = client_de("metropole")
    client.post(
        reverse("indicateurs:grille", args=[CLS, 2024]), grille_complete(client, cls, 2024) | {"soumettre": ""}
    )
    suivi = SuiviAnnuel.objects.get(contrat=cls, annee=2024)
    assert suivi.statut == StatutSuivi.SOUMIS
    i1 = Indicateur.objects.du_contrat(cls).first()
    action = Action.objects.du_contrat(cls).last()
    reponse = client_de("ddets").post(
        reverse("indicateurs:statut", args=[CLS, 2024]),
        {"version": suivi.version, "transition": "renvoyer", "motif": "Deux lignes à revoir",
         "lignes": [f"i{i1.pk}", f"a{action.pk}", "i999999"]},
        follow=True,
    )  # fmt: skip
    assert "renvoyée pour correction" in texte_page(reponse)
    suivi.refresh_from_db()
    assert suivi.lignes_a_corriger == [f"i{i1.pk}", f"a{action.pk}"]
    texte = texte_page(client.get(reverse("indicateurs:grille", args=[CLS, 2024])))
    assert "2 lignes désignées, surlignées ci-dessous" in texte
    assert f'id="ligne-i{i1.pk}" class="a-corriger"' in texte
    assert texte.count('<span class="badge text-bg-warning">à corriger</span>') == 2


def test_la_vue_de_l_etat_montre_valeurs_taux_et_recits_en_texte(cls):
    client = client_de("metropole")
    client.post(
        reverse("indicateurs:grille", args=[CLS, 2024]), grille_complete(client, cls, 2024) | {"soumettre": ""}
    )
    texte = texte_page(client_de("ddets").get(reverse("indicateurs:grille", args=[CLS, 2024])))
    assert "Lecture seule" in texte
    assert "100 % atteinte" in texte.replace("\u00a0", " ")
    assert "Résultats de l'action 1." in texte
    assert '<input type="text" name="v' not in texte  # des valeurs en texte, pas des champs grisés
    assert RecitAction.objects.filter(annee=2024).count() == Action.objects.du_contrat(cls).count()
    assert Decimal(1)  # (les taux viennent de indicateurs/selectors.py, comme partout)


def test_non_disponible_se_lit_partout_comme_tel(cls):
    """Page de l'indicateur, classeur, rapport : « non disponible », jamais 0 ni une case vide ; le décompte le dit."""
    from io import BytesIO

    from openpyxl import load_workbook

    client = client_de("metropole")
    i1 = Indicateur.objects.du_contrat(cls).filter(nature="quantitatif").first()
    envoi = formulaire(client, 2024, **{f"n{i1.pk}": "on", f"c{i1.pk}": "Enquête annulée"})
    assert "enregistrée" in texte_page(enregistrer(client, 2024, envoi))
    assert "non disponible" in texte_page(client.get(reverse("indicateurs:detail", args=[CLS, i1.pk])))
    classeur = load_workbook(BytesIO(client.get(reverse("indicateurs:xlsx", args=[CLS])).content))
    assert any(c.value == "non disponible" for ligne in classeur.active.iter_rows() for c in ligne)
    rapport = texte_page(client.get(reverse("rapports:apercu", args=[CLS, "annuel-2024"])))
    assert "1 valeur non disponible" in rapport, rapport[rapport.find("En 2024") :][:400]
    assert '<td class="n">non disponible</td>' in rapport


def test_une_saisie_illisible_est_renvoyee_sans_erreur_serveur(cls):
    client = client_de("metropole")
    i1, i2 = list(Indicateur.objects.du_contrat(cls).filter(nature="quantitatif"))[:2]
    reponse = client.post(
        reverse("indicateurs:grille", args=[CLS, 2025]),
        formulaire(client, 2025, **{f"v{i1.pk}": "12abc", f"v{i2.pk}": "42"}),
    )
    assert reponse.status_code == 200
    assert "« 12abc » n'est pas un nombre valide" in texte_page(reponse)
    assert not Realisation.objects.filter(annee=2025).exists()
