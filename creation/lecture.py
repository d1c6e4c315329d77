"""Lecture et contrôle du classeur de l'annexe, sans rien écrire : chaque erreur en français, avec sa cellule.

Le fichier passe les contrôles de l'import Excel (finances/imports : taille, vrai .xlsx, bombes ZIP, macros, DTD,
aucune formule évaluée) ; chaque cellule est lue par ses lecteurs (numéro d'action, année, nombre à la française,
texte). Les règles du contrat sont celles qui s'appliquent déjà ailleurs : années dans la période
(`Contrat.contient_annee`), cofinancement et répartition par axe (`finances.services.regles_budget`, appliquée au
contrat non enregistré), numéros d'action (`Action.ordre_depuis_numero`, unicité). L'aperçu montre ce qui sera créé ;
la création (creation/services.py) relit l'analyse gardée en session et écrit tout ou rien."""

import datetime
import hashlib
import re
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from openpyxl.utils import get_column_letter

from actions.enums import NatureAction
from actions.models import Action
from commun.formats import euros
from creation.modele import (
    COLONNES_INDICATEURS,
    FEUILLE_BUDGET,
    FEUILLE_INDICATEURS,
    LIGNE_ANNEES,
    LIGNE_ENTETES_BUDGET,
    LIGNE_ENTETES_INDICATEURS,
    ND,
    PARTS,
    ActionAnnexe,
    IndicateurAnnexe,
    colonne_part,
    colonnes_budget,
    colonnes_indicateurs,
)
from finances.enums import Financeur
from finances.imports.cellules import (
    REFUSEE,
    LigneLue,
    afficher,
    en_annee,
    en_nombre,
    en_numero_action,
    en_texte,
    normaliser,
    vide,
)
from finances.imports.feuille import classeur_ouvert, feuille_trouver, formules_hors_colonnes, valeurs_de_la_ligne
from finances.imports.fichier import Erreur, FichierRefuse, fichier_verifier
from finances.imports.modele import LIGNES_MAX
from finances.imports.validation import VALEUR_MAX
from finances.models import MONTANT_MAX
from finances.services import regles_budget

NUMERO_ACTION = re.compile(r"[0-9]{1,3}(\.[0-9]{1,3})?")
LIBELLE_MAX = 500


@dataclass
class AnalyseAnnexe:
    """Ce que le classeur créerait, et tout ce qui l'en empêche. Rien n'est écrit à ce stade."""

    empreinte: str
    nom: str = ""
    actions: list[ActionAnnexe] = field(default_factory=list)
    indicateurs: list[IndicateurAnnexe] = field(default_factory=list)
    erreurs: list[Erreur] = field(default_factory=list)

    @property
    def valide(self) -> bool:
        return not self.erreurs and bool(self.actions)

    def totaux(self, annees: list[int]) -> list[tuple[int, Decimal, Decimal, Decimal]]:
        """(année, total, État, collectivité) de l'ensemble des actions."""
        resultat = []
        for annee in annees:
            etat = sum((a.montants[annee][0] for a in self.actions if annee in a.montants), Decimal(0))
            collectivite = sum((a.montants[annee][1] for a in self.actions if annee in a.montants), Decimal(0))
            resultat.append((annee, etat + collectivite, etat, collectivite))
        return resultat

    def en_session(self) -> dict:
        """Sérialisable en JSON : montants et valeurs en chaînes, dates en AAAA-MM-JJ."""

        def texte(valeur):
            return None if valeur is None else str(valeur)

        return {
            "empreinte": self.empreinte,
            "nom": self.nom,
            "actions": [
                asdict(a) | {"montants": {str(an): [str(e), str(c)] for an, (e, c) in a.montants.items()}}
                for a in self.actions
            ],
            "indicateurs": [
                asdict(i)
                | {
                    "t0": texte(i.t0),
                    "cibles": {str(an): texte(v) for an, v in i.cibles.items()},
                    "nd_date_limite": i.nd_date_limite.isoformat() if i.nd_date_limite else None,
                }
                for i in self.indicateurs
            ],
        }

    @classmethod
    def depuis_session(cls, donnees: dict) -> "AnalyseAnnexe":
        def nombre(valeur):
            return None if valeur is None else Decimal(valeur)

        actions = [
            ActionAnnexe(
                **(a | {"montants": {int(an): (Decimal(e), Decimal(c)) for an, (e, c) in a["montants"].items()}})
            )
            for a in donnees["actions"]
        ]
        indicateurs = [
            IndicateurAnnexe(
                **(
                    i
                    | {
                        "t0": nombre(i["t0"]),
                        "cibles": {int(an): nombre(v) for an, v in i["cibles"].items()},
                        "nd_date_limite": datetime.date.fromisoformat(i["nd_date_limite"])
                        if i["nd_date_limite"]
                        else None,
                    }
                )
            )
            for i in donnees["indicateurs"]
        ]
        return cls(empreinte=donnees["empreinte"], nom=donnees["nom"], actions=actions, indicateurs=indicateurs)


