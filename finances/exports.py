"""Classeurs Excel des finances : tableau budgétaire, exécution et versements.

Des nombres stockés comme nombres, des totaux en formules SUM que le tableur recalcule, la mise en page de
l'annexe signée ; un nombre fixe de requêtes par classeur, quelle que soit la taille du contrat."""

import datetime
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment

from commun.excel import (
    ENTETE,
    FORMAT_EUROS,
    FORMAT_TAUX,
    GRAS,
    col,
    ecrire_texte,
    feuille_preparer,
)
from finances.selectors import NON_SAISI, execution_du_contrat, tableau_budgetaire, versements_du_contrat

ZERO = Decimal("0")
SANS_OBJET = "sans objet"  # une mention d'absence (commun.excel.MENTIONS), jamais un 0


def classeur_budget(contrat, date: datetime.date | None = None) -> Workbook:
    """Le *Tableau budgétaire* tel qu'annexé au contrat, pour les montants en vigueur."""
    tableau = tableau_budgetaire(contrat, date=date)
    financeurs = ["etat", "collectivite"] + (["autre"] if tableau.a_autres_financeurs else [])
    libelles = {"etat": "État", "collectivite": contrat.collectivite.sigle or "Collectivité", "autre": "Autres"}
    largeur_annee = 1 + len(financeurs)

    classeur = Workbook()
    feuille = classeur.active
    feuille.title = "Tableau budgétaire"
    entetes = ["Action"] + [
        libelle for _ in tableau.annees for libelle in ["Total"] + [libelles[f] for f in financeurs]
    ]
    debut = feuille_preparer(
        feuille,
        titre="Tableau budgétaire",
        contrat=contrat,
        entetes=entetes,
        largeurs=[52] + [13] * (len(entetes) - 1),
        ligne_entetes=6,
    )
    feuille["A4"] = "Montants en vigueur au"
    feuille["B4"] = date or datetime.date.today()
    feuille["B4"].number_format = "DD/MM/YYYY"
    # Ligne des années au-dessus des en-têtes Total / État / collectivité, comme dans l'annexe.
    for rang, annee in enumerate(tableau.annees):
        colonne = 2 + rang * largeur_annee
        cellule = feuille.cell(row=5, column=colonne, value=annee)
        if annee in tableau.provisoires:
            cellule.value = f"{annee} (provisoire)"
        cellule.font = GRAS
        cellule.fill = ENTETE
        cellule.alignment = Alignment(horizontal="center")
        feuille.merge_cells(start_row=5, start_column=colonne, end_row=5, end_column=colonne + largeur_annee - 1)
    feuille.print_title_rows = "5:6"

    def ecrire_montants(ligne_excel: int, montants_par_annee: dict, formules: dict | None = None, gras=False):
        for rang, annee in enumerate(tableau.annees):
            col_total = 2 + rang * largeur_annee
            premieres = col(col_total + 1)
            dernieres = col(col_total + len(financeurs))
            for decalage, financeur in enumerate(financeurs, start=1):
                colonne = col_total + decalage
                if formules is not None:
                    valeur = formules[colonne]
                else:
                    valeur = getattr(montants_par_annee[annee], financeur)
                cellule = feuille.cell(row=ligne_excel, column=colonne, value=valeur)
                cellule.number_format = FORMAT_EUROS
                if gras:
                    cellule.font = GRAS
            total = feuille.cell(
                row=ligne_excel, column=col_total, value=f"=SUM({premieres}{ligne_excel}:{dernieres}{ligne_excel})"
            )
            total.number_format = FORMAT_EUROS
            if gras:
                total.font = GRAS

    ligne = debut
    sous_totaux = []
    colonnes = [
        2 + rang * largeur_annee + decalage
        for rang in range(len(tableau.annees))
        for decalage in range(1, largeur_annee)
    ]
    for groupe in tableau.groupes:
        libelle = f"Axe « {groupe.axe.intitule} »" if groupe.axe else "Sans axe"
        cellule = ecrire_texte(feuille, ligne, 1, libelle)
        cellule.font = GRAS
        ligne += 1
        premiere = ligne
        for ligne_tableau in groupe.lignes:
            ecrire_texte(feuille, ligne, 1, f"{ligne_tableau.action.numero} {ligne_tableau.action.intitule}")
            feuille.cell(row=ligne, column=1).alignment = Alignment(wrap_text=True, vertical="top")
            ecrire_montants(ligne, ligne_tableau.annees)
            ligne += 1
        derniere = ligne - 1
        feuille.cell(row=ligne, column=1, value=f"Sous-total {libelle}").font = GRAS
        ecrire_montants(
            ligne, {}, formules={c: f"=SUM({col(c)}{premiere}:{col(c)}{derniere})" for c in colonnes}, gras=True
        )
        sous_totaux.append(ligne)
        ligne += 1
    feuille.cell(row=ligne, column=1, value="TOTAL").font = GRAS
    ecrire_montants(
        ligne,
        {},
        formules={c: "=SUM(" + ",".join(f"{col(c)}{s}" for s in sous_totaux) + ")" for c in colonnes},
        gras=True,
    )
    feuille.freeze_panes = feuille.cell(row=debut, column=2)
    return classeur


