"""La démonstration vécue : le contrat FICTIF de Valcourt, chargé par les services, à ses dates ; marqué fictif sur
chaque page, feuille de classeur et page de PDF (documents déposés compris) ; vu de ses seuls comptes (et d'`admin`) ;
les contrats réels intacts."""

import datetime
import re
from decimal import Decimal
from io import BytesIO

import pytest
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from contrats.models import Contrat, Deliberation
from documents.enums import NatureDocument
from documents.models import Document
from evaluation.models import EvaluationAction
from finances.models import Avenant, Execution, LigneBudgetaire, Versement
from finances.selectors import execution_du_contrat
from indicateurs.enums import StatutSuivi
from indicateurs.models import Cible, Commentaire, Realisation, RecitAction, SuiviAnnuel
from pilotage.demo_fictive import MENTION_DOCUMENT, demo_fictive_charger
from rapports.cles import cles_du_contrat
from rapports.models import DeliberationRapport, VersionRapport
from tests.conftest import CALPAE, CLS, CONTRAT_DE_VILLE
from tests.outils import CONNEXION, client_pour, normaliser, page, texte_page, texte_pdf, verifier

FICTIF = "valcourt-cls-2024-2027"
BANDEAU = "Contrat fictif — données de démonstration"
MENTION = "FICTIF — données de démonstration"
COMPTES_FICTIFS = ["valcourt-metropole", "valcourt-ddets", "valcourt-finances", "valcourt-secretariat",
                   "valcourt-lecteur"]  # fmt: skip
COMPTES_DIJON = ["admin", "ddets", "metropole", "finances", "secretariat", "lecteur", "autre-territoire"]


@pytest.fixture
def demo(pdf_factice):
    """Le contrat fictif chargé, PDF remplacé par des octets fixes (la mise en page est testée à part)."""
    return demo_fictive_charger().contrat


def _comptes_du_contrat(contrat) -> dict:
    return {
        "realisations": Realisation.objects.filter(indicateur__action__contrat=contrat).count(),
        "recits": RecitAction.objects.filter(action__contrat=contrat).count(),
        "commentaires": Commentaire.objects.filter(contrat=contrat).count(),
        "suivis": SuiviAnnuel.objects.filter(contrat=contrat).count(),
        "executions": Execution.objects.filter(action__contrat=contrat).count(),
        "versements": Versement.objects.filter(contrat=contrat).count(),
        "avenants": Avenant.objects.filter(contrat=contrat).count(),
        "lignes": LigneBudgetaire.objects.filter(action__contrat=contrat).count(),
        "versions": VersionRapport.objects.filter(contrat=contrat).count(),
        "votes": DeliberationRapport.objects.filter(contrat=contrat).count(),
        "historique_valeurs": Realisation.history.filter(indicateur__action__contrat=contrat).count(),
        "historique_suivis": SuiviAnnuel.history.filter(contrat=contrat).count(),
        "documents": Document.objects.filter(contrat=contrat).count(),
        "pieces": Document.objects.filter(action__contrat=contrat).count(),
        "evaluations": EvaluationAction.objects.filter(action__contrat=contrat).count(),
        "historique_evaluations": EvaluationAction.history.filter(action__contrat=contrat).count(),
    }


# --- Chargement ----------------------------------------------------------------------------------------------------


def test_le_chargement_est_idempotent(demo):
    avant = _comptes_du_contrat(demo)
    utilisateurs = get_user_model().objects.count()
    second = demo_fictive_charger()
    assert not second.cree and second.contrat.pk == demo.pk
    assert _comptes_du_contrat(demo) == avant
    assert get_user_model().objects.count() == utilisateurs
    assert Contrat.objects.filter(fictif=True).count() == 1


def test_reinitialiser_recharge_le_meme_cycle(demo):
    avant = _comptes_du_contrat(demo)
    recharge = demo_fictive_charger(reinitialiser=True)
    assert recharge.cree and recharge.contrat.pk != demo.pk
    assert _comptes_du_contrat(recharge.contrat) == avant
    assert not Contrat.objects.filter(pk=demo.pk).exists()