# --- Lecture des cellules propres à l'annexe ------------------------------------------------------------------------


def en_numero_axe(valeur, *, axes: dict) -> int:
    connus = ", ".join(str(n) for n in sorted(axes))
    if vide(valeur):
        raise ValidationError(f"Numéro d'axe manquant : saisissez l'un des axes du contrat ({connus}).")
    lu = afficher(valeur)
    trouve = re.fullmatch(r"(?:axe\s*)?([0-9]{1,2})", normaliser(lu))
    if isinstance(valeur, bool) or trouve is None:
        raise ValidationError(f"« {lu} » n'est pas un numéro d'axe : saisissez l'un des axes du contrat ({connus}).")
    numero = int(trouve.group(1))
    if numero not in axes:
        raise ValidationError(
            f"Axe {numero} inconnu : ce contrat a les axes {connus} (étape « Axes », rappelés dans la feuille "
            "« Axes » du modèle)."
        )
    return numero


def en_numero_de_fiche(valeur) -> str:
    numero = en_numero_action(valeur)
    if not NUMERO_ACTION.fullmatch(numero):
        raise ValidationError(f"« {numero} » n'est pas un numéro d'action : écrivez-le 3 ou 1.2 (chiffres et point).")
    return numero


def en_nombre_ou_nd(valeur, *, quoi: str) -> Decimal | None:
    """Un nombre, ou « nd » (non défini : None). Une cellule vide est une erreur : absent n'est pas zéro."""
    if isinstance(valeur, str) and normaliser(valeur) == ND:
        return None
    if vide(valeur):
        raise ValidationError(f"{quoi} manquante : saisissez un nombre, ou « nd » si elle n'est pas définie.")
    return en_nombre(valeur, libelle="nombre", decimales=2, maximum=VALEUR_MAX)


def en_nature(valeur) -> str:
    if vide(valeur):
        return NatureAction.NON_PRECISEE
    lu = normaliser(afficher(valeur)).removeprefix("action ")
    for code, libelle in NatureAction.choices:
        if code and lu in (normaliser(code.replace("_", " ")), normaliser(libelle).removeprefix("action ")):
            return code
    raise ValidationError(f"Nature « {afficher(valeur)} » inconnue : choisissez « Action nouvelle » ou « Action "
                          "existante renforcée », ou laissez vide.")  # fmt: skip


def en_date(valeur) -> datetime.date | None:
    if vide(valeur):
        return None
    if isinstance(valeur, datetime.datetime):
        return valeur.date()
    if isinstance(valeur, datetime.date):
        return valeur
    try:
        return datetime.datetime.strptime(str(valeur).strip(), "%d/%m/%Y").date()
    except ValueError:
        raise ValidationError(f"« {afficher(valeur)} » n'est pas une date : écrivez-la jj/mm/aaaa.") from None


def _libelle(valeur, quoi: str) -> str:
    texte = en_texte(valeur, trop_long=f"{quoi} trop long")
    if not texte:
        raise ValidationError(f"{quoi} manquant.")
    if len(texte) > LIBELLE_MAX:
        raise ValidationError(f"{quoi} trop long : {len(texte)} caractères, {LIBELLE_MAX} au maximum.")
    return texte


# --- Le classeur ----------------------------------------------------------------------------------------------------


