"""Règle « bilans » : l'arithmétique des chiffres liés d'un bilan (parties d'un total, stock = départ + entrées −
sorties, « dont » au plus égaux au total) et l'année du bilan dans la période du contrat."""

import datetime
from decimal import Decimal

from coherence.constats import ERREUR, INFORMATION
from indicateurs.enums import NatureChiffre, RelationChiffre
from indicateurs.models import Bilan, BilanChiffre, BilanRubrique
from tests.coherence.fabrique import citations, constats, contrat_fictif
from tests.contrats.factories import DeliberationFactory


def _rubrique(contrat, texte: str, *, annee: int = 2025, intitule: str = "Épicerie solidaire") -> BilanRubrique:
    deliberation = DeliberationFactory(
        contrat=contrat, date=datetime.date(annee + 1, 3, 12), objet=f"Approbation du bilan {annee} de la convention"
    )
    bilan = Bilan.objects.create(contrat=contrat, annee=annee, deliberation=deliberation)
    return BilanRubrique.objects.create(bilan=bilan, intitule=intitule, texte=texte)


def _chiffre(rubrique, libelle, valeur, *, parent=None, relation="", nature=NatureChiffre.VALEUR, reference=""):
    return BilanChiffre.objects.create(
        rubrique=rubrique,
        libelle=libelle,
        valeur=Decimal(valeur),
        parent=parent,
        relation=relation,
        nature=nature,
        reference=reference,
    )


def _sans_fines(texte: str) -> str:
    return texte.replace("\u202f", " ")


# --- Un total et ses parties ---------------------------------------------------------------------------------------

TEXTE_PARTIES = (
    "L'épicerie a ouvert ses rayons toute l'année. En 2025, elle a servi 1 250 ménages, soit 430 couples avec "
    "enfants et 700 personnes seules. Les bénévoles ont tenu 96 permanences."
)


def _parties(seules: str):
    contrat = contrat_fictif()
    rubrique = _rubrique(contrat, TEXTE_PARTIES)
    total = _chiffre(rubrique, "ménages servis", "1250")
    _chiffre(rubrique, "couples avec enfants", "430", parent=total, relation=RelationChiffre.PARTIE)
    _chiffre(rubrique, "personnes seules", seules, parent=total, relation=RelationChiffre.PARTIE)
    return contrat


def test_un_total_different_de_la_somme_de_ses_parties():
    contrat = _parties("700")
    (constat,) = constats(contrat, "bilans.")
    assert (constat.regle, constat.gravite) == ("bilans.arithmetique", ERREUR)
    assert constat.lieu == "Bilan 2025 – Épicerie solidaire"
    assert _sans_fines(constat.message) == (
        "« ménages servis » : le bilan écrit 1 250, ses termes donnent 1 130 (écart de 120)."
    )
    texte, calcul = citations(constat)
    # La phrase du bilan qui écrit les trois nombres, « 1 250 » compris, est citée telle quelle.
    assert texte == "En 2025, elle a servi 1 250 ménages, soit 430 couples avec enfants et 700 personnes seules."
    assert _sans_fines(calcul) == (
        "1 250 ménages servis ← 430 couples avec enfants [partie de] ; 700 personnes seules [partie de]"
    )
    assert constat.preuves[0].document == "Conseil de " + contrat.collectivite.nom + " du 12/03/2026"


def test_un_total_egal_a_la_somme_de_ses_parties():
    assert constats(_parties("820"), "bilans.") == []


# --- Un stock : départ + entrées − sorties -------------------------------------------------------------------------

TEXTE_STOCK = (
    "La résidence sociale comptait 58 ménages logés au 1er janvier ; avec 19 entrées et 11 sorties dans l'année, "
    "elle en logeait 64 au 31 décembre."
)


def _stock(fin: str):
    contrat = contrat_fictif()
    rubrique = _rubrique(contrat, TEXTE_STOCK, intitule="Résidence sociale")
    stock = _chiffre(rubrique, "ménages logés", fin, nature=NatureChiffre.STOCK, reference="au 31 décembre")
    _chiffre(rubrique, "ménages logés", "58", parent=stock, relation=RelationChiffre.AJOUT,
             nature=NatureChiffre.STOCK, reference="au 1er janvier")  # fmt: skip
    _chiffre(rubrique, "entrées", "19", parent=stock, relation=RelationChiffre.AJOUT, nature=NatureChiffre.FLUX)
    _chiffre(rubrique, "sorties", "11", parent=stock, relation=RelationChiffre.RETRAIT, nature=NatureChiffre.FLUX)
    return contrat