def test_reinitialiser_efface_les_fichiers_deposes(demo, django_capture_on_commit_callbacks):
    anciens = list(Document.objects.filter(contrat=demo).values_list("fichier", flat=True))
    assert len(anciens) == 4 and all(default_storage.exists(nom) for nom in anciens)
    with django_capture_on_commit_callbacks(execute=True):
        recharge = demo_fictive_charger(reinitialiser=True)
    assert not any(default_storage.exists(nom) for nom in anciens)
    nouveaux = list(Document.objects.filter(contrat=recharge.contrat).values_list("fichier", flat=True))
    assert len(nouveaux) == 4 and all(default_storage.exists(nom) for nom in nouveaux)


def test_un_contrat_reel_n_est_jamais_ecrase_ni_efface():
    from django.core.exceptions import ValidationError

    from pilotage.demo_fictive import contrat_fictif_effacer

    with pytest.raises(ValidationError):
        contrat_fictif_effacer(slug=CLS)
    assert Contrat.objects.filter(slug=CLS).exists()


# --- Le cycle vécu -------------------------------------------------------------------------------------------------


def _paris(*args) -> datetime.datetime:
    from django.utils import timezone

    return timezone.make_aware(datetime.datetime(*args))


def test_deux_annees_validees_apres_un_renvoi(demo):
    suivis = {s.annee: s for s in SuiviAnnuel.objects.filter(contrat=demo)}
    assert suivis[2024].statut == StatutSuivi.VALIDE and suivis[2025].statut == StatutSuivi.VALIDE
    assert suivis[2024].statut_le == _paris(2025, 3, 12, 14, 0)
    assert suivis[2024].statut_par.get_full_name() == "Hugo Hypothèse"
    parcours = list(
        SuiviAnnuel.history.filter(contrat=demo, annee=2024).order_by("history_date").values_list("statut", flat=True)
    )
    assert parcours == ["brouillon", "soumis", "a_corriger", "soumis", "valide"]
    renvoi = SuiviAnnuel.history.get(contrat=demo, annee=2024, statut=StatutSuivi.A_CORRIGER)
    assert len(renvoi.lignes_a_corriger) == 2 and renvoi.history_user.username == "valcourt-ddets"
    assert "action 2" in renvoi.history_change_reason


def test_valeurs_corrigees_commentees_et_datees(demo):
    enfants = Realisation.objects.get(indicateur__action__contrat=demo, indicateur__action__numero="2", annee=2024)
    assert enfants.valeur == Decimal("262")
    versions = list(Realisation.history.filter(id=enfants.pk).order_by("history_date"))
    assert [v.valeur for v in versions] == [Decimal("286"), Decimal("262")]
    assert [v.history_date.date() for v in versions] == [datetime.date(2025, 2, 10), datetime.date(2025, 3, 4)]
    assert Commentaire.objects.filter(contrat=demo, annee=2024).count() == 2
    assert Commentaire.objects.filter(contrat=demo, annee=2025).count() == 2
    # L'historique se lit comme un cycle vécu : rien n'est daté du jour du chargement.
    dates = Realisation.history.filter(indicateur__action__contrat=demo).values_list("history_date", flat=True)
    assert {d.year for d in dates} == {2025, 2026} and max(dates) < _paris(2026, 4, 1)


def test_cibles_atteintes_et_manquees_et_nd_fixee_par_avenant(demo):
    sorties = Cible.objects.get(
        indicateur__action__contrat=demo, indicateur__action__numero="3", indicateur__ordre=1, annee=2025
    )
    assert not sorties.nd and sorties.valeur == Decimal("40")
    assert sorties.history.latest().history_change_reason.startswith("Avenant : Avenant n°1")
    assert Cible.objects.get(indicateur=sorties.indicateur, annee=2024).nd  # 2024 reste « nd » : jamais fixée
    assert Cible.history.filter(indicateur__action__contrat=demo).earliest().history_date == _paris(2024, 4, 18, 9)
    atteintes = manquees = 0
    for r in Realisation.objects.filter(indicateur__action__contrat=demo, valeur__isnull=False):
        cible = Cible.objects.get(indicateur=r.indicateur, annee=r.annee)
        if cible.nd:
            continue
        if r.valeur >= cible.valeur:
            atteintes += 1
        else:
            manquees += 1
    assert atteintes and manquees


