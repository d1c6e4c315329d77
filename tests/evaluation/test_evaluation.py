"""Évaluation à mi-parcours d'une action : saisie par la collectivité, pièces justificatives rangées avec le contrat,
examen par l'État (renvoi commenté, validation, verrou), historique ; export national d'un seul classeur."""

from io import BytesIO

from django.urls import reverse
from openpyxl import load_workbook

from actions.models import Action
from documents.models import Document
from evaluation.models import EvaluationAction
from notifications.enums import TypeNotification
from notifications.models import Notification
from tests.conftest import CLS
from tests.documents.fichiers import PDF, pdf
from tests.outils import client_pour, page

CHAMPS = {
    "questions": "L'action a-t-elle réduit le non-recours ?",
    "methodes": "Données de suivi et entretiens avec 12 bénéficiaires",
    "constats": "Hausse des ouvertures de droits",
    "recommandation": "Étendre aux quartiers de veille",
}


def _action():
    return Action.objects.filter(contrat__slug=CLS).order_by("ordre").first()


def _url(nom, action, *args):
    return reverse(f"evaluation:{nom}", args=[CLS, action.numero, *args])


def _version(action) -> int:
    evaluation = EvaluationAction.objects.filter(action=action).first()
    return evaluation.version if evaluation else 1


def _statut(client, action, transition, motif=""):
    donnees = {"version": _version(action), "transition": transition, "motif": motif}
    return client.post(_url("statut", action), donnees, follow=True)


def test_circuit_saisie_renvoi_commente_correction_validation():
    action = _action()
    metropole = client_pour("metropole")
    # Soumettre une évaluation incomplète : refusé, rien n'est écrit.
    reponse = _statut(metropole, action, "soumettre")
    assert "L'évaluation ne peut pas être soumise : renseignez questions évaluatives" in page(reponse)
    assert not EvaluationAction.objects.exists()

    assert metropole.post(_url("action", action), {"version": 1, **CHAMPS}).status_code == 302
    evaluation = EvaluationAction.objects.get(action=action)
    assert evaluation.constats == "Hausse des ouvertures de droits" and evaluation.modifie_par.username == "metropole"
    assert (
        metropole.post(_url("piece", action), {"titre": "Entretiens", "fichier": pdf("entretiens.pdf")}).status_code
        == 302
    )
    piece = Document.objects.get(action=action)
    assert piece.contrat.slug == CLS and piece.get_nature_display().startswith("Pièce justificative")
    assert "Soumis" not in page(metropole.get(_url("action", action)))
    assert "Évaluation de l'action 1 soumise à l'examen de l'État." in page(_statut(metropole, action, "soumettre"))
    # Comme pour les valeurs annuelles, l'État est prévenu (boîte de réception et courriel).
    soumission = Notification.objects.get(destinataire__username="ddets", type=TypeNotification.EVALUATION)
    assert "évaluation de l'action 1 soumise à l'examen de l'État" in soumission.titre
    assert soumission.lien == _url("action", action)

    # Soumise : la collectivité n'y écrit plus, ni les champs ni les pièces.
    reponse = metropole.post(_url("action", action), {"version": _version(action), **CHAMPS, "constats": "x"})
    assert reponse.status_code == 200 and "est soumise à l'examen de l'État : elle n'est plus modifiable" in page(
        reponse
    )
    metropole.post(_url("piece", action), {"fichier": pdf("autre.pdf")})
    assert Document.objects.filter(action=action).count() == 1
    # La collectivité ne valide pas ; l'État ne saisit pas.
    assert _statut(metropole, action, "valider").status_code == 403
    ddets = client_pour("ddets")
    assert ddets.post(_url("action", action), {"version": _version(action), **CHAMPS}).status_code == 403

    # Renvoi sans commentaire refusé ; avec commentaire, l'évaluation revient à la collectivité.
    assert "obligatoire pour renvoyer" in page(_statut(ddets, action, "renvoyer"))
    assert EvaluationAction.objects.get(action=action).statut == "soumis"
    _statut(ddets, action, "renvoyer", "Préciser le nombre de bénéficiaires interrogés")
    renvoi = Notification.objects.get(destinataire__username="metropole", titre__contains="renvoyée")
    assert "Motif : Préciser le nombre de bénéficiaires interrogés" in renvoi.texte
    texte = page(metropole.get(_url("action", action)))
    assert "À corriger" in texte and "Préciser le nombre de bénéficiaires interrogés" in texte
    metropole.post(_url("action", action), {"version": _version(action), **CHAMPS, "methodes": "12 entretiens"})
    _statut(metropole, action, "soumettre")
    assert "Évaluation de l'action 1 validée." in page(_statut(ddets, action, "valider"))
    evaluation = EvaluationAction.objects.get(action=action)
    assert (evaluation.statut, evaluation.methodes, evaluation.statut_par.username) == (
        "valide",
        "12 entretiens",
        "ddets",
    )

    # Validée : la pièce ne se retire plus ; l'historique garde chaque étape, motif compris.
    retrait = metropole.post(_url("piece_supprimer", action, piece.pk), follow=True)
    assert "a été validée par Claire Démo" in page(retrait) and Document.objects.filter(pk=piece.pk).exists()
    motifs = list(EvaluationAction.history.filter(id=evaluation.pk).values_list("history_change_reason", flat=True))
    assert "Préciser le nombre de bénéficiaires interrogés" in motifs and "Évaluation validée" in motifs
    # … et la page d'historique du contrat les montre, comme les valeurs annuelles.
    historique = page(metropole.get(reverse("pilotage:historique", args=[CLS])))
    assert "Évaluation à mi-parcours – action 1" in historique and "12 entretiens" in historique
    assert "Préciser le nombre de bénéficiaires interrogés" in historique and "Pièce justificative" in historique


