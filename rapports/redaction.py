"""Le texte du projet de délibération, rédigé à partir des données, dans la forme du registre des délibérations
(« OBJET : », exposé, « Le Conseil, après en avoir délibéré, décide : », scrutin)."""

from dataclasses import dataclass, field

from django.utils.formats import date_format

from commun.formats import euros, pourcentage
from contrats.enums import Organe, TypeOrganisation

ADJECTIFS = {
    TypeOrganisation.METROPOLE: "métropolitain",
    TypeOrganisation.COMMUNE: "municipal",
    TypeOrganisation.DEPARTEMENT: "départemental",
    TypeOrganisation.REGION: "régional",
}


@dataclass
class Bloc:
    """Un paragraphe de l'exposé, suivi éventuellement d'une liste à puces."""

    texte: str
    puces: list[str] = field(default_factory=list)


@dataclass
class Decision:
    introduction: str
    articles: list[str]


def organe_court(organe: str | None) -> str:
    return Organe(organe).label if organe else Organe.CONSEIL.label


def organe_nom(organe: str | None, organisation) -> str:
    """« Conseil métropolitain », « Bureau métropolitain », ou « Conseil » pour une organisation sans adjectif."""
    adjectif = ADJECTIFS.get(organisation.type)
    return f"{organe_court(organe)} {adjectif}" if adjectif else organe_court(organe)


def date_longue(date) -> str:
    texte = date_format(date, "j F Y")
    return texte.replace("1 ", "1er ", 1) if date.day == 1 else texte


def _s(n: int) -> str:
    """Marque du pluriel à la française : 0 et 1 au singulier."""
    return "s" if n >= 2 else ""


def _liste(elements: list[str]) -> str:
    return elements[0] if len(elements) == 1 else ", ".join(elements[:-1]) + " et " + elements[-1]


def _president(rapport) -> str:
    president = (rapport.vote or rapport.approbation).president if (rapport.vote or rapport.approbation) else ""
    return "Madame la Présidente" if president.startswith("Madame") else "Monsieur le Président"


def _extrait(texte: str, longueur: int = 320) -> str:
    texte = " ".join(texte.split())
    return texte if len(texte) <= longueur else texte[: longueur - 1].rsplit(" ", 1)[0] + "…"


def expose(rapport) -> list[Bloc]:
    contrat, synthese = rapport.contrat, rapport.synthese
    collectivite = contrat.collectivite.nom
    etat = [s.organisation.nom for s in rapport.etat]
    parties = f"l'État ({_liste(etat)}) et {collectivite}" if etat else collectivite
    blocs = []

    if rapport.approbation:
        approbation = rapport.approbation
        origine = (
            f"Par délibération du {date_longue(approbation.date)}, le "
            f"{organe_nom(approbation.organe, approbation.organisation)} a approuvé le {contrat.titre}"
        )
    else:
        origine = f"Le {contrat.titre} a été"
    verbe = ", conclu" if rapport.approbation else " conclu"
    groupes = [axe for axe in rapport.axes if axe.actions]
    blocs.append(
        Bloc(
            f"{origine}{verbe} entre {parties} pour la période {contrat.periode}. Il compte "
            f"{synthese.nb_actions} action{'s' if synthese.nb_actions > 1 else ''}"
            + (f" réparties en {synthese.nb_axes} axes :" if synthese.nb_axes > 1 else " :"),
            [
                (f"Axe « {axe.axe.intitule} » : " if axe.axe else "")
                + ("actions " if len(axe.actions) > 1 else "action ")
                + _liste([f"n°{a.action.numero}" for a in axe.actions])
                for axe in groupes
            ],
        )
    )

    if rapport.cle.est_mi_parcours:
        blocs.append(
            Bloc(
                f"Dans le cadre de l'évaluation à mi-parcours, {collectivite} est chargée de préparer un rapport "
                f"d'exécution du contrat couvrant la période du {date_longue(rapport.debut)} au "
                f"{date_longue(rapport.fin)}. Il décrit, pour chaque action, les résultats obtenus et le niveau "
                "d'atteinte des objectifs fixés, présente un bilan financier des actions mises en œuvre et précise "
                "en annexe l'exécution budgétaire des crédits contractualisés et la matrice des indicateurs. "
                "Ce rapport fait l'objet de la présente délibération en vue de sa transmission au préfet."
            )
        )
    else:
        blocs.append(
            Bloc(
                f"{collectivite} renseigne chaque année le niveau d'atteinte des indicateurs et établit un rapport "
                f"d'état d'avancement des actions contractualisées. Le rapport annuel {rapport.periode} couvre la "
                f"période du {date_longue(rapport.debut)} au {date_longue(rapport.fin)}."
            )
        )

    budget = synthese.budget
    par_annee = [f"{euros(b.prevu.total)} en {b.annee}" for b in synthese.budgets]
    etat_par_annee = [f"{euros(b.prevu.etat)} en {b.annee}" for b in synthese.budgets]
    provisoires = [str(b.annee) for b in synthese.budgets if b.provisoire]
    texte = f"Le budget contractualisé en vigueur s'élève à {_liste(par_annee)}"
    if len(synthese.budgets) > 1:
        texte += f", soit {euros(budget.prevu.total)} sur la période"
    texte += f", dont {euros(budget.prevu.etat)} apportés par l'État"
    if len(synthese.budgets) > 1:
        texte += f" ({_liste(etat_par_annee)})"
    texte += f" et {euros(budget.prevu.collectivite)} par {collectivite}"
    if budget.prevu.autre:
        texte += f" et {euros(budget.prevu.autre)} par d'autres partenaires"
    texte += "."
    if provisoires:
        texte += f" Le montant de l'État pour {_liste(provisoires)} est prévisionnel : il est précisé par avenant."
    for b in synthese.budgets:
        if not b.saisi:
            texte += f" En {b.annee}, l'exécution budgétaire n'est pas saisie."
            continue
        partiel = " (exécution partiellement saisie)" if b.etat_saisie else ""
        texte += (
            f" En {b.annee}, {euros(b.engage_total)} ont été engagés et {euros(b.realise_total)} réalisés, soit un "
            f"taux d'exécution de {pourcentage(b.taux_execution)}{partiel}."
        )
    if synthese.sous_consommations:
        cellules = [
            f"action n°{c.action.numero} en {c.annee} ({c.financeur_libelle}, {pourcentage(c.taux)})"
            for c in synthese.sous_consommations
        ]
        # Le contrat parle de « sous-consommation manifeste » sans taux : le seuil est un paramètre de l'application.
        texte += (
            f" Sous le seuil de sous-consommation paramétré dans l'application ({synthese.seuil} %) : "
            f"{_liste(cellules)}."
        )
    blocs.append(Bloc(texte))

    if synthese.nb_indicateurs:
        nationaux = f", dont {synthese.nb_nationaux} nationaux" if synthese.nb_nationaux else ""
        blocs.append(
            Bloc(
                f"Le contrat est suivi par {synthese.nb_indicateurs} "
                f"indicateur{_s(synthese.nb_indicateurs)}{nationaux}. "
                f"{synthese.valeurs_saisies} valeur{_s(synthese.valeurs_saisies)} sur {synthese.valeurs_attendues} "
                f"attendue{_s(synthese.valeurs_attendues)} {'sont' if synthese.valeurs_saisies >= 2 else 'est'} "
                "renseignée" + _s(synthese.valeurs_saisies) + " "
                "pour la période." + "".join(_cibles_de_l_annee(c) for c in synthese.cibles)
            )
        )

    resultats = [
        f"Action n°{a.action.numero} – {a.action.intitule} : {_extrait(a.dernier_resultat)}"
        for a in rapport.actions
        if a.dernier_resultat
    ]
    if resultats:
        blocs.append(Bloc("Parmi les résultats obtenus :", resultats))
    return blocs