def test_execution_avenant_versements(demo):
    avenant = Avenant.objects.get(contrat=demo)
    assert avenant.numero == 1 and avenant.date == datetime.date(2025, 6, 12)
    assert avenant.lignes.count() == 6
    execution = execution_du_contrat(demo, [2024, 2025])
    sous = execution.sous_consommations
    assert len(sous) == 1
    assert (sous[0].action.numero, sous[0].annee, sous[0].financeur) == ("3", 2024, "etat")
    assert "Poste de conseiller" in sous[0].justification and not execution.non_justifiees
    assert execution.budget_total(2025).saisi
    versements = Versement.objects.filter(contrat=demo)
    assert versements.count() == 8
    assert sum(v.montant for v in versements.filter(annee=2025)) == Decimal("220000")


def test_vote_et_rapport_a_mi_parcours_fige_puis_transmis(demo):
    vote = DeliberationRapport.objects.get(contrat=demo)
    assert (vote.deliberation.pour, vote.deliberation.abstention) == (41, 4)
    assert vote.deliberation.date == datetime.date(2026, 3, 19)
    version = VersionRapport.objects.get(contrat=demo)
    assert version.transmise and version.transmise_par.username == "valcourt-secretariat"
    assert version.cree_le == _paris(2026, 3, 23, 10, 0)
    assert version.transmise_le == datetime.date(2026, 3, 24)  # la date réelle de la transmission
    echeance = demo.echeances.get(type="rapport_mi_parcours")
    assert echeance.realisee_le == datetime.date(2026, 3, 24) <= echeance.date


def test_les_contrats_reels_restent_tels_que_signes(demo):
    for slug in (CLS, CALPAE, CONTRAT_DE_VILLE):
        contrat = Contrat.objects.get(slug=slug)
        assert not contrat.fictif
        assert not Realisation.objects.filter(indicateur__action__contrat=contrat).exists()
        assert not Execution.objects.filter(action__contrat=contrat).exists()
        assert not Versement.objects.filter(contrat=contrat).exists()
        assert not VersionRapport.objects.filter(contrat=contrat).exists()
        assert not Document.objects.filter(contrat=contrat).exists()
        assert not EvaluationAction.objects.filter(action__contrat=contrat).exists()
    assert not Deliberation.objects.filter(contrat__slug=CLS, rapport_approuve__isnull=False).exists()


# --- Documents et évaluation à mi-parcours --------------------------------------------------------------------------


def _lu(reponse) -> str:
    """Le texte de la page tel qu'on le lit : sans balises, blancs normalisés."""
    return normaliser(re.sub(r"<[^>]+>", "", page(reponse)))


def test_documents_listes_et_telechargeables(demo):
    """Le contrat signé, l'avenant et la délibération, déposés à leur date par leur auteur, et la pièce justificative
    de l'évaluation de l'action 4 : listés sur la page des documents, chacun téléchargeable tel que déposé."""
    client = client_pour("valcourt-metropole")
    texte = _lu(client.get(reverse("documents:liste", args=[FICTIF])))
    documents = {d.nature: d for d in Document.objects.filter(contrat=demo).select_related("depose_par", "action")}
    assert set(documents) == {NatureDocument.CONTRAT_SIGNE, NatureDocument.AVENANT, NatureDocument.DELIBERATION,
                              NatureDocument.PIECE_JUSTIFICATIVE}  # fmt: skip
    attendus = {
        NatureDocument.CONTRAT_SIGNE: ("valcourt-metropole", _paris(2024, 4, 25, 10, 0)),
        NatureDocument.AVENANT: ("valcourt-finances", _paris(2025, 6, 12, 11, 40)),
        NatureDocument.DELIBERATION: ("valcourt-secretariat", _paris(2026, 3, 20, 9, 30)),
        NatureDocument.PIECE_JUSTIFICATIVE: ("valcourt-metropole", _paris(2026, 4, 14, 10, 45)),
    }
    for nature, (auteur, depose_le) in attendus.items():
        document = documents[nature]
        assert (document.depose_par.username, document.depose_le) == (auteur, depose_le), nature
        assert document.titre in texte and document.nom in texte and "(fictif)" in document.titre
        assert document.nom.endswith("-fictif.pdf") and document.type_mime == "application/pdf"
        reponse = client.get(reverse("documents:telecharger", args=[FICTIF, document.pk]))
        assert reponse.status_code == 200 and reponse["Content-Type"] == "application/pdf"
        assert document.nom in reponse["Content-Disposition"]
        contenu = b"".join(reponse.streaming_content)
        assert contenu.startswith(b"%PDF-") and len(contenu) == document.taille
    assert "Pièce justificative de l'évaluation de l'action 4" in texte
    assert documents[NatureDocument.PIECE_JUSTIFICATIVE].action.numero == "4"


