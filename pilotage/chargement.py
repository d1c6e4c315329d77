"""Écritures du domaine « contrats » : chargement des données réelles depuis `fixtures/`."""

import datetime
from decimal import Decimal
from pathlib import Path

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction

from actions.models import Action, Jalon
from contrats.enums import TypeContrat, TypeEcheance
from contrats.models import (
    COMPTES_DELIBERATION,
    Article,
    Axe,
    ChiffreDiagnostic,
    Clause,
    Contrat,
    Deliberation,
    Echeance,
    InstanceGouvernance,
    Organisation,
    Quartier,
    Signataire,
    SousAxe,
    Visa,
)
from finances.models import LigneBudgetaire, MontantAnnonce
from finances.services import budget_verifier_regles
from indicateurs.enums import NatureIndicateur
from indicateurs.models import Bilan, BilanChiffre, BilanRubrique, Cible, Indicateur
from referentiel.models import Pilier

ND = "nd"


def _decimal(valeur) -> Decimal:
    if isinstance(valeur, float):
        raise ValidationError(f"Montant écrit comme un flottant dans les données : {valeur!r}.")
    return Decimal(str(valeur))


def _date(valeur) -> datetime.date | None:
    if valeur in (None, ""):
        return None
    if isinstance(valeur, datetime.date):
        return valeur
    return datetime.date.fromisoformat(str(valeur))


def _enregistrer(modele, cles: dict, valeurs: dict):
    """update_or_create avec full_clean : les données réelles passent les mêmes contrôles qu'une saisie."""
    objet = modele.objects.filter(**cles).first() or modele(**cles)
    for champ, valeur in valeurs.items():
        setattr(objet, champ, valeur)
    objet.full_clean()
    objet.save()
    return objet


def _organisation(donnees: dict) -> Organisation:
    return _enregistrer(
        Organisation,
        {"slug": donnees["slug"]},
        {
            "nom": donnees["nom"],
            "sigle": donnees.get("sigle", ""),
            "type": donnees["type"],
            "departement": str(donnees.get("departement", "") or ""),
            "region": str(donnees.get("region", "") or ""),
        },
    )


@transaction.atomic
def contrat_charger(*, donnees: dict) -> Contrat | None:
    """Crée ou met à jour un contrat et tout son contenu à partir d'un document YAML déjà lu."""
    for org in donnees.get("organisations", []):
        _organisation(org)

    if "contrat" in donnees:
        contrat = _contrat(donnees)
    else:
        contrat = Contrat.objects.get(slug=donnees["contrat_slug"])

    for rang, delib in enumerate(donnees.get("deliberations", [])):
        _deliberation(contrat, delib, rang)

    budget_verifier_regles(contrat=contrat)
    echeances_par_defaut_creer(contrat=contrat)
    return contrat


def echeances_par_defaut_creer(*, contrat: Contrat) -> list[Echeance]:
    """Le calendrier de compte rendu du contrat ; les dates restent modifiables ensuite (admin). Chaque libellé dit
    d'où vient sa date : un article du document, une règle nationale ou une valeur par défaut de l'application."""
    prevues = []
    if contrat.type == TypeContrat.CLS:
        # Art. 2.3 : valeurs annuelles et rapport succinct sans date ; rapport à mi-parcours au plus tard le 31/03/2026
        for annee in contrat.annees:
            prevues.append(
                (TypeEcheance.VALEURS_ANNUELLES, annee,
                 f"Valeurs des indicateurs et rapport succinct {annee} (date par défaut de l'application, "
                 "l'Art. 2.3 n'en fixe pas)",
                 datetime.date(annee + 1, 3, 31))
            )  # fmt: skip
        if contrat.annee_debut + 1 <= contrat.annee_fin:
            mi_parcours = contrat.annee_debut + 1
            prevues.append(
                (TypeEcheance.RAPPORT_MI_PARCOURS, mi_parcours,
                 f"Rapport d'exécution à mi-parcours {contrat.annee_debut}-{mi_parcours}, "
                 "transmis au préfet (Art. 2.3)",
                 datetime.date(mi_parcours + 1, 3, 31))
            )  # fmt: skip
            prevues.append(
                (TypeEcheance.EVALUATION_NATIONALE, mi_parcours,
                 "Évaluation nationale à mi-parcours des contrats (règle nationale de la DIPLP, hors contrat)",
                 datetime.date(mi_parcours + 1, 6, 30))
            )  # fmt: skip
    elif contrat.type == TypeContrat.CALPAE:
        # Art. 2.4 : rapport d'exécution au plus tard le 31 mars de l'exercice suivant.
        for annee in contrat.annees:
            prevues.append(
                (TypeEcheance.RAPPORT_ANNUEL, annee, f"Rapport d'exécution {annee} (Art. 2.4)",
                 datetime.date(annee + 1, 3, 31))
            )  # fmt: skip
    echeances = []
    for type_, annee, libelle, date in prevues:
        echeance, _ = Echeance.objects.get_or_create(
            contrat=contrat, type=type_, annee=annee, defaults={"libelle": libelle, "date": date}
        )
        echeances.append(echeance)
    return echeances


