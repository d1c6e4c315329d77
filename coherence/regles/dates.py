"""Dates : une action ne commence pas avant la délibération qui autorise le contrat, ni hors de sa période ; le
contrat est signé après cette délibération ; un ordinal (« le troisième exercice ») s'accorde avec les années."""

import re

from coherence.constats import A_VERIFIER, Constat, Preuve
from coherence.dossier import nom_deliberation
from coherence.textes import ORDINAUX, citer, dates, sans_accents_meme_longueur

REGLES = {
    "dates.autorisation": "Une action ne commence pas avant la délibération qui autorise le contrat",
    "dates.signature": "Le contrat est signé après la délibération qui l'autorise",
    "dates.periode": "Le calendrier d'une action ne dépasse pas la fin du contrat",
    "dates.ordinal": "Un ordinal (« le troisième exercice ») s'accorde avec les années du contrat",
}
_ORDINAL = re.compile(r"\b(" + "|".join(ORDINAUX) + r")\s+(exercice|annee)\b")
_ANNEE = re.compile(r"\b(20[0-9][0-9])\b")


def autorisation(d):
    """La délibération qui autorise le contrat : la plus ancienne des siennes, datée au plus tard de sa première
    année (un bilan voté plus tard n'autorise rien)."""
    candidates = [x for x in d.deliberations_du_contrat if x.date.year <= d.contrat.annee_debut]
    return min(candidates, key=lambda x: x.date, default=None)


def ordinaux(texte: str) -> list[tuple[int, int, int, int]]:
    """(rang, année, début, fin) pour chaque « le troisième exercice » d'une phrase qui nomme une seule année."""
    normal = sans_accents_meme_longueur(texte)
    resultat = []
    for phrase in re.finditer(r"[^.!?;]+", normal):
        annees = set(_ANNEE.findall(phrase[0]))
        if len(annees) != 1:
            continue
        for m in _ORDINAL.finditer(phrase[0]):
            debut = phrase.start() + m.start()
            resultat.append((ORDINAUX[m[1]], int(annees.pop()), debut, debut + len(m[0])))
            break
    return resultat


def verifier(d) -> list[Constat]:
    constats = []
    contrat = d.contrat
    deliberation = autorisation(d)
    if deliberation is not None:
        preuve = Preuve(
            nom_deliberation(deliberation), "Objet", f"{deliberation.date:%d/%m/%Y} : {deliberation.objet}"
        )
        avant = []
        for action in d.actions:
            # Le début de l'action : sa première date dans la période (une fiche peut rappeler ce qui l'a précédée).
            lues = [date for date, _ in dates(action.calendrier) if date.year >= contrat.annee_debut]
            if lues and min(lues) < deliberation.date:
                avant.append(Preuve(d.document, f"Fiche action {action.numero}, calendrier", action.calendrier,
                                    d.url_action(action)))  # fmt: skip
        if avant:
            numeros = ", ".join(p.lieu.split(",")[0].removeprefix("Fiche action ") for p in avant)
            constats.append(
                Constat(
                    "dates.autorisation", A_VERIFIER, "Calendrier des fiches actions",
                    f"{len(avant)} action{'s' if len(avant) > 1 else ''} ({numeros}) commence"
                    f"{'nt' if len(avant) > 1 else ''} avant la délibération du {deliberation.date:%d/%m/%Y} qui "
                    "autorise le contrat.",
                    (preuve, *avant),
                )
            )  # fmt: skip
        if contrat.date_signature and contrat.date_signature < deliberation.date:
            constats.append(
                Constat(
                    "dates.signature", A_VERIFIER, "Signature",
                    f"Le contrat est signé le {contrat.date_signature:%d/%m/%Y}, avant la délibération du "
                    f"{deliberation.date:%d/%m/%Y} qui l'autorise.",
                    (preuve, Preuve(d.document, "Signature", f"{contrat.lieu_signature}, le "
                                    f"{contrat.date_signature:%d/%m/%Y}")),
                )
            )  # fmt: skip
    for action in d.actions:
        # Après la fin du contrat seulement : une fiche peut rappeler ce qui l'a précédée (« lancée en octobre 2019 »).
        hors = [(date, texte) for date, texte in dates(action.calendrier) if date.year > contrat.annee_fin]
        lues = {texte for _, texte in hors}
        annees = dict.fromkeys(_ANNEE.findall(action.calendrier or ""))
        hors += [(None, a) for a in annees if int(a) > contrat.annee_fin and not any(a in t for t in lues)]
        hors += [(None, f"{j.annee} : {j.libelle}") for j in action.jalons.all() if j.annee > contrat.annee_fin]
        if hors:
            constats.append(
                Constat(
                    "dates.periode", A_VERIFIER, f"Fiche action {action.numero}",
                    f"Le calendrier de l'action dépasse la fin du contrat ({contrat.periode}) : "
                    + ", ".join(f"« {t} »" for _, t in hors) + ".",
                    (Preuve(d.document, f"Fiche action {action.numero}, calendrier", action.calendrier or hors[0][1],
                            d.url_action(action)),),
                    url=d.url_action(action),
                )
            )  # fmt: skip
    for document, lieu, texte in d.textes_du_contrat():
        for rang, annee, debut, fin in ordinaux(texte):
            attendu = annee - contrat.annee_debut + 1
            if attendu >= 1 and rang != attendu:
                constats.append(
                    Constat(
                        "dates.ordinal", A_VERIFIER, f"{document} – {lieu}",
                        f"Le texte fait de {annee} le rang {rang} ; le contrat commençant en {contrat.annee_debut}, "
                        f"{annee} en est la {attendu}{'re' if attendu == 1 else 'e'} année.",
                        (Preuve(document, lieu, citer(texte, debut, fin)),
                         Preuve(d.document, "Durée", f"{contrat.periode} (première année : {contrat.annee_debut})")),
                        sujet=f"{annee}|{rang}",
                    )
                )  # fmt: skip
    return constats
