"""Le rapport de cohérence en classeur, pour le dialogue de gestion annuel : constats ouverts, constats examinés avec
leur commentaire, historique des examens, et les règles appliquées."""

from openpyxl import Workbook
from openpyxl.styles import Alignment

from coherence.constats import GRAVITES
from coherence.historique import historique_des_examens
from coherence.regles import REGLES
from commun.excel import FORMAT_DATE_HEURE, date_naive, ecrire_historique, ecrire_texte, feuille_preparer
from commun.formats import nom_et_organisation

COLONNES = ["Gravité", "État", "Règle", "Lieu", "Constat", "Passages cités"]
LARGEURS = [12, 16, 40, 30, 60, 80]
HAUT = Alignment(wrap_text=True, vertical="top")


def _preuves(constat) -> str:
    return "\n".join(f"{p.document} — {p.lieu} : « {p.citation} »" for p in constat.preuves)


def _ecrire(feuille, ligne, suivi, examen=False) -> None:
    c = suivi.constat
    valeurs = [GRAVITES[c.gravite], suivi.etat_libelle, REGLES.get(c.regle, c.regle), c.lieu, c.message, _preuves(c)]
    if examen:
        valeurs += [nom_et_organisation(suivi.examen.examine_par), None, suivi.examen.commentaire]
    for colonne, valeur in enumerate(valeurs, start=1):
        if valeur is not None:
            ecrire_texte(feuille, ligne, colonne, valeur).alignment = HAUT
    if examen:
        cellule = feuille.cell(row=ligne, column=8, value=date_naive(suivi.examen.examine_le))
        cellule.number_format = FORMAT_DATE_HEURE
        cellule.alignment = HAUT


def classeur_coherence(contrat, suivis) -> Workbook:
    classeur = Workbook()
    ouverts = classeur.active
    ouverts.title = "Constats ouverts"
    ligne = feuille_preparer(ouverts, titre="Contrôles de cohérence – constats ouverts", contrat=contrat,
                             entetes=COLONNES, largeurs=LARGEURS)  # fmt: skip
    for suivi in (s for s in suivis if s.ouvert):
        _ecrire(ouverts, ligne, suivi)
        ligne += 1
    if ligne == 6:
        ouverts.cell(row=6, column=1, value="Aucun constat ouvert.")
    ouverts.auto_filter.ref = f"A5:F{max(ligne - 1, 5)}"

    examines = classeur.create_sheet("Constats examinés")
    ligne = feuille_preparer(examines, titre="Contrôles de cohérence – constats examinés", contrat=contrat,
                             entetes=[*COLONNES, "Examiné par", "Examiné le", "Commentaire d'examen"],
                             largeurs=[*LARGEURS, 22, 18, 60])  # fmt: skip
    for suivi in (s for s in suivis if s.examen is not None):
        _ecrire(examines, ligne, suivi, examen=True)
        ligne += 1
    if ligne == 6:
        examines.cell(row=6, column=1, value="Aucun constat examiné.")
    examines.auto_filter.ref = f"A5:I{max(ligne - 1, 5)}"

    ecrire_historique(classeur.create_sheet(), contrat, historique_des_examens(contrat))
    classeur["Historique"].title = "Historique des examens"

    regles = classeur.create_sheet("Règles")
    ligne = feuille_preparer(regles, titre="Règles de cohérence appliquées", contrat=contrat,
                             entetes=["Code", "Règle"], largeurs=[26, 100])  # fmt: skip
    for code, texte in REGLES.items():
        ecrire_texte(regles, ligne, 1, code)
        ecrire_texte(regles, ligne, 2, texte)
        ligne += 1
    return classeur