def _statuts_affiches(reponse) -> dict[str, str]:
    """La synthèse de l'évaluation : le statut affiché sur la ligne de chaque action."""
    return dict(re.findall(r"Action (\d+) – [^<]*</a></th>\s*<td>([^<]+)</td>", page(reponse)))


def test_evaluation_a_mi_parcours_montre_le_circuit_entier(demo):
    """Une évaluation validée par l'État, une renvoyée avec son motif puis corrigée et soumise de nouveau, une en
    cours de saisie, les autres non commencées."""
    metropole = client_pour("valcourt-metropole")
    assert _statuts_affiches(metropole.get(reverse("evaluation:synthese", args=[FICTIF]))) == {
        "1": "Brouillon", "2": "Non saisie", "3": "Soumis", "4": "Validé", "5": "Non saisie", "6": "Non saisie",
    }  # fmt: skip

    validee = EvaluationAction.objects.get(action__contrat=demo, action__numero="4")
    assert validee.statut_par.username == "valcourt-ddets" and validee.statut_le == _paris(2026, 4, 28, 14, 0)
    texte = _lu(metropole.get(reverse("evaluation:action", args=[FICTIF, "4"])))
    assert "Statut : Validé — Hugo Hypothèse" in texte and "le 28/04/2026 à 14:00" in texte, texte
    assert "Bilan des permanences itinérantes 2024-2025 (fictif)" in texte and "Lecture seule" in texte

    # Action 3 : le renvoi motivé reste dans l'historique ; corrigée et soumise, elle attend l'examen de l'État.
    soumise = EvaluationAction.objects.get(action__contrat=demo, action__numero="3")
    statuts = [h.statut for h in EvaluationAction.history.filter(id=soumise.pk).order_by("history_date", "history_id")]
    parcours = [s for rang, s in enumerate(statuts) if rang == 0 or s != statuts[rang - 1]]
    assert parcours == ["brouillon", "soumis", "a_corriger", "soumis"]
    renvoi = EvaluationAction.history.filter(id=soumise.pk, statut=StatutSuivi.A_CORRIGER).earliest("history_date")
    assert renvoi.history_user.username == "valcourt-ddets" and renvoi.history_date == _paris(2026, 4, 29, 10, 0)
    assert "emplois durables" in renvoi.motif
    assert "27 en emploi durable" in soumise.constats and soumise.modifie_le == _paris(2026, 5, 5, 11, 0)
    historique = _lu(metropole.get(reverse("pilotage:historique", args=[FICTIF])))
    assert "emplois durables (CDI, CDD de six mois et plus)" in historique
    examen = _lu(client_pour("valcourt-ddets").get(reverse("evaluation:action", args=[FICTIF, "3"])))
    assert "Valider l'évaluation" in examen and "Renvoyer pour correction" in examen

    # Action 1 : en cours de saisie ; la collectivité y écrit encore (constats et recommandation à venir).
    en_cours = EvaluationAction.objects.get(action__contrat=demo, action__numero="1")
    assert en_cours.champs_manquants() == ["constats", "recommandation"]
    assert "Enregistrer l'évaluation" in _lu(metropole.get(reverse("evaluation:action", args=[FICTIF, "1"])))
    assert not EvaluationAction.objects.filter(action__contrat=demo, action__numero__in=["2", "5", "6"]).exists()