def test_un_stock_qui_ne_vaut_pas_le_depart_plus_les_entrees_moins_les_sorties():
    (constat,) = constats(_stock("64"), "bilans.")
    assert (constat.regle, constat.gravite) == ("bilans.arithmetique", ERREUR)
    assert constat.message == "« ménages logés » : le bilan écrit 64, ses termes donnent 66 (écart de -2)."
    texte, calcul = citations(constat)
    assert texte == TEXTE_STOCK
    assert calcul == (
        "64 ménages logés (au 31 décembre) ← 58 ménages logés (au 1er janvier) [s'ajoute à (stock de départ, "
        "entrées)] ; 19 entrées [s'ajoute à (stock de départ, entrées)] ; 11 sorties [se retranche de (sorties)]"
    )


def test_un_stock_juste():
    assert constats(_stock("66"), "bilans.") == []


# --- Les « dont » --------------------------------------------------------------------------------------------------


def _dont(dont: str):
    contrat = contrat_fictif()
    rubrique = _rubrique(contrat, f"Le chantier d'insertion a suivi 40 jeunes, dont {dont} sortis en emploi durable.")
    total = _chiffre(rubrique, "jeunes suivis", "40")
    _chiffre(rubrique, "sortis en emploi durable", dont, parent=total, relation=RelationChiffre.DONT)
    return contrat


def test_un_dont_plus_grand_que_son_total():
    (constat,) = constats(_dont("52"), "bilans.")
    assert (constat.regle, constat.gravite) == ("bilans.dont", ERREUR)
    assert constat.message == "« jeunes suivis » : 40 au total, mais « dont 52 »."
    assert citations(constat) == [
        "Le chantier d'insertion a suivi 40 jeunes, dont 52 sortis en emploi durable.",
        "40 jeunes suivis ← 52 sortis en emploi durable [dont (part de)]",
    ]


def test_un_dont_plus_petit_que_son_total():
    assert constats(_dont("17"), "bilans.") == []


def test_des_dont_qui_se_recouvrent_ne_sont_pas_additionnes():
    """« 40 jeunes, dont 30 filles, dont 25 mineurs » : chaque « dont » se compare seul au total."""
    contrat = _dont("30")
    total = BilanChiffre.objects.get(rubrique__bilan__contrat=contrat, libelle="jeunes suivis")
    _chiffre(total.rubrique, "mineurs", "25", parent=total, relation=RelationChiffre.DONT)
    assert constats(contrat, "bilans.") == []


def test_un_dont_ne_compte_pas_dans_la_somme_des_parties():
    contrat = contrat_fictif()
    rubrique = _rubrique(contrat, "Sur 100 ateliers, 60 en journée et 40 en soirée, dont 30 avec garde d'enfants.")
    total = _chiffre(rubrique, "ateliers", "100")
    _chiffre(rubrique, "en journée", "60", parent=total, relation=RelationChiffre.PARTIE)
    _chiffre(rubrique, "en soirée", "40", parent=total, relation=RelationChiffre.PARTIE)
    _chiffre(rubrique, "avec garde d'enfants", "30", parent=total, relation=RelationChiffre.DONT)
    assert constats(contrat, "bilans.") == []


def test_un_chiffre_sans_termes_n_est_pas_verifie():
    contrat = contrat_fictif()
    rubrique = _rubrique(contrat, "Trois cafés des parents ont réuni 85 personnes.")
    _chiffre(rubrique, "personnes réunies", "85")
    assert constats(contrat, "bilans.") == []


# --- Année du bilan ------------------------------------------------------------------------------------------------


def test_un_bilan_hors_de_la_periode_du_contrat():
    contrat = contrat_fictif()
    _rubrique(contrat, "Bilan de la reconduction.", annee=2029)
    (constat,) = constats(contrat, "bilans.")
    assert (constat.regle, constat.gravite, constat.lieu) == ("bilans.periode", INFORMATION, "Bilan 2029")
    assert f"hors de la période de la convention signée ({contrat.periode})" in constat.message
    assert citations(constat) == ["Approbation du bilan 2029 de la convention", contrat.periode]


def test_un_bilan_sans_deliberation_hors_periode():
    contrat = contrat_fictif()
    bilan = Bilan.objects.create(contrat=contrat, annee=2023)
    (constat,) = constats(contrat, "bilans.")
    assert constat.regle == "bilans.periode"
    assert constat.preuves[0].document == "Bilan 2023"
    assert constat.preuves[0].citation == str(bilan)


def test_un_bilan_dans_la_periode_du_contrat():
    contrat = contrat_fictif()
    for annee in (2024, 2027):
        _rubrique(contrat, "Bilan annuel.", annee=annee)
    assert constats(contrat, "bilans.") == []