def _contrat(donnees: dict) -> Contrat:
    c = donnees["contrat"]
    contrat = _enregistrer(
        Contrat,
        {"slug": c["slug"]},
        {
            "type": c["type"],
            "titre": c["titre"],
            "annee_debut": c["annee_debut"],
            "annee_fin": c["annee_fin"],
            "date_signature": _date(c.get("date_signature")),
            "lieu_signature": c.get("lieu_signature") or "",
            "departement": str(c["departement"]),
            "collectivite": Organisation.objects.get(slug=c["collectivite"]),
            "objet": (c.get("objet") or "").strip(),
            "preambule": (c.get("preambule") or "").strip(),
            "source": c.get("source") or "",
            "seuil_sous_consommation": c.get("seuil_sous_consommation", 80),
        },
    )
    organisations = {o.slug: o for o in Organisation.objects.all()}

    signataires = []
    for rang, s in enumerate(donnees.get("signataires", [])):
        signataire = _enregistrer(
            Signataire,
            {
                "contrat": contrat,
                "organisation": organisations[s["organisation"]],
                "representant": s.get("representant") or "",
            },
            {"role": s["role"], "qualite": s.get("qualite") or "", "ordre": rang},
        )
        signataires.append(signataire.pk)
    # Un signataire retiré du document n'est plus partie au contrat (ni ne le voit) au rechargement suivant.
    contrat.signataires.exclude(pk__in=signataires).delete()

    visas = donnees.get("visas", [])
    for rang, texte in enumerate(visas):
        _enregistrer(Visa, {"contrat": contrat, "ordre": rang}, {"texte": texte.strip()})
    contrat.visas.filter(ordre__gte=len(visas)).delete()

    _articles(contrat, donnees)
    _diagnostic(contrat, donnees.get("diagnostic", []))

    axes = {}
    for a in donnees.get("axes", []):
        axe = _enregistrer(
            Axe,
            {"contrat": contrat, "numero": a["numero"]},
            {
                "intitule": a["intitule"],
                "pilier": a.get("pilier") or "",
                "sous_action_304": str(a.get("sous_action_304") or ""),
                # Le pilier du référentiel national, reconnu à la sous-action du programme 304 que le document cite.
                "pilier_national": Pilier.objects.filter(sous_action_304=str(a["sous_action_304"])).first()
                if a.get("sous_action_304")
                else None,
                "code_activite": a.get("code_activite") or "",
            },
        )
        axes[axe.numero] = axe
        for rang, sa in enumerate(a.get("sous_axes", [])):
            _enregistrer(SousAxe, {"axe": axe, "intitule": sa["intitule"]}, {"ordre": rang})

    for m in donnees.get("montants_annonces", []):
        axe = axes[m["axe"]] if m.get("axe") else None
        _enregistrer(
            MontantAnnonce,
            {
                "contrat": contrat,
                "axe": axe,
                "annee": m["annee"],
                "financeur": m["financeur"],
                "source": m.get("source") or "",
            },
            {"montant": _decimal(m["montant"]), "provisoire": bool(m.get("provisoire"))},
        )

    actions = {}
    for a in donnees.get("actions", []):
        actions[str(a["numero"])] = _action(contrat, axes, a)
    for a in donnees.get("actions", []):
        cibles = [actions[str(n)] for n in a.get("interactions", []) if str(n) in actions]
        actions[str(a["numero"])].interactions.set(cibles)

    for q in donnees.get("quartiers", []):
        _enregistrer(
            Quartier, {"contrat": contrat, "nom": q["nom"], "commune": q["commune"]}, {"categorie": q["categorie"]}
        )
    for rang, i in enumerate(donnees.get("instances", [])):
        _enregistrer(
            InstanceGouvernance,
            {"contrat": contrat, "nom": i["nom"]},
            {
                "ordre": rang,
                "composition": (i.get("composition") or "").strip(),
                "role": (i.get("role") or "").strip(),
                "rythme": i.get("rythme") or "",
            },
        )
    return contrat