def annexe_analyser(*, brouillon, donnees: bytes, nom: str = "") -> AnalyseAnnexe:
    """Contrôle, lit et valide le classeur de l'annexe contre le brouillon (période, axes), sans rien écrire.
    Aucune requête : le contrat, ses axes et ses actions ne sont pas encore enregistrés."""
    analyse = AnalyseAnnexe(empreinte=hashlib.sha256(donnees).hexdigest(), nom=nom)
    try:
        fichier_verifier(donnees)
        feuilles = _feuilles_lire(donnees, brouillon.annees)
    except FichierRefuse as refus:
        analyse.erreurs = refus.erreurs
        return analyse
    contrat = brouillon.contrat_provisoire()
    axes = brouillon.axes_provisoires(contrat)
    (lignes_budget, erreurs_budget), (lignes_indicateurs, erreurs_indicateurs) = feuilles
    analyse.erreurs += erreurs_budget + erreurs_indicateurs
    if not erreurs_budget or lignes_budget:
        _budget_valider(lignes_budget, contrat=contrat, axes=axes, brouillon=brouillon, analyse=analyse)
    if not erreurs_indicateurs or lignes_indicateurs:
        _indicateurs_valider(lignes_indicateurs, contrat=contrat, analyse=analyse)
    analyse.erreurs.sort(key=_ordre_erreur)
    return analyse


def _feuilles_lire(donnees: bytes, annees: list[int]):
    resultat = []
    with classeur_ouvert(donnees) as classeur:
        for nom, colonnes, ligne_entetes in (
            (FEUILLE_BUDGET, colonnes_budget(annees), LIGNE_ENTETES_BUDGET),
            (FEUILLE_INDICATEURS, colonnes_indicateurs(annees), LIGNE_ENTETES_INDICATEURS),
        ):
            feuille = feuille_trouver(classeur, nom)
            lignes, erreurs = _feuille_lire(feuille, nom=nom, colonnes=colonnes, ligne_entetes=ligne_entetes,
                                            annees=annees)  # fmt: skip
            erreurs += formules_hors_colonnes(donnees, feuille, nom=nom, nb_colonnes=len(colonnes))
            resultat.append((lignes, erreurs))
    return resultat


def _feuille_lire(feuille, *, nom, colonnes, ligne_entetes, annees):
    """Les lignes de données (numéro, valeurs brutes) sous les en-têtes ; années et en-têtes vérifiés."""
    erreurs, lignes = [], []
    contrat = _Periode(annees)
    entetes_lus = False
    decalees = []  # années ou en-têtes hors de leur place : chaque donnée serait une fausse erreur
    for numero, cellules in enumerate(
        feuille.iter_rows(min_row=1, max_row=ligne_entetes + LIGNES_MAX + 1, max_col=len(colonnes)), start=1
    ):
        valeurs = valeurs_de_la_ligne(cellules, numero=numero, nom=nom, erreurs=erreurs, nb_colonnes=len(colonnes))
        if nom == FEUILLE_BUDGET and numero == LIGNE_ANNEES:
            colonnes_annees = [colonne_part(annees, a, "Total") for a in annees]
            decalees += _annees_verifier(valeurs, numero=numero, nom=nom, contrat=contrat, annees=annees,
                                         colonnes=colonnes_annees)  # fmt: skip
        elif numero == ligne_entetes:
            entetes_lus = True
            attendues = list(colonnes)
            if nom == FEUILLE_INDICATEURS:  # les années y sont les en-têtes des cibles
                debut = len(COLONNES_INDICATEURS)
                colonnes_annees = [debut + 1 + rang for rang in range(len(annees))]
                decalees += _annees_verifier(valeurs, numero=numero, nom=nom, contrat=contrat, annees=annees,
                                             colonnes=colonnes_annees)  # fmt: skip
                for colonne in colonnes_annees:
                    valeurs[colonne - 1] = attendues[colonne - 1]  # déjà contrôlées
            decalees += _entetes_verifier(valeurs, colonnes=attendues, nom=nom, numero=numero)
            if decalees:
                return [], erreurs + decalees
        elif numero > ligne_entetes and not all(vide(v) for v in valeurs):
            lignes.append((numero, valeurs))
    if not entetes_lus:
        erreurs.append(Erreur(f"En-têtes absents en ligne {ligne_entetes} de la feuille « {nom} » : partez du modèle "
                              "à télécharger.", nom, f"A{ligne_entetes}"))  # fmt: skip
    return lignes, erreurs + decalees


