"""Le CLS de Dijon ressaisi par le parcours de création, depuis un classeur construit à partir de son annexe (les
données YAML chargées), donne les mêmes pages, le même tableau budgétaire et le même tableau des indicateurs que le
CLS chargé depuis le YAML, chiffre pour chiffre ; les classeurs mauvais reçoivent des erreurs par cellule en français
et ne créent rien."""

import re
from io import BytesIO

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from comptes.services import MOT_DE_PASSE_DEMO
from contrats.models import Contrat, Organisation
from creation.brouillon import CLE_SESSION
from creation.views import CLE_ANALYSE
from finances.exports import classeur_budget
from finances.imports.fichier import TAILLE_MAX
from finances.models import LigneBudgetaire
from finances.selectors import tableau_budgetaire
from indicateurs.exports import classeur_indicateurs
from indicateurs.tableaux import tableau_indicateurs
from referentiel.models import Pilier
from tests.conftest import CLS
from tests.outils import annexe_du_contrat, classeur_a_la_taille, modifier, page

TITRE = "Contrat local des solidarités 2024-2027"


def client_de(identifiant: str) -> Client:
    client = Client()
    assert client.login(username=identifiant, password=MOT_DE_PASSE_DEMO)
    return client


def etapes(client: Client, cls: Contrat) -> None:
    """Parties, type et période, axes : ce que l'annexe et les articles du CLS de Dijon disent."""
    etat, collectivite = cls.signataires.order_by("ordre")
    reponse = client.post(reverse("creation:parties"), {
        "etat": etat.organisation.pk, "etat_representant": etat.representant, "etat_qualite": etat.qualite,
        "collectivite": collectivite.organisation.pk, "collectivite_representant": collectivite.representant,
        "collectivite_qualite": collectivite.qualite,
    })  # fmt: skip
    assert reponse.status_code == 302, page(reponse)
    reponse = client.post(reverse("creation:contrat"), {
        "type_collectivite": "metropole", "titre": TITRE, "annee_debut": "2024", "annee_fin": "2027",
        "departement": "21", "lieu_signature": "Dijon", "annees_provisoires": "2025, 2026, 2027",
    })  # fmt: skip
    assert reponse.status_code == 302, page(reponse)
    axes = {}
    annonces = {(m.axe.numero, m.annee): m.montant for m in cls.montants_annonces.filter(axe__isnull=False)}
    for axe in cls.axes.order_by("numero"):
        n = axe.numero
        axes |= {f"axe{n}_intitule": axe.intitule, f"axe{n}_pilier": axe.pilier_national.numero,
                 f"axe{n}_sous_action_304": axe.sous_action_304,
                 f"axe{n}_code_activite": axe.code_activite}  # fmt: skip
        axes |= {f"axe{n}_etat_{annee}": str(annonces[(n, annee)]).replace(".", ",")
                 for annee in cls.annees if (n, annee) in annonces}  # fmt: skip
    reponse = client.post(reverse("creation:axes"), axes)
    assert reponse.status_code == 302, page(reponse)


def envoyer(client: Client, donnees: bytes):
    return client.post(reverse("creation:annexe"), {"fichier": _fichier(donnees)})


