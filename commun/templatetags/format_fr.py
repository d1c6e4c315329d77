from decimal import Decimal

from django import template

from commun import formats

register = template.Library()


@register.filter
def euros(montant, absent="—"):
    """332500 → « 332 500,00 € » ; aucun montant → `absent` (« — », ou « non saisi »)."""
    if montant is None or montant == "":
        return absent
    return formats.euros(Decimal(montant))


@register.filter
def verse(montant):
    """Le montant versé ; rien de versé (aucun versement, ou aucun montant) → « aucun versement », jamais « 0 € » :
    un versement est strictement positif (contrainte de la base), un total nul veut dire qu'il n'y en a aucun."""
    if not montant:
        return formats.AUCUN_VERSEMENT
    return formats.euros(Decimal(montant))


@register.filter
def nombre(valeur):
    """Nombre à la française (1 234,5) ; None → « nd »."""
    if valeur is None:
        return "nd"
    return formats.nombre(Decimal(valeur))


@register.filter(is_safe=True)
def insecables(texte):
    """Les espaces insécables de la typographie française dans un texte (nombres, avant « : ; ! ? »)."""
    return formats.insecables(str(texte)) if texte not in (None, "") else texte


@register.filter
def cible(c):
    """Une cible : sa valeur, « nd » si non définie, « — » si aucune cible n'est saisie."""
    if c is None:
        return "—"
    return "nd" if c.nd else formats.nombre(c.valeur)


@register.filter
def personne(utilisateur):
    """Un utilisateur tel qu'on le nomme : « Claire Démo, DDETS de la Côte-d'Or », jamais son identifiant."""
    return formats.nom_et_organisation(utilisateur)


@register.filter
def get_item(dictionnaire, cle):
    return dictionnaire.get(cle)


@register.filter
def pourcentage(taux, absent="—"):
    """0.615 → « 61,5 % » ; aucun taux → `absent` (« — », ou « non saisi »)."""
    return formats.pourcentage(taux) if taux not in (None, "") else absent


@register.filter
def soustraire(a, b):
    return Decimal(a or 0) - Decimal(b or 0)