def _articles(contrat: Contrat, donnees: dict) -> None:
    """Les articles, recopiés dans l'ordre du document, et les clauses que l'application lit comme des données,
    chacune rattachée à l'article qui la fixe."""
    articles = {}
    for rang, a in enumerate(donnees.get("articles", [])):
        article = _enregistrer(
            Article,
            {"contrat": contrat, "ordre": rang},
            {"numero": str(a["numero"]), "titre": (a.get("titre") or "").strip(), "texte": _texte(a, "texte")},
        )
        articles.setdefault(article.numero, article)
    contrat.articles.filter(ordre__gte=len(donnees.get("articles", []))).delete()
    clauses = donnees.get("clauses", [])
    for c in clauses:
        _enregistrer(
            Clause,
            {"contrat": contrat, "type": c["type"]},
            {"valeur": c["valeur"].strip(), "article": articles[str(c["article"])] if c.get("article") else None},
        )
    contrat.clauses.exclude(type__in=[c["type"] for c in clauses]).delete()


def _diagnostic(contrat: Contrat, chiffres: list[dict]) -> None:
    contrat.chiffres_diagnostic.all().delete()
    for rang, c in enumerate(chiffres):
        chiffre = ChiffreDiagnostic(
            contrat=contrat,
            ordre=rang,
            theme=c.get("theme") or "",
            libelle=c["libelle"].strip(),
            valeur=_decimal(c["valeur"]) if c.get("valeur") is not None else None,
            valeur_texte=str(c.get("valeur_texte") or ""),
            unite=c.get("unite") or "",
            territoire=c.get("territoire") or "",
            periode=str(c.get("periode") or ""),
            source=c.get("source") or "",
        )
        chiffre.full_clean()
        chiffre.save()


def _texte(a: dict, champ: str) -> str:
    return (a.get(champ) or "").strip()


def _action(contrat: Contrat, axes: dict, a: dict) -> Action:
    axe = axes.get(a.get("axe")) if a.get("axe") else None
    sous_axe = None
    if a.get("sous_axe"):
        sous_axe = SousAxe.objects.get(axe=axe, intitule=a["sous_axe"])
    renforcement = set(a.get("renforcement") or [])
    numero = str(a["numero"])
    action = _enregistrer(
        Action,
        {"contrat": contrat, "numero": numero},
        {
            "axe": axe,
            "sous_axe": sous_axe,
            "ordre": Action.ordre_depuis_numero(numero),
            "intitule": a["intitule"].strip(),
            "intitule_fiche": _texte(a, "intitule_fiche"),
            "entete_fiche": _texte(a, "entete_fiche"),
            "constats": _texte(a, "constats"),
            "objectif_principal": _texte(a, "objectif_principal"),
            "objectifs_operationnels": _texte(a, "objectifs_operationnels"),
            "calendrier": _texte(a, "calendrier"),
            "public_cible": _texte(a, "public_cible"),
            "territoire": _texte(a, "territoire"),
            "nature": a.get("nature") or "",
            "renforcement_file_active": "file_active" in renforcement,
            "renforcement_nouveaux_publics": "nouveaux_publics" in renforcement,
            "renforcement_nouveaux_territoires": "nouveaux_territoires" in renforcement,
            "nature_precision": _texte(a, "nature_precision"),
            "pilotage": _texte(a, "pilotage"),
            "porteur": _texte(a, "porteur"),
            "partenaires": _texte(a, "partenaires"),
            "interactions_texte": _texte(a, "interactions_texte"),
            "indicateur_fiche": _texte(a, "indicateur_fiche"),
            "budget_estime": _texte(a, "budget_estime"),
            "engagements": _texte(a, "engagements"),
            "resultats_attendus": _texte(a, "resultats_attendus"),
        },
    )
    action.jalons.all().delete()
    for j in a.get("jalons", []):
        jalon = Jalon(action=action, annee=j["annee"], libelle=j["libelle"].strip())
        jalon.full_clean()
        jalon.save()

    for rang, i in enumerate(a.get("indicateurs", [])):
        _indicateur(action, i, rang)

    for ligne in a.get("budget", []):
        _enregistrer(
            LigneBudgetaire,
            {"action": action, "annee": ligne["annee"], "financeur": ligne["financeur"]},
            {"montant": _decimal(ligne["montant"])},
        )
    return action