class _Periode:
    """Ce que `en_annee` lit d'un contrat : sa période."""

    def __init__(self, annees):
        self.annee_debut, self.annee_fin = annees[0], annees[-1]
        self.periode = f"{annees[0]}-{annees[-1]}"

    def contient_annee(self, annee):
        return self.annee_debut <= annee <= self.annee_fin


def _annees_verifier(valeurs, *, numero, nom, contrat, annees, colonnes) -> list[Erreur]:
    """Les années en tête des colonnes : chacune dans la période, dans l'ordre, aucune de trop ni de moins."""
    erreurs = []
    for annee_attendue, colonne in zip(annees, colonnes, strict=True):
        cellule = f"{get_column_letter(colonne)}{numero}"
        valeur = valeurs[colonne - 1]
        if valeur is REFUSEE:
            continue
        try:
            lue = en_annee(valeur, contrat=contrat)
        except ValidationError as erreur:
            erreurs.append(Erreur(f"{erreur.messages[0]} Les colonnes portent les années {contrat.periode}, une par "
                                  "année.", nom, cellule))  # fmt: skip
            continue
        if lue != annee_attendue:
            message = (f"Année {lue} à la place de {annee_attendue} : les colonnes portent les années "
                       f"{contrat.periode} dans l'ordre, sans en sauter ni en répéter.")  # fmt: skip
            erreurs.append(Erreur(message, nom, cellule))
    return erreurs


def _entetes_verifier(valeurs, *, colonnes, nom, numero) -> list[Erreur]:
    erreurs = []
    for rang, (valeur, attendu) in enumerate(zip(valeurs, colonnes, strict=True), start=1):
        if valeur is REFUSEE:
            continue
        lu = afficher(valeur) if not vide(valeur) else ""
        if normaliser(lu) != normaliser(attendu):
            cellule = f"{get_column_letter(rang)}{numero}"
            erreurs.append(Erreur(f"En-tête inattendu en {nom}!{cellule} : « {lu} » au lieu de « {attendu} ». Ne "
                                  "renommez ni ne déplacez les colonnes du modèle.", nom, cellule))  # fmt: skip
    return erreurs