def test_le_classeur_national_contient_les_evaluations_du_contrat_fictif(demo):
    # Le contrat fictif est en vigueur en 2026, l'année de l'évaluation à mi-parcours.
    reponse = client_pour("national").get(reverse("national:evaluations_xlsx") + "?annee=2026")
    assert reponse.status_code == 200
    classeur = load_workbook(BytesIO(reponse.content))
    feuille = classeur["Évaluations par action"]
    entetes = [c.value for c in feuille[5]]
    lignes = [dict(zip(entetes, [c.value for c in ligne], strict=True)) for ligne in feuille.iter_rows(min_row=6)]
    fictives = {ligne["Action"]: ligne for ligne in lignes if ligne["Contrat"] == f"{demo.titre} (fictif)"}
    assert {numero: ligne["Statut"] for numero, ligne in fictives.items()} == {
        "1": "Brouillon", "2": "Non saisie", "3": "Soumis", "4": "Validé", "5": "Non saisie", "6": "Non saisie",
    }  # fmt: skip
    assert fictives["4"]["Pièces justificatives"] == (
        "Bilan des permanences itinérantes 2024-2025 (fictif) (bilan-permanences-itinerantes-2024-2025-fictif.pdf)"
    )
    assert fictives["4"]["Statut changé par"].startswith("Hugo Hypothèse")
    assert "214 ouvertures de droits" in fictives["4"]["Constats"]
    assert fictives["3"]["Recommandation"].startswith("Organiser chaque trimestre")
    assert fictives["1"]["Constats"] is None and fictives["1"]["Questions évaluatives"]
    synthese = {ligne[1].value: [c.value for c in ligne] for ligne in classeur["Par contrat"].iter_rows(min_row=6)}
    entetes = [c.value for c in classeur["Par contrat"][5]]
    fictif = dict(zip(entetes, synthese[f"{demo.titre} (fictif)"], strict=True))
    assert (fictif["Actions"], fictif["Non saisie"], fictif["Brouillon"], fictif["Soumis"], fictif["Validé"]) == (
        6, 3, 1, 1, 1,
    )  # fmt: skip
    assert fictif["Pièces justificatives"] == 1


# --- Fictif, et dit partout ----------------------------------------------------------------------------------------


def _adresses_de_lecture(contrat) -> list[str]:
    action = contrat.actions.order_by("ordre").first()
    indicateur = action.indicateurs.first()
    return [
        reverse("pilotage:contrat", args=[contrat.slug]),
        reverse("pilotage:action", args=[contrat.slug, action.numero]),
        reverse("pilotage:historique", args=[contrat.slug]),
        reverse("coherence:constats", args=[contrat.slug]),
        reverse("finances:execution", args=[contrat.slug]),
        reverse("indicateurs:grille", args=[contrat.slug, 2024]),
        reverse("indicateurs:detail", args=[contrat.slug, indicateur.pk]),
        reverse("rapports:liste", args=[contrat.slug]),
        reverse("rapports:apercu", args=[contrat.slug, "mi-parcours"]),
        reverse("documents:liste", args=[contrat.slug]),
        reverse("evaluation:synthese", args=[contrat.slug]),
        reverse("evaluation:action", args=[contrat.slug, action.numero]),
    ]


def test_le_bandeau_est_sur_chaque_page_du_contrat_fictif_et_sur_aucune_des_contrats_reels(demo):
    client = client_pour("admin")
    for url in _adresses_de_lecture(demo):
        reponse = client.get(url)
        assert reponse.status_code == 200, url
        assert BANDEAU in texte_page(reponse), url
    for url in _adresses_de_lecture(Contrat.objects.get(slug=CLS)):
        reponse = client.get(url)
        assert reponse.status_code == 200, url
        assert BANDEAU not in texte_page(reponse), url
    assert BANDEAU not in texte_page(client.get(reverse("pilotage:liste")))


def _classeurs(slug) -> list[str]:
    return [
        reverse(nom, args=[slug])
        for nom in ("finances:budget_xlsx", "finances:execution_xlsx", "indicateurs:xlsx", "pilotage:historique_xlsx",
                    "coherence:xlsx")
    ]  # fmt: skip


def test_chaque_feuille_des_classeurs_du_contrat_fictif_porte_la_mention(demo):
    client = client_pour("valcourt-finances")
    for url in _classeurs(FICTIF):
        reponse = client.get(url)
        assert reponse.status_code == 200, url
        classeur = load_workbook(BytesIO(reponse.content))
        for feuille in classeur.worksheets:
            assert MENTION in str(feuille["A2"].value), (url, feuille.title)
    client = client_pour("metropole")
    for url in _classeurs(CLS):
        classeur = load_workbook(BytesIO(client.get(url).content))
        for feuille in classeur.worksheets:
            assert "FICTIF" not in str(feuille["A2"].value), (url, feuille.title)