def test_deux_onglets_ne_s_ecrasent_pas(connecte):
    action = _action()
    metropole = connecte("metropole")
    metropole.post(_url("action", action), {"version": 1, **CHAMPS})
    reponse = metropole.post(_url("action", action), {"version": 1, **CHAMPS, "constats": "autre"})
    assert reponse.status_code == 200 and "modifiée entre-temps par vous-même" in page(reponse)
    assert EvaluationAction.objects.get(action=action).constats == CHAMPS["constats"]


def test_une_piece_se_retire_depuis_l_evaluation_apres_confirmation(connecte):
    action = _action()
    metropole = connecte("metropole")
    metropole.post(_url("piece", action), {"fichier": pdf("grille.pdf")})
    piece = Document.objects.get(action=action)
    # Pas depuis la liste des documents du contrat : le verrou de l'évaluation s'appliquerait mal.
    assert metropole.post(reverse("documents:supprimer", args=[CLS, piece.pk])).status_code == 302
    assert Document.objects.filter(pk=piece.pk).exists()
    assert "Retirer la pièce « grille.pdf » ?" in page(metropole.get(_url("piece_supprimer", action, piece.pk)))
    metropole.post(_url("piece_supprimer", action, piece.pk))
    assert not Document.objects.filter(pk=piece.pk).exists()


def test_une_piece_trop_lourde_est_refusee_des_l_envoi_celle_a_la_limite_deposee(connecte, settings):
    settings.DOCUMENTS_TAILLE_MAX_MO = 1
    action = _action()
    metropole = connecte("metropole")
    lourde = pdf("enquete.pdf", PDF + b"0" * (1024 * 1024 + 1 - len(PDF)))
    reponse = metropole.post(_url("piece", action), {"titre": "Enquête", "fichier": lourde}, follow=True)
    assert (
        "La pièce n'a pas été déposée : « enquete.pdf » pèse plus de 1 Mo : la taille maximale d'un document est de "
        "1 Mo." in page(reponse)
    )
    assert not Document.objects.filter(action=action).exists()
    a_la_limite = pdf("enquete.pdf", PDF + b"0" * (1024 * 1024 - len(PDF)))
    assert metropole.post(_url("piece", action), {"fichier": a_la_limite}).status_code == 302
    assert Document.objects.get(action=action).taille == 1024 * 1024


def test_export_national_un_classeur_de_toutes_les_actions(connecte):
    action = _action()
    metropole = connecte("metropole")
    metropole.post(_url("action", action), {"version": 1, **CHAMPS, "constats": "=1+1 reste du texte"})
    metropole.post(_url("piece", action), {"titre": "Entretiens", "fichier": pdf("entretiens.pdf")})
    national = connecte("national")
    assert reverse("national:evaluations_xlsx") in page(national.get(reverse("national:tableau")))
    reponse = national.get(reverse("national:evaluations_xlsx") + "?annee=2025")
    classeur = load_workbook(BytesIO(reponse.content))
    feuille = classeur["Évaluations par action"]
    entetes = [c.value for c in feuille[5]]
    lignes = [dict(zip(entetes, [c.value for c in ligne], strict=True)) for ligne in feuille.iter_rows(min_row=6)]
    cls = [ligne for ligne in lignes if ligne["Contrat"].startswith("Contrat local des solidarités")]
    assert len(cls) == Action.objects.filter(contrat__slug=CLS).count()
    saisie = next(ligne for ligne in cls if ligne["Action"] == action.numero)
    assert saisie["Statut"] == "Brouillon" and saisie["Constats"] == "=1+1 reste du texte"  # jamais une formule
    assert saisie["Pièces justificatives"] == "Entretiens (entretiens.pdf)"
    assert {ligne["Statut"] for ligne in cls if ligne is not saisie} == {"Non saisie"}


def test_export_national_reserve_aux_lecteurs_nationaux(connecte):
    assert connecte("metropole").get(reverse("national:evaluations_xlsx")).status_code == 403
