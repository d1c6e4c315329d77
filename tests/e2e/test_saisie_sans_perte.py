"""Rien de ce qu'on tape n'est perdu, dans le vrai navigateur (issue 9) : modifier puis soumettre, deux onglets aux
saisies disjointes, deux onglets sur le même champ (choix obligatoire, même après un second clic), avertissement
avant de quitter ; soumission incomplète refusée ; grille à 375 px sans débordement ; vue de l'État, fil de
commentaires et renvoi qui désigne deux lignes."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from playwright.sync_api import expect

from actions.models import Action
from indicateurs.enums import StatutSuivi
from indicateurs.models import Commentaire, Indicateur, Realisation, RecitAction, SuiviAnnuel
from tests.e2e.conftest import annee_presque_complete, grille_url, message, texte_normalise

pytestmark = pytest.mark.e2e


def cliquer(page, selecteur):
    """Clique un bouton après l'avoir amené au milieu de l'écran (hors de la barre d'actions collante du bas)."""
    bouton = page.locator(selecteur)
    bouton.evaluate("e => e.scrollIntoView({block: 'center'})")
    bouton.click()


def premier_chiffre(cls, rang=0):
    return [i for i in Indicateur.objects.du_contrat(cls) if not i.est_qualitatif][rang]


def test_modifier_puis_soumettre_enregistre_d_abord(ouvrir, cls):
    i = premier_chiffre(cls)
    annee_presque_complete(cls, 2025, sauf=i)
    page = ouvrir("metropole")
    page.goto(grille_url(2025))
    page.fill(f"#id_v{i.pk}", "451")
    page.fill(f"#id_c{i.pk}", "Tapé juste avant de soumettre")
    page.get_by_role("button", name="Soumettre à la validation de l'État").click()
    expect(message(page)).to_contain_text("et soumise à la validation de l'État")
    expect(page.locator("#statut")).to_contain_text("Statut : Soumis")
    r = Realisation.objects.get(indicateur=i, annee=2025)
    assert (r.valeur, r.commentaire) == (451, "Tapé juste avant de soumettre")


def test_une_soumission_incomplete_est_refusee_sans_rien_perdre(ouvrir, cls):
    i = premier_chiffre(cls)
    page = ouvrir("metropole")
    page.goto(grille_url(2025))
    page.fill(f"#id_v{i.pk}", "12")
    page.get_by_role("button", name="Soumettre à la validation de l'État").click()
    expect(message(page, "danger")).to_contain_text("L'année ne peut pas être soumise")
    expect(message(page, "danger")).to_contain_text("les résultats obtenus ne sont pas décrits")
    expect(page.locator(f"#id_v{i.pk}")).to_have_value("12")  # la saisie reste à l'écran
    assert not Realisation.objects.filter(indicateur=i, annee=2025).exists()
    assert not SuiviAnnuel.objects.filter(contrat=cls, annee=2025, statut=StatutSuivi.SOUMIS).exists()


def test_deux_onglets_aux_saisies_disjointes_gardent_les_deux(ouvrir, cls):
    i1, i2 = premier_chiffre(cls, 0), premier_chiffre(cls, 1)
    a = ouvrir("metropole")
    b = a.context.new_page()  # le même utilisateur, un autre onglet
    a.goto(grille_url(2026))
    b.goto(grille_url(2026))
    a.fill(f"#id_v{i1.pk}", "100")
    a.get_by_role("button", name="Enregistrer la saisie 2026").click()
    expect(message(a)).to_contain_text("Saisie 2026 enregistrée : 1 modification(s).")
    b.fill(f"#id_v{i2.pk}", "200")
    b.get_by_role("button", name="Enregistrer la saisie 2026").click()
    expect(message(b)).to_contain_text("Saisie 2026 enregistrée")
    expect(b.locator("main > div.alert-info")).to_contain_text("vous-même")
    expect(b.locator(f"#id_v{i1.pk}")).to_have_value("100")
    valeurs = dict(Realisation.objects.filter(annee=2026, indicateur__in=[i1, i2]).values_list("indicateur", "valeur"))
    assert valeurs == {i1.pk: 100, i2.pk: 200}


def test_deux_onglets_sur_le_meme_champ_demandent_un_choix(ouvrir, cls):
    i = premier_chiffre(cls)
    a = ouvrir("metropole")
    b = ouvrir("admin")
    a.goto(grille_url(2026))
    b.goto(grille_url(2026))
    b.fill(f"#id_v{i.pk}", "121")
    b.fill(f"#id_c{i.pk}", "Chiffre du bilan MPDM")
    b.get_by_role("button", name="Enregistrer la saisie 2026").click()
    expect(message(b)).to_contain_text("Saisie 2026 enregistrée")

    a.fill(f"#id_v{i.pk}", "119")
    a.get_by_role("button", name="Enregistrer la saisie 2026").click()
    expect(message(a, "danger")).to_contain_text("rien n'a été enregistré")
    conflit = a.locator(f"#conflit-v{i.pk}")
    expect(conflit).to_contain_text("Votre saisie : 119")
    expect(conflit).to_contain_text(": 121")
    expect(a.locator(f"#id_v{i.pk}")).to_have_value("119")
    expect(a.locator(f"#id_c{i.pk}")).to_have_value("Chiffre du bilan MPDM")  # changé d'un seul côté : repris
    # Second clic sans choisir : refusé, rien n'est écrasé.
    a.get_by_role("button", name="Enregistrer la saisie 2026").click()
    expect(a.locator(f"#conflit-v{i.pk}")).to_contain_text("Choisissez la valeur à garder")
    r = Realisation.objects.get(indicateur=i, annee=2026)
    assert (r.valeur, r.commentaire) == (121, "Chiffre du bilan MPDM")
    a.get_by_label("Prendre la valeur enregistrée").check()
    a.get_by_role("button", name="Enregistrer la saisie 2026").click()
    expect(message(a)).to_contain_text("Saisie 2026 enregistrée")
    r.refresh_from_db()
    assert (r.valeur, r.commentaire) == (121, "Chiffre du bilan MPDM")


def test_quitter_une_page_modifiee_demande_confirmation(ouvrir, cls):
    i = premier_chiffre(cls)
    page = ouvrir("metropole")
    page.goto(grille_url(2026))
    page.locator(f"#id_v{i.pk}").press_sequentially("42")
    dialogues = []

    def garder(dialogue):
        dialogues.append(dialogue.type)
        dialogue.dismiss()

    page.on("dialog", garder)
    page.close(run_before_unload=True)
    page.wait_for_timeout(500)
    assert dialogues == ["beforeunload"]
    assert not page.is_closed()
    expect(page.locator(f"#id_v{i.pk}")).to_have_value("42")


def test_la_grille_tient_dans_375_pixels(ouvrir, cls):
    page = ouvrir("metropole")
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(grille_url(2026))
    largeur = page.evaluate("document.documentElement.scrollWidth")
    assert largeur <= 375, largeur
    assert page.evaluate("getComputedStyle(document.body).overflowX") != "hidden"
    for champ in page.locator("#grille input:not([type=hidden]), #grille textarea, #grille select").all()[:12]:
        champ.scroll_into_view_if_needed()
        boite = champ.bounding_box()
        assert boite and boite["x"] >= 0 and boite["x"] + boite["width"] <= 375, boite
    expect(page.get_by_role("button", name="Enregistrer la saisie 2026")).to_be_visible()


def test_les_pages_de_l_execution_tiennent_dans_375_pixels(ouvrir, cls):
    """Les tableaux larges défilent dans leur cadre ; la page elle-même ne défile pas de côté (les textes pour
    lecteurs d'écran de leurs en-têtes l'élargissaient jusqu'à 809 px)."""
    page = ouvrir("finances")
    page.set_viewport_size({"width": 375, "height": 800})
    for nom, args in (("finances:execution_grille", [cls.slug, 2026]), ("finances:versements", [cls.slug])):
        page.goto(reverse(nom, args=args))
        largeur = page.evaluate("document.documentElement.scrollWidth")
        assert largeur <= 375, (nom, largeur)


def test_revue_de_l_etat_fil_de_commentaires_et_renvoi_sur_deux_lignes(ouvrir, cls):
    annee_presque_complete(cls, 2024)
    suivi = SuiviAnnuel.objects.get(contrat=cls, annee=2024)
    from indicateurs.services import suivi_changer_statut

    suivi_changer_statut(user=get_user_model().objects.get(username="metropole"), suivi=suivi,
                         version=suivi.version, transition="soumettre")  # fmt: skip
    i = premier_chiffre(cls)
    action = Action.objects.du_contrat(cls).last()

    metropole = ouvrir("metropole")
    metropole.goto(grille_url(2024))
    metropole.locator(f"#fil-i{i.pk} summary").click()  # le fil vide est replié
    metropole.fill(f"#texte-i{i.pk}", "Chiffre provisoire, à confirmer.")
    cliquer(metropole, f"button[name=ligne][value=i{i.pk}]")
    expect(message(metropole)).to_contain_text("Commentaire ajouté au fil.")

    ddets = ouvrir("ddets")
    ddets.goto(grille_url(2024))
    expect(ddets.locator("#lecture-seule")).to_contain_text("Lecture seule")
    ligne = ddets.locator(f"#ligne-i{i.pk}")
    expect(ligne).to_contain_text("100 % atteinte")
    expect(ddets.locator(f"#fil-i{i.pk}")).to_contain_text("Chiffre provisoire, à confirmer.")
    assert ddets.locator(f"#ligne-i{i.pk} input[name^=v]").count() == 0  # du texte, pas des champs grisés
    ddets.fill(f"#texte-i{i.pk}", "Quelle source ?")
    cliquer(ddets, f"button[name=ligne][value=i{i.pk}]")
    expect(message(ddets)).to_contain_text("Commentaire ajouté au fil.")
    ddets.locator(f"input[name=lignes][value=i{i.pk}]").check()
    ddets.locator(f"input[name=lignes][value=a{action.pk}]").check()
    ddets.fill("#motif-renvoi", "Deux lignes à revoir")
    ddets.get_by_role("button", name="Renvoyer pour correction").click()
    expect(message(ddets)).to_contain_text("renvoyée pour correction")

    metropole.goto(grille_url(2024))
    expect(metropole.locator("#statut")).to_contain_text("2 lignes désignées")
    expect(metropole.locator(f"#ligne-i{i.pk}")).to_have_class("a-corriger")
    expect(metropole.locator(f"#ligne-a{action.pk}")).to_have_class("recit a-corriger")
    fil = texte_normalise(metropole.locator(f"#fil-i{i.pk}").inner_text())
    assert fil.index("Chiffre provisoire") < fil.index("Quelle source ?")
    metropole.fill(f"#texte-i{i.pk}", "Source : bilan MPDM.")
    cliquer(metropole, f"button[name=ligne][value=i{i.pk}]")
    expect(message(metropole)).to_contain_text("Commentaire ajouté au fil.")
    assert [c.auteur.username for c in Commentaire.objects.filter(indicateur=i, annee=2024)] == [
        "metropole", "ddets", "metropole"
    ]  # fmt: skip
    assert RecitAction.objects.filter(annee=2024).exists() and Decimal(1)


def test_une_valeur_tres_eloignee_sans_commentaire_est_signalee_puis_refusee(ouvrir, cls):
    i = next(
        i for i in Indicateur.objects.du_contrat(cls)
        if not i.est_qualitatif and i.cibles.filter(annee=2025, nd=False, valeur__gt=0).exists()
    )  # fmt: skip
    cible = i.cibles.get(annee=2025).valeur
    annee_presque_complete(cls, 2025, sauf=i)
    page = ouvrir("metropole")
    page.goto(grille_url(2025))
    page.fill(f"#id_v{i.pk}", str(int(cible) * 100))
    ecart = page.locator(f"#ligne-i{i.pk} [data-ecart]")
    expect(ecart).to_contain_text("est très loin de la cible")  # en direct, avant tout envoi
    page.get_by_role("button", name="Soumettre à la validation de l'État").click()
    expect(message(page, "danger")).to_contain_text("un commentaire est nécessaire")
    assert SuiviAnnuel.objects.get(contrat=cls, annee=2025).statut != StatutSuivi.SOUMIS
    page.fill(f"#id_c{i.pk}", "Nouveau quartier couvert")
    expect(ecart).to_have_text("")
    page.get_by_role("button", name="Soumettre à la validation de l'État").click()
    expect(message(page)).to_contain_text("et soumise à la validation de l'État")
