from django import template

register = template.Library()


@register.filter
def choix_du_conflit(champ):
    """Le champ « choix-<nom> » (garder ma saisie / prendre la valeur enregistrée) d'un champ en conflit, ou None."""
    nom = f"choix-{champ.name}"
    return champ.form[nom] if nom in champ.form.fields else None


@register.filter
def conflit_de(conflits, champ):
    return conflits.get(champ.name) if conflits else None
