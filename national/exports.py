"""Le classeur de la vue nationale : les mêmes chiffres que la page (lus dans `national.selectors`), une ligne par
contrat et par année, par contrat, année et pilier, par région, et les indicateurs nationaux contrat par contrat."""

from openpyxl import Workbook

from commun.excel import FORMAT_EUROS, FORMAT_NOMBRE, FORMAT_TAUX, ecrire_texte, feuille_preparer
from commun.formats import AUCUN_VERSEMENT


def _euros(feuille, ligne, colonne, valeur):
    cellule = feuille.cell(row=ligne, column=colonne, value=valeur)
    cellule.number_format = FORMAT_EUROS
    return cellule


def _verse(feuille, ligne, colonne, valeur):
    """Le versé, ou « aucun versement » (comme la page), jamais 0 : une somme ne le compte pas."""
    if valeur is None:
        return ecrire_texte(feuille, ligne, colonne, AUCUN_VERSEMENT)
    return _euros(feuille, ligne, colonne, valeur)


def classeur_national(vue, annee: int) -> Workbook:
    titre = f"Contrats des solidarités en vigueur en {annee} – {len(vue.lignes)} contrat(s)"
    classeur = Workbook()

    feuille = classeur.active
    feuille.title = "Contrats"
    entetes = ["Contrat", "Collectivité", "Région", "Département", "Année", "État signé (€)", "État en vigueur (€)",
               "Versé (€)", "Réalisé, tous financeurs (€)", "Taux d'exécution", "Cellules sous-consommées",
               "Compte rendu annuel", "Rapport à mi-parcours transmis le", "Axes sans action"]  # fmt: skip
    ligne = feuille_preparer(
        feuille, titre=titre, contrat="Vue nationale", entetes=entetes,
        largeurs=[40, 28, 24, 12, 8, 16, 16, 16, 18, 12, 12, 18, 18, 40],
    )  # fmt: skip
    for contrat_ligne in vue.lignes:
        contrat = contrat_ligne.contrat
        for a in contrat.annees:
            credits = contrat_ligne.credits_de(a)
            budget = contrat_ligne.budget_de(a)
            ecrire_texte(feuille, ligne, 1, contrat.titre)
            ecrire_texte(feuille, ligne, 2, contrat.collectivite.nom)
            ecrire_texte(feuille, ligne, 3, contrat_ligne.region)
            ecrire_texte(feuille, ligne, 4, contrat.departement)
            feuille.cell(row=ligne, column=5, value=a)
            _euros(feuille, ligne, 6, credits.signe)
            _euros(feuille, ligne, 7, credits.en_vigueur)
            _verse(feuille, ligne, 8, credits.verse)
            if budget.saisi:
                _euros(feuille, ligne, 9, budget.realise_total)
            else:
                ecrire_texte(feuille, ligne, 9, budget.absent)
            if budget.taux_execution is not None:
                feuille.cell(row=ligne, column=10, value=float(budget.taux_execution)).number_format = FORMAT_TAUX
            else:
                ecrire_texte(feuille, ligne, 10, budget.absent)
            sous_consommations = contrat_ligne.sous_consommations_de(a)
            if sous_consommations is None:
                ecrire_texte(feuille, ligne, 11, budget.absent)
            else:
                feuille.cell(row=ligne, column=11, value=sous_consommations)
            ecrire_texte(feuille, ligne, 12, contrat_ligne.suivis.get(a, ""))
            ecrire_texte(
                feuille, ligne, 13,
                f"{contrat_ligne.mi_parcours:%d/%m/%Y}" if contrat_ligne.mi_parcours else "non transmis",
            )  # fmt: skip
            ecrire_texte(feuille, ligne, 14, " ; ".join(contrat_ligne.axes_sans_action))
            ligne += 1

    feuille = classeur.create_sheet("Piliers")
    libelles = {p.pk: str(p) for p in vue.piliers}
    ligne = feuille_preparer(
        feuille, titre=titre, contrat="Crédits de l'État par pilier du Pacte des solidarités",
        entetes=["Contrat", "Région", "Année", "Pilier", "Signé (€)", "En vigueur (€)", "Versé (€)"],
        largeurs=[40, 24, 8, 50, 16, 16, 16],
    )  # fmt: skip
    for contrat_ligne in vue.lignes:
        for (a, pilier_id), credits in sorted(
            contrat_ligne.credits_piliers.items(), key=lambda e: (e[0][0], e[0][1] or 0)
        ):
            ecrire_texte(feuille, ligne, 1, contrat_ligne.contrat.titre)
            ecrire_texte(feuille, ligne, 2, contrat_ligne.region)
            feuille.cell(row=ligne, column=3, value=a)
            ecrire_texte(feuille, ligne, 4, libelles.get(pilier_id, "Axe non rattaché à un pilier"))
            _euros(feuille, ligne, 5, credits.signe)
            _euros(feuille, ligne, 6, credits.en_vigueur)
            _verse(feuille, ligne, 7, credits.verse)
            ligne += 1

    feuille = classeur.create_sheet("Régions")
    ligne = feuille_preparer(
        feuille, titre=titre, contrat=f"Par région (exécution de l'exercice {vue.exercice})",
        entetes=["Région", "Contrats", "État signé (€)", "État en vigueur (€)", "Versé (€)",
                 f"Taux d'exécution {vue.exercice}", "Rapports à mi-parcours transmis", "Contrats en retard"],
        largeurs=[30, 10, 16, 16, 16, 14, 14, 14],
    )  # fmt: skip
    for region in vue.regions:
        ecrire_texte(feuille, ligne, 1, region.libelle)
        feuille.cell(row=ligne, column=2, value=region.contrats)
        _euros(feuille, ligne, 3, region.credits.signe)
        _euros(feuille, ligne, 4, region.credits.en_vigueur)
        _verse(feuille, ligne, 5, region.credits.verse)
        if region.budget.taux_execution is not None:
            feuille.cell(row=ligne, column=6, value=float(region.budget.taux_execution)).number_format = FORMAT_TAUX
        else:
            ecrire_texte(feuille, ligne, 6, region.budget.absent)
        feuille.cell(row=ligne, column=7, value=region.mi_parcours)
        feuille.cell(row=ligne, column=8, value=region.en_retard)
        ligne += 1

    feuille = classeur.create_sheet("Indicateurs nationaux")
    titres = {ligne_contrat.contrat.pk: ligne_contrat.contrat.titre for ligne_contrat in vue.lignes}
    ligne = feuille_preparer(
        feuille, titre=titre, contrat="Indicateurs nationaux : valeurs des indicateurs rattachés, par contrat",
        entetes=["Indicateur national", "Pilier", "Source", "Année", "Contrat", "Valeur"],
        largeurs=[50, 40, 40, 8, 40, 14],
    )  # fmt: skip
    for indicateur, valeurs in vue.indicateurs:
        for a, valeur in valeurs.items():
            if valeur is None:
                continue
            for contrat_id, somme in [*valeur.par_contrat.items(), (None, valeur.somme)]:
                ecrire_texte(feuille, ligne, 1, indicateur.libelle)
                ecrire_texte(feuille, ligne, 2, str(indicateur.pilier))
                ecrire_texte(feuille, ligne, 3, indicateur.source)
                feuille.cell(row=ligne, column=4, value=a)
                ecrire_texte(feuille, ligne, 5, titres[contrat_id] if contrat_id else "Total des contrats")
                feuille.cell(row=ligne, column=6, value=somme).number_format = FORMAT_NOMBRE
                ligne += 1
    return classeur