def test_le_modele_d_import_du_contrat_fictif_porte_la_mention_et_se_reimporte(demo):
    """Le modèle d'import du contrat fictif porte la mention « FICTIF » en A2 comme tout classeur ; l'import le
    reconnaît comme le sien (il refusait son propre modèle : « préparé pour … FICTIF … »)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_pour("valcourt-finances")
    modele = client.get(reverse("finances:modele", args=[FICTIF]))
    assert modele.status_code == 200
    for feuille in load_workbook(BytesIO(modele.content)).worksheets:
        assert MENTION in str(feuille["A2"].value), feuille.title
    reponse = client.post(
        reverse("finances:import", args=[FICTIF]),
        {"type": "execution", "fichier": SimpleUploadedFile("modele.xlsx", modele.content)},
    )
    texte = texte_page(reponse)
    assert reponse.status_code == 200 and "préparé pour" not in texte and "Rien à importer" in texte, texte[:2000]


def test_chaque_page_du_rapport_fige_et_des_documents_deposes_porte_la_mention():
    """Les vrais PDF (WeasyPrint), produits par le chargement : la mention est sur chaque page du rapport figé, en
    tête de la première (couverture sans en-tête) et dans l'en-tête et le pied des suivantes ; chaque document déposé
    dit « DOCUMENT FICTIF » et reprend le texte du fichier de démonstration."""
    contrat = demo_fictive_charger().contrat
    version = VersionRapport.objects.get(contrat=contrat)
    pages = PdfReader(BytesIO(bytes(version.pdf))).pages
    assert len(pages) > 3
    for numero, page_pdf in enumerate(pages, 1):
        assert MENTION.lower() in normaliser(page_pdf.extract_text()).lower(), numero
    client = client_pour("valcourt-lecteur")
    for document in Document.objects.filter(contrat=contrat):
        reponse = client.get(reverse("documents:telecharger", args=[contrat.slug, document.pk]))
        texte = texte_pdf(b"".join(reponse.streaming_content))
        assert texte.startswith(MENTION_DOCUMENT) and document.titre in texte, document.nom
    avenant = texte_pdf(Document.objects.get(contrat=contrat, nature=NatureDocument.AVENANT).fichier.read())
    assert "La participation de l'État pour 2025 est fixée à 220 000 €" in avenant


# --- Qui voit quoi -------------------------------------------------------------------------------------------------

IMPORTEURS = {"finances", "metropole"}
EXAMINATEURS = {"ddets", "metropole"}


def lecture(compte, slug):
    if compte == "anonyme":
        return CONNEXION
    if compte == "admin":
        return 200
    fictif = compte.startswith("valcourt-")
    if slug == FICTIF:
        return 200 if fictif else 404
    if fictif or compte == "autre-territoire" or (compte == "lecteur" and slug != CLS):
        return 404
    return 200


def ecriture(autorises):
    """Sur le contrat fictif, un compte du territoire fictif a les droits de son rôle (« valcourt-finances » ceux
    de « finances ») ; admin a tous les droits."""

    def attendu(compte, slug):
        lu = lecture(compte, slug)
        if lu != 200:
            return lu
        return "ok" if compte == "admin" or compte.removeprefix("valcourt-") in autorises else 403

    return attendu


def cas(contrat):
    slug = contrat.slug
    annee = contrat.annee_debut
    action = contrat.actions.order_by("ordre").first()
    indicateur = action.indicateurs.first()
    budget = ecriture({"finances"})
    saisie = ecriture({"metropole"})
    agents = ecriture({"ddets", "metropole"})
    transmission = ecriture({"secretariat"})
    post_seulement = lambda c, s: CONNEXION if c == "anonyme" else 405  # noqa: E731
    yield "pilotage:contrat", "get", lecture, [slug]
    yield "pilotage:action", "get", lecture, [slug, action.numero]
    yield "pilotage:historique", "get", lecture, [slug]
    yield "pilotage:historique_xlsx", "get", lecture, [slug]
    yield "coherence:constats", "get", lecture, [slug]
    yield "coherence:xlsx", "get", lecture, [slug]
    yield "coherence:constats", "post", ecriture(EXAMINATEURS), [slug]
    yield "finances:budget_xlsx", "get", lecture, [slug]
    yield "finances:execution_xlsx", "get", lecture, [slug]
    yield "finances:execution", "get", lecture, [slug]
    yield "finances:execution", "post", budget, [slug]
    yield "finances:import", "get", ecriture(IMPORTEURS), [slug]
    yield "finances:modele", "get", ecriture(IMPORTEURS), [slug]
    yield "finances:avenant_creer", "get", budget, [slug]
    yield "finances:budget_annee", "get", budget, [slug, annee]
    yield "indicateurs:xlsx", "get", lecture, [slug]
    yield "indicateurs:grille", "get", lecture, [slug, annee]
    yield "indicateurs:grille", "post", saisie, [slug, annee]
    yield "indicateurs:detail", "get", lecture, [slug, indicateur.pk]
    yield "indicateurs:statut", "post", agents, [slug, annee]
    yield "indicateurs:cible", "post", agents, [slug, indicateur.pk, annee]
    yield "indicateurs:commenter", "post", agents, [slug, annee]
    yield "indicateurs:statut", "get", post_seulement, [slug, annee]
    yield "rapports:liste", "get", lecture, [slug]
    yield "documents:liste", "get", lecture, [slug]
    yield "documents:liste", "post", ecriture({"metropole", "ddets", "finances", "secretariat"}), [slug]
    document = contrat.documents.order_by("pk").first()
    if document:
        yield "documents:telecharger", "get", lecture, [slug, document.pk]
    yield "evaluation:synthese", "get", lecture, [slug]
    yield "evaluation:action", "get", lecture, [slug, action.numero]
    yield "evaluation:action", "post", saisie, [slug, action.numero]
    yield "evaluation:statut", "post", agents, [slug, action.numero]
    for cle in cles_du_contrat(contrat):
        if cle.annee not in (None, contrat.annee_debut):
            continue
        yield "rapports:apercu", "get", lecture, [slug, str(cle)]
        yield "rapports:pdf", "get", lecture, [slug, str(cle)]
        if cle.est_deliberation:
            yield "rapports:vote", "get", transmission, [slug, str(cle)]
    version = VersionRapport.objects.filter(contrat=contrat).first()
    if version:
        yield "rapports:version", "get", lecture, [slug, version.pk]
        yield "rapports:version_transmise", "post", transmission, [slug, version.pk]


def test_les_notifications_sont_datees_de_leur_evenement(demo):
    """Chaque notification de la démonstration porte la date de l'événement qui l'a produite (soumission, renvoi,
    validation, commentaire…), comme l'historique, et non le jour du chargement."""
    from notifications.models import Notification
    from pilotage.demo_fictive import lire

    moments = {datetime.datetime.fromisoformat(str(e["le"])) for e in lire()["demo"]["cycle"]}
    notifications = list(Notification.objects.filter(contrat=demo))
    assert notifications
    dates = {timezone.localtime(n.cree_le).replace(tzinfo=None) for n in notifications}
    assert dates <= moments, sorted(dates - moments)[:3]
    assert len(dates) > 1


