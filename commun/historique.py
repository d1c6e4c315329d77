"""L'historique lisible : qui a changé quoi, quand, avant → après, et pourquoi (django-simple-history).

Une requête par modèle suivi, quelle que soit la longueur de l'historique ; les écarts sont calculés en Python
en comparant chaque version à la précédente du même objet. Chaque application fournit ses historiques."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import QuerySet
from django.utils import timezone

from commun.formats import nom_et_organisation, nombre

TYPES = {"+": "création", "~": "modification", "-": "suppression"}
# L'auteur d'une version, chargé avec elle : son nom et son organisation, sans une requête par ligne.
AUTEUR = "history_user__profil__organisation"


@dataclass
class Changement:
    date: datetime.datetime
    utilisateur: str
    objet: str
    champ: str
    avant: str
    apres: str
    motif: str
    type: str


def texte(valeur) -> str:
    if valeur is None or valeur == "":
        return "—"
    if isinstance(valeur, bool):
        return "oui" if valeur else "non"
    if isinstance(valeur, Decimal | int):
        return nombre(valeur)
    return str(valeur)


def changements(historiques, champs: dict, objet, formater=None) -> list[Changement]:
    formater = formater or {}
    if isinstance(historiques, QuerySet):  # chaque historique nomme ses auteurs : jointure ajoutée ici, une fois
        historiques = historiques.select_related(AUTEUR)
    precedents = {}
    resultat = []
    for version in sorted(historiques, key=lambda h: (h.id, h.history_date, h.history_id)):
        precedent = precedents.get(version.id)
        for champ, libelle in champs.items():
            avant = getattr(precedent, champ) if precedent else None
            apres = getattr(version, champ)
            if precedent is None and apres in (None, "", False):
                continue
            if avant == apres and precedent is not None:
                continue
            mise_en_forme = formater.get(champ, texte)
            resultat.append(
                Changement(
                    date=version.history_date,
                    utilisateur=nom_et_organisation(version.history_user),
                    objet=objet(version),
                    champ=libelle,
                    avant=mise_en_forme(avant) if precedent else "—",
                    apres=mise_en_forme(apres),
                    motif=version.history_change_reason or "",
                    type=TYPES.get(version.history_type, version.history_type),
                )
            )
        precedents[version.id] = version
    return resultat


def recents_d_abord(changements: list[Changement]) -> list[Changement]:
    return sorted(changements, key=lambda c: c.date, reverse=True)


def enregistrer(objet, *, user, motif: str = ""):
    """Vérifie (full_clean) et enregistre un objet suivi par django-simple-history, avec son auteur et le motif du
    changement : la seule manière dont les services écrivent un objet historisé."""
    objet._history_user = user
    if motif:
        objet._change_reason = motif
    refuser_caracteres_nuls(objet)
    objet.full_clean()
    objet.save()
    return objet


NUL = "\x00"


def refuser_caracteres_nuls(objet) -> None:
    """Un texte qui contient le caractère nul (U+0000) est refusé avant toute écriture : PostgreSQL ne sait pas le
    stocker. Les formulaires Django le refusent déjà ; ceci couvre les textes lus directement dans la requête."""
    erreurs = {
        champ.name: "Ce texte contient un caractère nul (U+0000), invisible : retirez-le puis enregistrez de nouveau."
        for champ in objet._meta.concrete_fields
        if isinstance(champ, models.CharField | models.TextField)
        and isinstance(getattr(objet, champ.attname), str)
        and NUL in getattr(objet, champ.attname)
    }
    if erreurs:
        raise ValidationError(erreurs)


def sauver(objet) -> None:
    """save() dans un point de sauvegarde, pour une création dont la clé unique est choisie par l'utilisateur sans
    verrou préalable (numéro d'avenant) : une contrainte que full_clean() a vue respectée, mais qu'une requête
    simultanée vient de prendre, devient une ValidationError en français ; la transaction englobante reste utilisable
    et l'appelant n'écrit rien. (Pas dans enregistrer() : deux requêtes de plus par objet écrit, inutiles là où un
    verrou sérialise déjà les écritures.)"""
    try:
        with transaction.atomic():
            objet.save()
    except IntegrityError as erreur:
        # L'autre transaction est validée (PostgreSQL attend sa fin avant de refuser) : la contrainte, relue, donne
        # son message en français.
        objet.validate_constraints()
        raise ValidationError(
            "Un enregistrement simultané est entré en conflit avec celui-ci : rien n'a été enregistré, réessayez."
        ) from erreur


def auteur_de_la_modification(qui, quand, user) -> str:
    """« par Paul Exemple, Dijon métropole le 04/12/2026 à 10:12 » (ou « par vous-même, dans un autre onglet… ») :
    qui a écrit en dernier, pour les messages de conflit ; vide si personne."""
    texte = ""
    if qui:
        texte = (
            " par vous-même, dans un autre onglet ou une autre fenêtre"
            if qui == user
            else f" par {nom_et_organisation(qui)}"
        )
    if quand:
        texte += f" le {timezone.localtime(quand):%d/%m/%Y à %H:%M}"
    return texte


def derniers_auteurs(historiques, ligne) -> dict:
    """ligne(version) → (utilisateur, date) de la dernière écriture de chaque ligne, parmi ces versions (l'auteur
    chargé avec elles : `select_related(AUTEUR)`)."""
    derniers = {}
    for version in historiques:
        cle = ligne(version)
        if cle not in derniers or version.history_date > derniers[cle][1]:
            derniers[cle] = (version.history_user, version.history_date)
    return derniers


def auteurs_des_champs(champs, par_ligne: dict, ligne_du_champ, user) -> dict:
    """champ → (nom, date locale) de la dernière écriture de sa ligne : ce que montrent les conflits et les champs
    repris d'une saisie fusionnée (commun/fusion.py)."""
    auteurs = {}
    for champ in champs:
        auteur = par_ligne.get(ligne_du_champ(champ))
        if auteur:
            qui, quand = auteur
            nom = "vous-même (autre onglet ou autre fenêtre)" if qui == user else nom_et_organisation(qui)
            auteurs[champ] = (nom, timezone.localtime(quand))
    return auteurs