def _budget_valider(lignes, *, contrat, axes, brouillon, analyse) -> None:
    annees = brouillon.annees
    vues: dict[str, int] = {}
    total_lu = None
    provisoires = {}  # numéro → Action non enregistrée, pour les règles de cofinancement
    for numero, valeurs in lignes:
        ligne = LigneLue(feuille=FEUILLE_BUDGET, numero=numero, erreurs=analyse.erreurs)
        if vide(valeurs[0]) and vide(valeurs[1]) and isinstance(valeurs[2], str):
            if normaliser(valeurs[2]) == "total":
                total_lu = (numero, valeurs)
                continue
        if vide(valeurs[1]) and vide(valeurs[2]) and all(vide(v) for v in valeurs[3:]):
            continue  # ligne du modèle où seul l'axe est choisi : rien à créer
        axe = ligne.lire("A", valeurs[0], en_numero_axe, axes=axes)
        numero_action = ligne.lire("B", valeurs[1], en_numero_de_fiche)
        intitule = ligne.lire("C", valeurs[2], _libelle, quoi="Intitulé de l'action")
        if numero_action is not None:
            if numero_action in vues:
                ligne.erreur("B", f"Action {numero_action} en double : elle figure déjà ligne {vues[numero_action]}.")
            else:
                vues[numero_action] = numero
        montants = {}
        for annee in annees:
            parts = {}
            for part in PARTS:
                colonne = colonne_part(annees, annee, part)
                lettre, valeur = get_column_letter(colonne), valeurs[colonne - 1]
                parts[part] = ligne.lire(lettre, valeur, en_nombre, libelle="montant", decimales=2,
                                         maximum=MONTANT_MAX)  # fmt: skip
                if vide(valeur) and part != "Total":
                    ligne.erreur(lettre, f"Montant {annee} ({part}) manquant : saisissez 0 si ce financeur n'apporte "
                                         "rien cette année.")  # fmt: skip
            etat, collectivite, total = parts["État"], parts["Collectivité"], parts["Total"]
            if None not in (etat, collectivite, total) and total != etat + collectivite:
                ligne.erreur(
                    get_column_letter(colonne_part(annees, annee, "Total")),
                    f"Total {annee} de {euros(total)} : l'État ({euros(etat)}) et la collectivité "
                    f"({euros(collectivite)}) totalisent {euros(etat + collectivite)}.",
                )
            montants[annee] = (etat, collectivite)
        nature = ligne.lire(get_column_letter(len(valeurs)), valeurs[-1], en_nature)
        if not ligne.valide:
            continue
        action = Action(contrat=contrat, axe=axes[axe], numero=numero_action, intitule=intitule,
                        ordre=Action.ordre_depuis_numero(numero_action))  # fmt: skip
        action.pk = len(provisoires) + 1  # identifiant provisoire, pour les règles de cofinancement
        # La règle du contrat (50 % au moins par la collectivité), action par action et année par année : l'erreur
        # porte sur la cellule de la collectivité.
        for annee, (etat, collectivite) in montants.items():
            cle = {(action, annee, Financeur.ETAT): etat, (action, annee, Financeur.COLLECTIVITE): collectivite}
            for message in regles_budget(contrat=contrat, montants=cle, annonces=[]):
                ligne.erreur(get_column_letter(colonne_part(annees, annee, "Collectivité")), message)
        if not ligne.valide:
            continue
        provisoires[numero_action] = action
        analyse.actions.append(ActionAnnexe(axe=axe, numero=numero_action, intitule=intitule, nature=nature,
                                            montants=montants))  # fmt: skip
    if not analyse.actions and not lignes:
        message = (f"Aucune action : la feuille « {FEUILLE_BUDGET} » ne contient aucune ligne sous les en-têtes "
                   f"(ligne {LIGNE_ENTETES_BUDGET + 1} et suivantes).")  # fmt: skip
        analyse.erreurs.append(Erreur(message, FEUILLE_BUDGET))
    _total_verifier(total_lu, analyse=analyse, annees=annees)
    _repartition_verifier(provisoires, axes=axes, brouillon=brouillon, contrat=contrat, analyse=analyse)


def _total_verifier(total_lu, *, analyse, annees) -> None:
    """La ligne TOTAL, si le classeur en a une : chaque montant égale la somme des lignes des actions."""
    if total_lu is None or analyse.erreurs:
        return
    numero, valeurs = total_lu
    ligne = LigneLue(feuille=FEUILLE_BUDGET, numero=numero, erreurs=analyse.erreurs)
    for annee, total, etat, collectivite in analyse.totaux(annees):
        for part, somme in (("Total", total), ("État", etat), ("Collectivité", collectivite)):
            colonne = colonne_part(annees, annee, part)
            lettre = get_column_letter(colonne)
            lu = ligne.lire(lettre, valeurs[colonne - 1], en_nombre, libelle="montant", decimales=2,
                            maximum=MONTANT_MAX)  # fmt: skip
            if lu is not None and lu != somme:
                ligne.erreur(lettre, f"TOTAL {annee} ({part}) de {euros(lu)} : les lignes des actions totalisent "
                                     f"{euros(somme)}.")  # fmt: skip


def _repartition_verifier(provisoires, *, axes, brouillon, contrat, analyse) -> None:
    """La répartition par axe des crédits de l'État que l'article financier annonce (étape « Axes »)."""
    annonces = brouillon.annonces_provisoires(axes)
    if not annonces or analyse.erreurs:
        return
    montants = {}
    for lue in analyse.actions:
        action = provisoires[lue.numero]
        for annee, (etat, collectivite) in lue.montants.items():
            montants[(action, annee, Financeur.ETAT)] = etat
            montants[(action, annee, Financeur.COLLECTIVITE)] = collectivite
    annees = brouillon.annees
    for message in regles_budget(contrat=contrat, montants=montants, annonces=annonces):
        annee = int(re.search(r", ([0-9]{4}) :", message).group(1))
        cellule = f"{get_column_letter(colonne_part(annees, annee, 'État'))}{LIGNE_ENTETES_BUDGET}"
        analyse.erreurs.append(Erreur(message, FEUILLE_BUDGET, cellule))


