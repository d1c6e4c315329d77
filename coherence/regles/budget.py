"""Budget : les règles de cofinancement (celles qui refusent une saisie) et les montants écrits dans le texte,
confrontés aux lignes du tableau budgétaire."""

from collections import defaultdict
from decimal import Decimal

from coherence.constats import A_VERIFIER, ERREUR, INFORMATION, Constat, Preuve
from commun.formats import euros
from finances.enums import Financeur
from finances.services import regles_budget

REGLES = {
    "budget.cofinancement": "Règles de cofinancement du contrat (part de la collectivité)",
    "budget.montant_annonce": "Un montant écrit dans le texte égale la somme des lignes du tableau budgétaire",
}


def verifier(d) -> list[Constat]:
    constats = []
    montants = {(ligne.action, ligne.annee, ligne.financeur): ligne.montant for ligne in d.lignes}
    for message in regles_budget(contrat=d.contrat, montants=montants):
        constats.append(
            Constat(
                "budget.cofinancement", ERREUR, "Tableau budgétaire", message,
                (Preuve(d.document, "Tableau budgétaire", message),), sujet=message[:120],
            )
        )  # fmt: skip

    sommes = defaultdict(Decimal)
    for ligne in d.lignes:
        sommes[(None, ligne.annee, ligne.financeur)] += ligne.montant
        sommes[(ligne.action.axe_id, ligne.annee, ligne.financeur)] += ligne.montant
    for annonce in d.annonces:
        somme = sommes[(annonce.axe_id, annonce.annee, annonce.financeur)]
        if somme == annonce.montant:
            continue
        portee = f"l'axe {annonce.axe.numero}" if annonce.axe_id else "le contrat"
        financeur = Financeur(annonce.financeur).label
        statut = "montant prévisionnel" if annonce.provisoire else "montant"
        lieu = annonce.source or "Texte du contrat"
        constats.append(
            Constat(
                "budget.montant_annonce",
                INFORMATION if annonce.provisoire else A_VERIFIER,
                lieu,
                f"{annonce.annee}, {financeur} : le texte annonce un {statut} de {euros(annonce.montant)} pour "
                f"{portee}, les lignes du tableau budgétaire totalisent {euros(somme)}.",
                (
                    Preuve(d.document, lieu, f"{euros(annonce.montant)} ({financeur}, {annonce.annee}, {portee})"),
                    Preuve(d.document, "Tableau budgétaire", f"Somme des lignes {financeur} {annonce.annee} pour "
                           f"{portee} : {euros(somme)}"),
                ),
                sujet=f"{annonce.annee}|{annonce.financeur}|{annonce.axe_id or ''}",
            )
        )  # fmt: skip
    return constats