def _indicateur(action: Action, i: dict, rang: int) -> Indicateur:
    """Un indicateur tel que le document le formule : chiffré (cibles, « nd » compris), chiffré sans cible
    (« cible_chiffree: false » : le document ne fixe aucune valeur, ni « nd ») ou qualitatif. Rien n'est déduit :
    un indicateur chiffré sans cibles ni « cible_chiffree: false » est une erreur de transcription."""
    libelle = i["libelle"].strip()
    nature = i.get("nature") or NatureIndicateur.QUANTITATIF
    cibles = i.get("cibles") or {}
    cible_chiffree = i.get("cible_chiffree", True)
    if nature == NatureIndicateur.QUANTITATIF and cible_chiffree and not cibles:
        raise ValidationError(
            f"Indicateur « {libelle} » : aucune cible transcrite. Si le document n'en fixe aucune, écrire "
            "« cible_chiffree: false » ; si elle est à définir, « nd » avec son motif."
        )
    if not cible_chiffree and cibles:
        raise ValidationError(f"Indicateur « {libelle} » : « cible_chiffree: false » et des cibles à la fois.")
    t0 = i.get("t0")
    indicateur = _enregistrer(
        Indicateur,
        {"action": action, "libelle": libelle},
        {
            "ordre": rang,
            "nature": nature,
            "cible_chiffree": bool(cible_chiffree),
            "unite": i.get("unite") or "",
            "portee": i.get("portee") or "local",
            "t0": None if t0 in (None, ND) else _decimal(t0),
            "commentaire": _texte(i, "commentaire"),
        },
    )
    # Les cibles sont celles du document : une année qui n'y figure plus disparaît au rechargement.
    indicateur.cibles.exclude(annee__in=[int(annee) for annee in cibles]).delete()
    for annee, valeur in cibles.items():
        nd = valeur == ND
        _enregistrer(
            Cible,
            {"indicateur": indicateur, "annee": int(annee)},
            {
                "valeur": None if nd else _decimal(valeur),
                "nd": nd,
                "nd_motif": _texte(i, "nd_motif") if nd else "",
                "nd_date_limite": _date(i.get("nd_date_limite")) if nd else None,
            },
        )
    return indicateur


def _deliberation(contrat: Contrat, d: dict, rang: int) -> Deliberation:
    deliberation = _enregistrer(
        Deliberation,
        {
            "organisation": Organisation.objects.get(slug=d["organisation"]),
            "organe": d.get("instance") or "",
            "date": _date(d["date"]),
            "objet": d["objet"].strip(),
        },
        {
            "contrat": contrat,
            "date_convocation": _date(d.get("date_convocation")),
            "president": d.get("president") or "",
            "secretaire": d.get("secretaire") or "",
            "rubrique": d.get("rubrique") or "",
            # Une délibération seulement citée (date et objet) n'a ni présences ni scrutin : ils restent vides.
            **{champ: d.get(champ) for champ in COMPTES_DELIBERATION},
            "membres_presents": list(d.get("membres_presents") or []),
            "membres_absents": list(d.get("membres_absents") or []),
            "expose": _texte(d, "expose"),
            "decision": _texte(d, "decision"),
        },
    )
    b = d.get("bilan")
    if b:
        bilan = _enregistrer(
            Bilan,
            {"contrat": contrat, "annee": b["annee"]},
            {
                "deliberation": deliberation,
                "montant_etat": _decimal(b["montant_etat"]) if b.get("montant_etat") is not None else None,
                "depenses_collectivite": (
                    _decimal(b["depenses_collectivite"]) if b.get("depenses_collectivite") is not None else None
                ),
            },
        )
        bilan.rubriques.all().delete()
        chiffres = {}
        for rang_r, r in enumerate(b.get("rubriques", [])):
            action = (
                Action.objects.filter(contrat=contrat, numero=str(r["action"])).first() if r.get("action") else None
            )
            rubrique = BilanRubrique.objects.create(
                bilan=bilan, ordre=rang_r, action=action, intitule=r["intitule"].strip(), texte=_texte(r, "texte")
            )
            for rang_c, ch in enumerate(r.get("chiffres", [])):
                # « entre_dans » : la clé (« cle ») d'un chiffre déjà écrit du même bilan, avec sa relation.
                parent = chiffres[ch["entre_dans"]] if ch.get("entre_dans") else None
                chiffre = BilanChiffre(
                    rubrique=rubrique,
                    ordre=rang_c,
                    libelle=ch["libelle"],
                    valeur=_decimal(ch["valeur"]),
                    nature=ch.get("nature") or "valeur",
                    reference=str(ch.get("reference") or ""),
                    parent=parent,
                    relation=ch.get("relation") or "",
                )
                chiffre.full_clean()
                chiffre.save()
                if ch.get("cle"):
                    chiffres[ch["cle"]] = chiffre
    return deliberation


def donnees_charger(*, dossier: Path) -> list[Contrat]:
    """Charge tous les fichiers YAML du dossier : d'abord les contrats, puis les documents qui s'y rattachent."""
    documents = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(dossier.glob("*.yaml"))]
    documents.sort(key=lambda d: "contrat" not in d)
    contrats = []
    with transaction.atomic():
        for document in documents:
            contrats.append(contrat_charger(donnees=document))
    return contrats