def _indicateurs_valider(lignes, *, contrat, analyse) -> None:
    annees = contrat.annees
    actions = {a.numero for a in analyse.actions}
    lues_au_budget = not any(e.feuille == FEUILLE_BUDGET for e in analyse.erreurs)
    vus: dict[tuple, int] = {}
    fin = len(COLONNES_INDICATEURS) + len(annees)
    for numero, valeurs in lignes:
        ligne = LigneLue(feuille=FEUILLE_INDICATEURS, numero=numero, erreurs=analyse.erreurs)
        action = ligne.lire("A", valeurs[0], en_numero_de_fiche)
        if action is not None and lues_au_budget and action not in actions:
            ligne.erreur("A", f"L'action « {action} » ne figure pas au tableau budgétaire : chaque indicateur se "
                              "rattache à une action de ce tableau.")  # fmt: skip
        libelle = ligne.lire("B", valeurs[1], _libelle, quoi="Libellé de l'indicateur")
        if action is not None and libelle is not None:
            if (action, normaliser(libelle)) in vus:
                ligne.erreur("B", f"Indicateur en double pour l'action {action} : il figure déjà ligne "
                                  f"{vus[(action, normaliser(libelle))]}.")  # fmt: skip
            else:
                vus[(action, normaliser(libelle))] = numero
        t0 = ligne.lire("C", valeurs[2], en_nombre_ou_nd, quoi="Situation T0")
        cibles = {}
        for rang, annee in enumerate(annees):
            colonne = len(COLONNES_INDICATEURS) + 1 + rang
            cibles[annee] = ligne.lire(get_column_letter(colonne), valeurs[colonne - 1], en_nombre_ou_nd,
                                       quoi=f"Cible {annee}")  # fmt: skip
        unite = ligne.lire(get_column_letter(fin + 1), valeurs[fin], en_texte, trop_long="Unité trop longue")
        if unite and len(unite) > 100:
            ligne.erreur(get_column_letter(fin + 1), "Unité trop longue : 100 caractères au maximum.")
        commentaire = ligne.lire(get_column_letter(fin + 2), valeurs[fin + 1], en_texte,
                                 trop_long="Commentaire trop long")  # fmt: skip
        motif = ligne.lire(get_column_letter(fin + 3), valeurs[fin + 2], en_texte, trop_long="Motif trop long")
        date_limite = ligne.lire(get_column_letter(fin + 4), valeurs[fin + 3], en_date)
        colonnes_cibles = range(len(COLONNES_INDICATEURS), len(COLONNES_INDICATEURS) + len(annees))
        a_nd = any(isinstance(valeurs[c], str) and normaliser(valeurs[c]) == ND for c in colonnes_cibles)
        if a_nd and not motif and valeurs[fin + 2] is not REFUSEE:
            ligne.erreur(get_column_letter(fin + 3), "Motif du nd manquant : une cible « nd » dit pourquoi elle "
                                                     "n'est pas définie à la signature.")  # fmt: skip
        if not ligne.valide:
            continue
        analyse.indicateurs.append(
            IndicateurAnnexe(
                action=action, libelle=libelle, t0=t0, cibles=cibles, unite=unite, commentaire=commentaire,
                nd_motif=motif if a_nd else "", nd_date_limite=date_limite if a_nd else None,
            )
        )  # fmt: skip


def _ordre_erreur(erreur: Erreur) -> tuple:
    """Feuille par feuille, dans l'ordre du fichier : ligne puis colonne ; les erreurs du fichier entier d'abord."""
    position = re.fullmatch(r"([A-Z]+)([0-9]+)", erreur.cellule)
    feuille = [FEUILLE_BUDGET, FEUILLE_INDICATEURS].index(erreur.feuille) if erreur.feuille in (
        FEUILLE_BUDGET, FEUILLE_INDICATEURS) else -1  # fmt: skip
    if position is None:
        return (feuille, 0, 0, "")
    return (feuille, int(position.group(2)), len(position.group(1)), position.group(1))