def _cibles_de_l_annee(cibles) -> str:
    if not cibles.saisi:
        return f" En {cibles.annee} : valeurs non saisies (aucune cible ne peut être dite atteinte ou manquée)."
    partielles = cibles.partiellement_atteints
    dont = f" (dont {partielles} partiellement atteinte{_s(partielles)})" if partielles else ""
    indisponibles = cibles.non_disponibles
    nd = f", {indisponibles} valeur{_s(indisponibles)} non disponible{_s(indisponibles)}" if indisponibles else ""
    non_mesurables = (
        f", {cibles.non_mesurables} non mesurable{_s(cibles.non_mesurables)} (cible « nd » ou non chiffrée, valeur "
        "ou appréciation non renseignée)"
        if cibles.non_mesurables
        else ""
    )
    return (
        f" En {cibles.annee} : {cibles.atteints} cible{_s(cibles.atteints)} atteinte{_s(cibles.atteints)} sur "
        f"{cibles.mesurables} mesurable{_s(cibles.mesurables)}{dont}{nd}{non_mesurables}."
    )


def decision(rapport, organe: str | None = None) -> Decision:
    organe = organe or (rapport.vote.organe if rapport.vote else None)
    annexe = "annexé à la présente délibération"
    articles = [f"d'approuver le {rapport.titre_rapport.lower()} du {rapport.contrat.titre}, {annexe} ;"]
    transmission = f"d'autoriser {_president(rapport)} à le transmettre au préfet de région, préfet du département"
    if rapport.echeance:
        transmission += f", au plus tard le {date_longue(rapport.echeance.date)}"
    articles.append(transmission + ".")
    return Decision(f"Le {organe_court(organe)}, après en avoir délibéré, décide :", articles)


def expose_en_texte(blocs: list[Bloc]) -> str:
    return "\n\n".join("\n".join([bloc.texte, *(f"- {puce}" for puce in bloc.puces)]) for bloc in blocs)


def expose_lire(texte: str) -> list[Bloc]:
    blocs = []
    for paragraphe in texte.split("\n\n"):
        lignes = [ligne for ligne in paragraphe.split("\n") if ligne.strip()]
        if lignes:
            blocs.append(Bloc(lignes[0], [ligne.removeprefix("- ") for ligne in lignes[1:]]))
    return blocs


def decision_en_texte(decision: Decision) -> str:
    return "\n\n".join([decision.introduction, "\n".join(f"- {article}" for article in decision.articles)])


def decision_lire(texte: str) -> Decision:
    lignes = [ligne for ligne in texte.split("\n") if ligne.strip()]
    return Decision(lignes[0] if lignes else "", [ligne.removeprefix("- ") for ligne in lignes[1:]])
