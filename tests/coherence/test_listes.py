"""Règle « listes » : une liste annoncée avec N éléments (« … les trois priorités suivantes : ») en énumère N ; un
nombre écrit dans les textes du contrat (« composé de 5 actions ») est celui de ses données, hors des phrases sur
le cadre national."""

import pytest

from coherence.constats import A_VERIFIER, ERREUR, INFORMATION
from contrats.enums import CategorieQuartier
from contrats.models import Article, Quartier
from tests.actions.factories import ActionFactory
from tests.coherence.fabrique import citations, constats, contrat_fictif, territoire
from tests.contrats.factories import AxeFactory, DeliberationFactory


@pytest.fixture
def contrat():
    """Quatre actions sur deux axes, deux signataires."""
    contrat = contrat_fictif()
    axes = [AxeFactory(contrat=contrat, numero=n, intitule=f"Priorité fictive {n}") for n in (1, 2)]
    for numero in ("1.1", "1.2", "2.1", "2.2"):
        ActionFactory(contrat=contrat, numero=numero, axe=axes[int(numero[0]) - 1])
    return contrat


def _article(contrat, texte, numero="3"):
    return Article.objects.create(contrat=contrat, ordre=int(numero), numero=numero, titre="Priorités", texte=texte)


# --- Liste annoncée ------------------------------------------------------------------------------------------------

ANNONCE = "Pour l'accueil des personnes sans domicile, la Communauté retient les trois priorités suivantes :"


def _liste(*elements):
    return "\n".join([ANNONCE, *(f"- {e}" for e in elements), "", "Un comité technique en suit la mise en œuvre."])


def test_une_liste_annoncee_de_trois_elements_qui_en_a_deux(contrat):
    _article(contrat, _liste("l'ouverture d'un accueil de jour ;", "la domiciliation des personnes sans adresse."))
    (constat,) = constats(contrat, "listes.")
    assert (constat.regle, constat.gravite) == ("listes.compte", ERREUR)
    assert constat.lieu == f"{contrat.titre} – Article 3 – Priorités"
    assert constat.message.startswith("Le texte annonce 3 ") and constat.message.endswith(" et en énumère 2.")
    assert citations(constat)[0] == ANNONCE


def test_une_liste_annoncee_de_trois_elements_qui_en_a_trois(contrat):
    _article(
        contrat,
        _liste("l'ouverture d'un accueil de jour ;", "la domiciliation ;", "une halte de nuit pour les familles."),
    )
    assert constats(contrat, "listes.") == []


def test_une_liste_annoncee_en_chiffres_avec_un_intertitre(contrat):
    texte = (
        "Le comité de pilotage suit 4 indicateurs :\n"
        "- le nombre de ménages reçus ;\n"
        "- le délai de premier rendez-vous ;\n"
        "Indicateurs de résultat\n"
        "- le taux de sortie vers un logement ;\n"
        "- le taux de retour à l'emploi.\n"
    )
    _article(contrat, texte)
    assert constats(contrat, "listes.") == []


def test_une_liste_annoncee_dans_un_expose_de_deliberation(contrat):
    DeliberationFactory(contrat=contrat, expose="Le contrat comporte cinq engagements :\n- accueillir ;\n- orienter.")
    (constat,) = constats(contrat, "listes.compte")
    assert constat.preuves[0].lieu == "Exposé"
    assert constat.preuves[0].citation == "Le contrat comporte cinq engagements :"


def test_une_annee_avant_l_annonce_n_est_pas_le_nombre_annonce(contrat):
    _article(contrat, "Dès 2026 les deux priorités suivantes :\n- l'accueil de jour ;\n- la domiciliation.")
    assert constats(contrat, "listes.compte") == []


def test_une_liste_annoncee_dans_une_fiche_action(contrat):
    action = contrat.actions.get(numero="2.1")
    action.objectifs_operationnels = "Cette action poursuit quatre objectifs :\n- informer ;\n- orienter ;\n- suivre."
    action.save()
    (constat,) = constats(contrat, "listes.compte")
    assert constat.lieu == f"{contrat.titre} – Fiche action 2.1, objectifs opérationnels"
    assert constat.message.startswith("Le texte annonce 4 ") and constat.message.endswith(" et en énumère 3.")


# --- Nombre écrit dans le texte ------------------------------------------------------------------------------------


def test_un_nombre_d_actions_ecrit_qui_n_est_pas_celui_des_fiches(contrat):
    phrase = "Le présent contrat est composé de 5 actions réparties en deux axes."
    _article(contrat, f"{phrase} Chacune fait l'objet d'une fiche.")
    (constat,) = constats(contrat, "listes.")
    assert (constat.regle, constat.gravite) == ("listes.collection", A_VERIFIER)
    assert constat.message == "Le texte écrit « 5 actions », les données en comptent 4."
    assert phrase in citations(constat)[0]
    assert constat.preuves[1].lieu == "Fiches actions"


def test_un_nombre_d_actions_ecrit_en_lettres_juste(contrat):
    _article(contrat, "Le présent contrat est composé de quatre fiches actions réparties en deux axes.")
    assert constats(contrat, "listes.") == []


def test_un_nombre_de_signataires_ecrit(contrat):
    _article(contrat, "Les trois signataires se réunissent chaque année.")
    (constat,) = constats(contrat, "listes.collection")
    assert constat.message == "Le texte écrit « trois signataires », les données en comptent 2."


@pytest.mark.parametrize(
    "phrase",
    [
        "La stratégie nationale de prévention et de lutte contre la pauvreté compte 5 axes.",
        "Le pacte des solidarités décline 7 actions prioritaires.",
        "Le plan d'urgence prévoit 9 actions.",
        "Le cadre national fixe 3 axes.",
    ],
)
def test_une_phrase_sur_le_cadre_national_est_ignoree(contrat, phrase):
    _article(contrat, f"{phrase} Le présent contrat en retient deux axes et quatre actions.")
    assert constats(contrat, "listes.") == []


def test_le_nombre_de_quartiers_se_compare_au_dernier_contrat_du_territoire_qui_les_liste():
    collectivite = territoire()
    ancien = contrat_fictif(collectivite, annee_debut=2020, annee_fin=2023, titre="Convention fictive 2020-2023")
    for nom in ("Clos Fleuri", "Hauts de Brenne", "Pré Vernier"):
        Quartier.objects.create(contrat=ancien, nom=nom, commune="Valbrune", categorie=CategorieQuartier.PRIORITAIRE)
    contrat = contrat_fictif(collectivite)
    _article(contrat, "Les actions se déploient dans les quatre quartiers prioritaires de la communauté.")
    (constat,) = constats(contrat, "listes.collection")
    assert constat.gravite == INFORMATION  # la liste est celle d'un autre contrat
    assert constat.message == (
        "Le texte écrit « quatre quartiers prioritaires », les données en comptent 3 (Convention fictive 2020-2023)."
    )
    assert constat.preuves[1].citation == (
        "Liste des quartiers prioritaires : Clos Fleuri, Hauts de Brenne, Pré Vernier"
    )