def classeur_execution(contrat) -> Workbook:
    """Une ligne par cellule action × année × financeur, lue dans le modèle de lecture des finances : mêmes
    sous-consommations que la page et les rapports. Une cellule non saisie porte « non saisi », jamais 0 ;
    les taux sont des formules qui ne rapportent le réalisé qu'au prévu des cellules saisies."""
    execution = execution_du_contrat(contrat)
    classeur = Workbook()
    feuille = classeur.active
    feuille.title = "Exécution"
    entetes = ["Action", "Année", "Financeur", "Prévu (en vigueur)", "Engagé", "Réalisé", "Taux d'exécution",
               "Sous-consommation", "Justification"]  # fmt: skip
    ligne = debut = feuille_preparer(
        feuille,
        titre="Exécution budgétaire des crédits contractualisés",
        contrat=contrat,
        entetes=entetes,
        largeurs=[50, 8, 16, 16, 14, 14, 12, 16, 50],
    )
    feuille["D3"] = f"Seuil de sous-consommation : {contrat.seuil_sous_consommation} % (paramètre de l'application)"
    for cellule in execution.cellules:
        ecrire_texte(feuille, ligne, 1, f"{cellule.action.numero} {cellule.action.intitule}")
        feuille.cell(row=ligne, column=2, value=cellule.annee)
        ecrire_texte(feuille, ligne, 3, cellule.financeur_libelle)
        feuille.cell(row=ligne, column=4, value=cellule.prevu).number_format = FORMAT_EUROS
        for colonne, valeur in ((5, cellule.engage), (6, cellule.realise)):
            if valeur is None:
                ecrire_texte(feuille, ligne, colonne, NON_SAISI).alignment = Alignment(horizontal="right")
            else:
                feuille.cell(row=ligne, column=colonne, value=valeur).number_format = FORMAT_EUROS
        prevu, realise = f"D{ligne}", f"F{ligne}"
        taux = feuille.cell(
            row=ligne, column=7, value=f'=IF(AND(ISNUMBER({realise}),{prevu}<>0),{realise}/{prevu},"")'
        )
        taux.number_format = FORMAT_TAUX
        ecrire_texte(feuille, ligne, 8, "oui" if cellule.sous_consommation else ("" if cellule.saisie else NON_SAISI))
        ecrire_texte(feuille, ligne, 9, cellule.justification)
        ligne += 1
    fin = ligne - 1
    feuille.cell(row=ligne, column=1, value="TOTAL").font = GRAS
    if fin < debut:
        # Aucune ligne : pas de somme (elle citerait sa propre cellule, référence circulaire), rien n'est un zéro.
        for colonne in (4, 5, 6, 7):
            ecrire_texte(feuille, ligne, colonne, SANS_OBJET)
    else:
        for colonne in (4, 5, 6):
            formule = f"=SUM({col(colonne)}{debut}:{col(colonne)}{fin})"
            cellule = feuille.cell(row=ligne, column=colonne, value=formule)
            cellule.number_format = FORMAT_EUROS
            cellule.font = GRAS
        # Le taux global rapporte le réalisé au seul prévu des cellules saisies (comme la page et les rapports).
        prevu_saisi = f"SUMPRODUCT(ISNUMBER(F{debut}:F{fin})*D{debut}:D{fin})"
        formule = f'=IF({prevu_saisi}=0,"",SUM(F{debut}:F{fin})/{prevu_saisi})'
        taux = feuille.cell(row=ligne, column=7, value=formule)
        taux.number_format = FORMAT_TAUX
        taux.font = GRAS
    feuille.auto_filter.ref = f"A5:I{max(fin, debut)}"

    versements = classeur.create_sheet("Versements")
    ligne = debut = feuille_preparer(
        versements,
        titre="Versements de l'État",
        contrat=contrat,
        entetes=["Date", "Exercice", "Montant", "Axe", "Code activité", "Compte"],
        largeurs=[12, 10, 16, 40, 20, 40],
    )
    for versement in versements_du_contrat(contrat, execution).liste:
        versements.cell(row=ligne, column=1, value=versement.date).number_format = "DD/MM/YYYY"
        versements.cell(row=ligne, column=2, value=versement.annee)
        versements.cell(row=ligne, column=3, value=versement.montant).number_format = FORMAT_EUROS
        ecrire_texte(versements, ligne, 4, str(versement.axe) if versement.axe else "")
        ecrire_texte(versements, ligne, 5, versement.code_activite)
        ecrire_texte(versements, ligne, 6, versement.compte)
        ligne += 1
    if ligne == debut:
        # Aucun versement : ni somme circulaire sur sa propre cellule, ni « 0 € » qui passerait pour un montant.
        versements.cell(row=ligne, column=1, value="TOTAL (aucun versement enregistré)").font = GRAS
        ecrire_texte(versements, ligne, 3, SANS_OBJET)
    else:
        versements.cell(row=ligne, column=1, value="TOTAL").font = GRAS
        total = versements.cell(row=ligne, column=3, value=f"=SUM(C{debut}:C{ligne - 1})")
        total.number_format = FORMAT_EUROS
        total.font = GRAS
    return classeur
