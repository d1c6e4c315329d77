"""Bilans : l'arithmétique des chiffres liés (un total et ses parties ; un stock égal au départ plus les entrées
moins les sorties ; des « dont » qui ne dépassent pas leur total) et l'année du bilan dans la période du contrat."""

import re
from decimal import Decimal

from coherence.constats import ERREUR, INFORMATION, Constat, Preuve
from coherence.dossier import nom_deliberation
from coherence.textes import citer
from commun.formats import nombre
from indicateurs.enums import RelationChiffre

REGLES = {
    "bilans.arithmetique": "Un total vaut la somme de ses parties ; un stock, le départ plus les entrées moins "
    "les sorties",
    "bilans.dont": "Aucun « dont » d'un chiffre n'en dépasse le total",
    "bilans.periode": "Un bilan porte sur une année de la convention",
}
SIGNES = {RelationChiffre.PARTIE: 1, RelationChiffre.AJOUT: 1, RelationChiffre.RETRAIT: -1}


def attendu(termes) -> Decimal | None:
    """La valeur qu'imposent les termes (parties, ajouts, retraits), ou None s'il n'y en a pas."""
    signes = [(SIGNES[t.relation], t.valeur) for t in termes if t.relation in SIGNES]
    return sum((s * v for s, v in signes), Decimal(0)) if signes else None


def passage(texte: str, valeurs) -> str:
    """Les phrases consécutives du texte, les moins nombreuses, qui écrivent tous ces nombres (« 5 072 » ou
    « 5072 ») ; sinon le début du texte."""
    motifs = [r"[\s\u202f\u00a0.]?".join(re.findall(r"[0-9]{1,3}(?=(?:[0-9]{3})*$)", str(int(v)))) for v in valeurs]
    phrases = [p.strip() for p in re.split(r"(?<=[.!?])\s+", re.sub(r"\s+", " ", texte or "")) if p.strip()]
    meilleur = None
    for debut in range(len(phrases)):
        for fin in range(debut + 1, len(phrases) + 1):
            morceau = " ".join(phrases[debut:fin])
            if all(re.search(rf"(?<![0-9]){m}(?![0-9])", morceau) for m in motifs):
                if meilleur is None or len(morceau) < len(meilleur):
                    meilleur = morceau
                break
    return meilleur or citer(texte)


def _ecrire(chiffre) -> str:
    relation = f" [{chiffre.get_relation_display()}]" if chiffre.relation else ""
    reference = f" ({chiffre.reference})" if chiffre.reference else ""
    return f"{nombre(chiffre.valeur)} {chiffre.libelle}{reference}{relation}"


def verifier(d) -> list[Constat]:
    constats = []
    for bilan in d.bilans:
        document = nom_deliberation(bilan.deliberation) if bilan.deliberation_id else f"Bilan {bilan.annee}"
        chiffres = [(r, c) for r in bilan.rubriques.all() for c in r.chiffres.all()]
        termes = {}
        for _, c in chiffres:
            if c.parent_id:
                termes.setdefault(c.parent_id, []).append(c)
        for rubrique, total in chiffres:
            enfants = termes.get(total.pk, [])
            if not enfants:
                continue
            lieu = f"Bilan {bilan.annee} – {rubrique.intitule}"
            citation = passage(rubrique.texte, [total.valeur, *(e.valeur for e in enfants)])
            calcul = " ; ".join(_ecrire(e) for e in enfants)
            valeur = attendu(enfants)
            if valeur is not None and valeur != total.valeur:
                constats.append(
                    Constat(
                        "bilans.arithmetique", ERREUR, lieu,
                        f"« {total.libelle} » : le bilan écrit {nombre(total.valeur)}, ses termes donnent "
                        f"{nombre(valeur)} (écart de {nombre(total.valeur - valeur)}).",
                        (Preuve(document, lieu, citation),
                         Preuve(document, f"{lieu}, chiffres liés", f"{_ecrire(total)} ← {calcul}")),
                        sujet=total.libelle,
                    )
                )  # fmt: skip
            # Chaque « dont » ne dépasse pas le total, pris seul (« dont 80 femmes, dont 60 jeunes » se recouvrent).
            dont = max((e.valeur for e in enfants if e.relation == RelationChiffre.DONT), default=Decimal(0))
            if dont > total.valeur:
                constats.append(
                    Constat(
                        "bilans.dont", ERREUR, lieu,
                        f"« {total.libelle} » : {nombre(total.valeur)} au total, mais « dont {nombre(dont)} ».",
                        (Preuve(document, lieu, citation),
                         Preuve(document, f"{lieu}, chiffres liés", f"{_ecrire(total)} ← {calcul}")),
                        sujet=f"dont|{total.libelle}",
                    )
                )  # fmt: skip
        if not d.contrat.contient_annee(bilan.annee):
            constats.append(
                Constat(
                    "bilans.periode", INFORMATION, f"Bilan {bilan.annee}",
                    f"Le bilan porte sur {bilan.annee}, hors de la période de la convention signée "
                    f"({d.contrat.periode}) : il relève d'une convention reconduite dont le texte n'est pas "
                    "enregistré.",
                    (Preuve(document, "Objet", bilan.deliberation.objet if bilan.deliberation_id else str(bilan)),
                     Preuve(d.document, "Durée", d.contrat.periode)),
                )
            )  # fmt: skip
    return constats
