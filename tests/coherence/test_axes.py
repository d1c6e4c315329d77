"""Règle « axes » : un axe porte le même numéro et le même nom dans les articles, l'en-tête des fiches actions et
les tableaux du contrat (la référence : Axe.numero, Axe.intitule)."""

import pytest

from coherence.constats import A_VERIFIER, INFORMATION
from contrats.models import Article
from tests.actions.factories import ActionFactory
from tests.coherence.fabrique import citations, constats, contrat_fictif
from tests.contrats.factories import AxeFactory

EMPLOI = "Accompagner vers l'emploi durable"
LOGEMENT = "Favoriser l'accès au logement"


@pytest.fixture
def contrat():
    contrat = contrat_fictif()
    AxeFactory(contrat=contrat, numero=1, intitule=EMPLOI)
    AxeFactory(contrat=contrat, numero=2, intitule=LOGEMENT)
    return contrat


def _action(contrat, entete, numero="2.1"):
    return ActionFactory(contrat=contrat, numero=numero, axe=contrat.axes.get(numero=2), entete_fiche=entete)


def _article(contrat, texte):
    Article.objects.create(contrat=contrat, ordre=2, numero="2", titre="Les axes du contrat", texte=texte)


# --- Numéro --------------------------------------------------------------------------------------------------------


def test_l_en_tete_d_une_fiche_range_l_action_dans_un_autre_axe(contrat):
    _action(contrat, "Axe 1 : Accompagner vers l'emploi")
    (constat,) = constats(contrat, "axes.")
    assert (constat.regle, constat.gravite, constat.lieu) == ("axes.numero", A_VERIFIER, "Fiche action 2.1")
    assert constat.message == (
        "L'en-tête de la fiche range l'action dans l'axe 1, le tableau du contrat dans l'axe 2 ; ce nom est celui "
        "de l'axe 1 des tableaux."
    )
    assert citations(constat) == ["Axe 1 : Accompagner vers l'emploi", f"Axe 2 : {LOGEMENT}"]
    assert [p.lieu for p in constat.preuves] == ["Fiche action 2.1, en-tête", "Tableaux du contrat"]


def test_le_bon_numero_dans_l_en_tete(contrat):
    _action(contrat, f"Axe 2 : {LOGEMENT}")
    assert constats(contrat, "axes.") == []


# --- Nom -----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "entete",
    [
        "AXE 2 – FAVORISER L'ACCÈS AU LOGEMENT",  # capitales, tiret
        "Axe 2 : favoriser l'acces au logement",  # minuscules, sans accent
        "Axe 2 : Favoriser l'accès",  # abrégé
        "Axe 2",  # sans nom
    ],
)
def test_le_meme_nom_ecrit_autrement_dans_l_en_tete(contrat, entete):
    _action(contrat, entete)
    assert constats(contrat, "axes.") == []


def test_un_autre_nom_dans_l_en_tete_d_une_fiche(contrat):
    _action(contrat, "Axe 2 : Développer la mobilité solidaire")
    _action(contrat, "Axe 2 : Développer la mobilité solidaire", numero="2.2")
    (constat,) = constats(contrat, "axes.")
    assert (constat.regle, constat.gravite, constat.lieu) == ("axes.intitule", A_VERIFIER, "Axe 2")
    assert constat.message.startswith(f"L'axe 2 s'appelle « {LOGEMENT} » dans les tableaux, « ")
    assert "Développer la mobilité solidaire" in constat.message and constat.message.endswith("(2 endroits).")
    assert [p.lieu for p in constat.preuves] == [
        "Tableaux du contrat",
        "Fiche action 2.1, en-tête",
        "Fiche action 2.2, en-tête",
    ]


def test_un_autre_nom_dans_un_article(contrat):
    _article(
        contrat,
        "Le contrat s'organise en deux axes.\nAxe 1 : Accompagner vers l'emploi.\nAxe 2 : Soutenir la parentalité.\n",
    )
    (constat,) = constats(contrat, "axes.")
    assert (constat.regle, constat.gravite, constat.lieu) == ("axes.intitule", A_VERIFIER, "Axe 2")
    tableau, article = constat.preuves
    assert (tableau.lieu, tableau.citation) == ("Tableaux du contrat", f"Axe 2 : {LOGEMENT}")
    assert article.lieu == "Article 2 – Les axes du contrat"
    assert "Axe 2 : Soutenir la parentalité" in article.citation


def test_les_memes_noms_dans_un_article(contrat):
    _article(contrat, "Axe 1 : ACCOMPAGNER VERS L'EMPLOI DURABLE ; Axe 2 : Favoriser l'accès au logement.")
    assert constats(contrat, "axes.") == []


def test_une_variante_de_redaction_est_une_information(contrat):
    _article(contrat, "Axe 2 : Favoriser l'accès aux logements.")
    (constat,) = constats(contrat, "axes.")
    assert (constat.regle, constat.gravite) == ("axes.intitule", INFORMATION)
    assert constat.message.endswith(" : une variante de rédaction ou un nom abrégé.")


def test_un_autre_nom_entre_guillemets_au_milieu_d_une_phrase(contrat):
    _article(contrat, "L'axe 2 : « Soutenir la parentalité » regroupe les actions menées avec les écoles.")
    assert [c.regle for c in constats(contrat, "axes.")] == ["axes.intitule"]


def test_le_message_nomme_l_axe_tel_que_l_article_l_ecrit(contrat):
    _article(
        contrat,
        "Le présent contrat s'organise autour de deux axes, chacun décliné en fiches actions.\n"
        "Axe 1 : Accompagner vers l'emploi.\nAxe 2 : Soutenir la parentalité.\n",
    )
    (constat,) = constats(contrat, "axes.")
    assert constat.message == (
        f"L'axe 2 s'appelle « {LOGEMENT} » dans les tableaux, « Soutenir la parentalité » ailleurs (1 endroit)."
    )