def _fichier(donnees: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("annexe.xlsx", donnees, content_type="application/octet-stream")


def creer(client: Client, donnees: bytes) -> Contrat:
    reponse = envoyer(client, donnees)
    texte = page(reponse)
    assert "erreur(s)" not in texte, texte
    empreinte = re.search(r'name="empreinte" value="([0-9a-f]{64})"', texte).group(1)
    reponse = client.post(reverse("creation:confirmer"), {"empreinte": empreinte})
    assert reponse.status_code == 302, page(reponse)
    return Contrat.objects.get(slug=reponse.url.split("/")[-3])


# --- Comparaisons, chiffre pour chiffre ----------------------------------------------------------------------------


def budget(contrat: Contrat):
    tableau = tableau_budgetaire(contrat)

    def ligne(lt):
        return (lt.libelle, [(a, m.etat, m.collectivite, m.autre, m.total) for a, m in lt.par_annee])

    return (
        tableau.annees, tableau.a_autres_financeurs, sorted(tableau.provisoires), ligne(tableau.total),
        [((g.axe.numero, g.axe.intitule, g.axe.pilier, g.axe.sous_action_304, g.axe.code_activite,
           g.axe.pilier_national_id), [ligne(lt) for lt in g.lignes], ligne(g.sous_total)) for g in tableau.groupes],
    )  # fmt: skip


def indicateurs(contrat: Contrat):
    return [
        (ligne.indicateur.action.numero, ligne.indicateur.ordre, ligne.indicateur.libelle, ligne.indicateur.nature,
         ligne.indicateur.unite, ligne.indicateur.t0, ligne.indicateur.t0_nd, ligne.indicateur.cible_chiffree,
         ligne.indicateur.decimales, ligne.indicateur.portee, ligne.indicateur.commentaire, ligne.sans_cible,
         [(c.annee, c.valeur, c.nd, c.nd_motif, c.nd_date_limite) if c else None for c in ligne.cibles])
        for ligne in tableau_indicateurs(contrat)
    ]  # fmt: skip


def cellules(classeur, feuille: str, sauf=("B3", "B4")):
    return [
        [(c.coordinate, c.value) for c in ligne if c.coordinate not in sauf] for ligne in classeur[feuille].iter_rows()
    ]


def sections(contrat: Contrat, client: Client) -> dict[str, str]:
    """Les sections de la page du contrat que l'annexe décrit, adresses ramenées au contrat et aux identifiants."""
    texte = page(client.get(reverse("pilotage:contrat", args=[contrat.slug])))
    texte = texte.replace(f"/contrats/{contrat.slug}/", "/contrats/SLUG/")
    texte = re.sub(r"/indicateurs/[0-9]+/", "/indicateurs/N/", texte)
    resultat = {}
    for nom in ("axes", "tableau-budgetaire", "indicateurs"):
        resultat[nom] = re.search(rf'<section id="{nom}".*?</section>', texte, re.DOTALL).group(0)
    parties = re.search(r'<section id="parties".*?</section>', texte, re.DOTALL).group(0)
    resultat["parties"] = re.search(r"<ul>.*?</ul>", parties, re.DOTALL).group(0)  # les signataires
    return resultat


@pytest.fixture
def cls():
    return Contrat.objects.get(slug=CLS)


@pytest.fixture
def organisateur():
    """L'administrateur de Dijon métropole (rôle « administrateur de l'organisation »)."""
    return client_de("admin-metropole")


def test_le_cls_de_dijon_ressaisi_donne_les_memes_pages_et_chiffres(cls, organisateur):
    avant = Contrat.objects.count()
    etapes(organisateur, cls)
    modele = load_workbook(BytesIO(organisateur.get(reverse("creation:modele")).content))
    assert modele.sheetnames == ["Tableau budgétaire", "Indicateurs", "Axes"]
    assert [c.value for c in modele["Tableau budgétaire"][6]][:6] == [
        "Axe (numéro)", "Action (numéro)", "Intitulé de l'action", "Total", "État", "Collectivité",
    ]  # fmt: skip
    assert [modele["Tableau budgétaire"].cell(row=5, column=4 + 3 * r).value for r in range(4)] == cls.annees

    cree = creer(organisateur, annexe_du_contrat(cls, total=True))
    assert Contrat.objects.count() == avant + 1 and cree.slug != CLS
    assert cree.titre == cls.titre and cree.collectivite == cls.collectivite
    # Les figures, chiffre pour chiffre : le tableau budgétaire, celui des indicateurs, leurs classeurs, et les
    # sections de la page du contrat qui les montrent.
    assert budget(cree) == budget(cls)
    assert budget(cree)[2] == [2025, 2026, 2027]  # montants de l'État prévisionnels, comme à la signature
    assert indicateurs(cree) == indicateurs(cls)
    assert cellules(classeur_budget(cree), "Tableau budgétaire") == cellules(
        classeur_budget(cls), "Tableau budgétaire"
    )
    assert cellules(classeur_indicateurs(cree), "Indicateurs") == cellules(classeur_indicateurs(cls), "Indicateurs")
    admin = client_de("admin")
    assert sections(cree, admin) == sections(cls, admin)
    # Les mêmes pages : celles des actions et celles des indicateurs répondent, et le contrat se voit de ses parties.
    for action in cree.actions.all():
        assert (
            client_de("metropole").get(reverse("pilotage:action", args=[cree.slug, action.numero])).status_code == 200
        )
    assert client_de("ddets").get(cree.get_absolute_url()).status_code == 200
    assert client_de("autre-territoire").get(cree.get_absolute_url()).status_code == 404
    # La page qui suit la création mène aux fiches à compléter ; le brouillon est effacé.
    suite = page(organisateur.get(reverse("creation:suite", args=[cree.slug])))
    assert "Fiches actions à compléter" in suite and "Action 8 – Lutter contre la précarité alimentaire" in suite
    assert CLE_SESSION not in organisateur.session


MAUVAIS = [
    pytest.param(
        {("Tableau budgétaire", "F7"): 60000, ("Tableau budgétaire", "D7"): 125000},
        "Tableau budgétaire!F7",
        "Action 1, 2024 : la collectivité apporte 60 000 € sur 125 000 €, soit moins de 50 % de l'action",
        id="part de la collectivité sous 50 %",
    ),
    pytest.param(
        {("Tableau budgétaire", "M5"): 2028},
        "Tableau budgétaire!M5",
        "L'année 2028 est hors de la période du contrat (2024-2027).",
        id="année hors de la période",
    ),
    pytest.param(
        {("Indicateurs", "D5"): 2023},
        "Indicateurs!D5",
        "L'année 2023 est hors de la période du contrat (2024-2027).",
        id="année des cibles hors de la période",
    ),
    pytest.param(
        {("Tableau budgétaire", "A8"): 5},
        "Tableau budgétaire!A8",
        "Axe 5 inconnu : ce contrat a les axes 1, 2, 3, 4",
        id="axe inconnu",
    ),
    pytest.param(
        {("Tableau budgétaire", "D9"): 50001},
        "Tableau budgétaire!D9",
        "Total 2024 de 50 001 € : l'État (25 000 €) et la collectivité (25 000 €) totalisent 50 000 €.",
        id="total d'une action qui ne s'additionne pas",
    ),
    pytest.param(
        {("Tableau budgétaire", "E15"): 332000},
        "Tableau budgétaire!E15",
        "TOTAL 2024 (État) de 332 000 € : les lignes des actions totalisent 332 500 €.",
        id="ligne TOTAL qui ne s'additionne pas",
    ),
    pytest.param(
        {("Tableau budgétaire", "E7"): "soixante-cinq mille"},
        "Tableau budgétaire!E7",
        "« soixante-cinq mille » n'est pas un montant valide : saisissez un nombre",
        id="texte à la place d'un montant",
    ),
    pytest.param(
        {("Indicateurs", "E6"): "beaucoup"},
        "Indicateurs!E6",
        "« beaucoup » n'est pas un nombre valide : saisissez un nombre",
        id="texte à la place d'une cible",
    ),
    pytest.param(
        {
            ("Tableau budgétaire", "E8"): 30000,
            ("Tableau budgétaire", "F8"): 30000,
            ("Tableau budgétaire", "D8"): 60000,
            ("Tableau budgétaire", "D15"): 685000,
            ("Tableau budgétaire", "E15"): 342500,
            ("Tableau budgétaire", "F15"): 342500,
        },
        "Tableau budgétaire!E6",
        "Axe 1, 2024 : les lignes de l'État totalisent 95 000 € alors que le contrat fixe 85 000 € pour cet axe",
        id="répartition par axe",
    ),
    pytest.param(
        {("Tableau budgétaire", "E7"): "=60000+5000"},
        "Tableau budgétaire!E7",
        "Formule refusée en Tableau budgétaire!E7 : saisissez une valeur.",
        id="formule",
    ),
    pytest.param(
        {("Indicateurs", "J9"): None},
        "Indicateurs!J9",
        "Motif du nd manquant : une cible « nd » dit pourquoi elle n'est pas définie à la signature.",
        id="cible nd sans motif",
    ),
    pytest.param(
        {("Indicateurs", "A6"): "9"},
        "Indicateurs!A6",
        "L'action « 9 » ne figure pas au tableau budgétaire",
        id="indicateur d'une action absente",
    ),
    pytest.param(
        {("Tableau budgétaire", "B8"): "1"},
        "Tableau budgétaire!B8",
        "Action 1 en double : elle figure déjà ligne 7.",
        id="numéro d'action en double",
    ),
]


@pytest.mark.parametrize(("changements", "cellule", "message"), MAUVAIS)
def test_un_classeur_mauvais_recoit_ses_erreurs_par_cellule_et_ne_cree_rien(cls, organisateur, changements, cellule,
                                                                            message):  # fmt: skip
    avant = (Contrat.objects.count(), Organisation.objects.count(), LigneBudgetaire.objects.count())
    etapes(organisateur, cls)
    reponse = envoyer(organisateur, modifier(annexe_du_contrat(cls, total=True), changements))
    texte = page(reponse)
    assert "rien ne sera créé" in texte
    lignes = re.findall(r"<tr><td class=\"text-nowrap\"><code>([^<]*)</code></td><td>([^<]*)</td></tr>", texte)
    assert any(ref == cellule and message in msg for ref, msg in lignes), lignes
    assert 'name="empreinte"' not in texte  # pas de bouton de création
    # Une confirmation forcée ne crée rien non plus : aucune analyse valide n'attend en session.
    reponse = organisateur.post(reverse("creation:confirmer"), {"empreinte": "0" * 64})
    assert reponse.status_code == 302
    assert (Contrat.objects.count(), Organisation.objects.count(), LigneBudgetaire.objects.count()) == avant


def test_le_modele_et_les_piliers_d_un_departement(organisateur):
    """Un département : trois axes (l'emploi traité à part), pré-remplis depuis le référentiel national."""
    departement = Organisation.objects.create(slug="cd-test", nom="Département de test", type="departement")
    etat = Organisation.objects.get(slug="prefet-cote-dor-cls-2024-2027")
    client = client_de("admin")
    client.post(reverse("creation:parties"), {"etat": etat.pk, "collectivite": departement.pk})
    reponse = client.post(reverse("creation:contrat"), {
        "type_collectivite": "metropole", "titre": "Pacte local", "annee_debut": "2024", "annee_fin": "2027",
        "departement": "21",
    })  # fmt: skip
    assert "La collectivité choisie est de type « Département »" in page(reponse)
    client.post(reverse("creation:contrat"), {
        "type_collectivite": "departement", "titre": "Pacte local", "annee_debut": "2024", "annee_fin": "2027",
        "departement": "21",
    })  # fmt: skip
    texte = page(client.get(reverse("creation:axes")))
    assert texte.count('<legend class="h5">Axe ') == 3
    piliers = Pilier.objects.filter(contrats_departementaux=True).order_by("numero")
    assert all(f'value="{p.intitule}"' in texte for p in piliers)
    assert f'value="{Pilier.objects.get(numero=2).intitule}"' not in texte


def test_l_administrateur_d_une_organisation_ne_cree_que_pour_elle(organisateur):
    etat = Organisation.objects.get(slug="prefet-cote-dor-cls-2024-2027")
    autre = Organisation.objects.create(slug="metro-test", nom="Métropole de test", type="metropole")
    reponse = organisateur.post(reverse("creation:parties"), {"etat": etat.pk, "collectivite": autre.pk})
    assert "Votre organisation (Dijon métropole) doit être l'une des deux parties" in page(reponse)
    assert CLE_SESSION not in organisateur.session


def test_etat_vide_et_etapes_dans_l_ordre(organisateur):
    texte = page(organisateur.get(reverse("creation:accueil")))
    assert "Aucun contrat en cours de création." in texte
    reponse = organisateur.get(reverse("creation:annexe"))
    assert reponse.status_code == 302 and reponse.url == reverse("creation:axes")


def test_listes_et_fil_d_ariane_en_clair(organisateur):
    """Les listes disent « — choisir — », jamais le vide technique « --------- » ; sur l'accueil de la création, le
    fil d'Ariane ne fait pas un lien de la page elle-même."""
    parties = organisateur.get(reverse("creation:parties")).content.decode()
    assert "---------" not in parties and "— choisir —" in parties and "— non précisée —" in parties
    assert f'<a href="{reverse("creation:accueil")}">Nouveau contrat</a>' in parties
    accueil = organisateur.get(reverse("creation:accueil")).content.decode()
    assert f'<a href="{reverse("creation:accueil")}">Nouveau contrat</a>' not in accueil
    assert '<li class="breadcrumb-item active" aria-current="page">Nouveau contrat</li>' in accueil


def test_le_modele_vide_renvoye_tel_quel_ne_cree_rien(cls, organisateur):
    etapes(organisateur, cls)
    modele = organisateur.get(reverse("creation:modele")).content
    texte = page(envoyer(organisateur, modele))
    assert "rien ne sera créé" in texte and "Aucune action : la feuille « Tableau budgétaire »" in texte


def test_une_annexe_de_plus_de_2_mo_est_refusee_des_l_envoi_celle_de_2_mo_lue(cls, organisateur):
    etapes(organisateur, cls)
    annexe = annexe_du_contrat(cls, total=True)
    reponse = envoyer(organisateur, classeur_a_la_taille(annexe, TAILLE_MAX + 1))
    assert reponse.status_code == 200
    texte = page(reponse)
    assert "« annexe.xlsx » pèse plus de 2 Mo : la taille maximale d'un classeur est de 2 Mo." in texte
    assert "Classeur de l'annexe (.xlsx)" in texte and CLE_ANALYSE not in organisateur.session
    texte = page(envoyer(organisateur, classeur_a_la_taille(annexe, TAILLE_MAX)))
    assert "pèse plus de" not in texte and "erreur(s)" not in texte and "Créer le contrat" in texte