def test_l_accueil_et_les_lots_distinguent_les_deux_contrats_de_meme_titre(demo):
    """Dijon et Valcourt ont chacun un « Contrat local des solidarités 2024-2027 » : l'accueil et les rapports par lots
    nomment la collectivité quand le titre ne le fait pas, sans répéter la période ni le nom de Valcourt."""
    client = client_pour("admin")
    accueil = texte_page(client.get(reverse("accueil")))
    assert "Contrat local des solidarités 2024-2027 – Dijon métropole" in accueil
    assert "Contrat local des solidarités 2024-2027 – Métropole de Valcourt (fictif)" in accueil
    assert "Valcourt (fictif) – Métropole de Valcourt" not in accueil
    lots = texte_page(client.get(reverse("lots:liste")))
    assert "Contrat local des solidarités 2024-2027 – Dijon métropole" in lots and "(2024-2027)" not in lots


@pytest.mark.parametrize("compte", ["anonyme", *COMPTES_DIJON, *COMPTES_FICTIFS])
def test_chaque_compte_voit_son_territoire_et_rien_de_l_autre(demo, compte):
    client = client_pour(compte)
    contrats = [demo, Contrat.objects.get(slug=CLS)]  # les droits sur les autres contrats de Dijon : test_permissions
    for contrat in contrats:
        for nom, methode, attendu, args in cas(contrat):
            url = reverse(nom, args=args)
            reponse = getattr(client, methode)(url, {} if methode == "post" else None)
            verifier(reponse, attendu(compte, args[0]), f"{compte} {methode.upper()} {url}")
    if compte != "anonyme":
        liste = client.get(reverse("pilotage:liste")).content.decode()
        voit_fictif = compte == "admin" or compte in COMPTES_FICTIFS
        voit_dijon = compte not in COMPTES_FICTIFS and compte != "autre-territoire"
        assert (reverse("pilotage:contrat", args=[FICTIF]) in liste) == voit_fictif
        assert (reverse("pilotage:contrat", args=[CLS]) in liste) == voit_dijon
