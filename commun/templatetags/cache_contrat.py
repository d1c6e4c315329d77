"""`{% cache_contrat "nom" contrat autre_parametre… %}…{% endcache_contrat %}` : le fragment rendu une fois par
version des données du contrat (commun/cache.py), comme `{% cache %}` de Django mais indexé sur l'empreinte des
données plutôt que sur une durée, et écrit seulement une fois la transaction validée.

Le fragment ne doit rien contenir qui dépende de l'utilisateur (boutons, droits, jeton CSRF) ; les données qu'il
montre se passent paresseusement (QuerySet, SimpleLazyObject) pour ne rien calculer quand il est en cache. Un contrat
`None` rend le fragment sans cache (un formulaire renvoyé avec la saisie de l'utilisateur, par exemple)."""

from django import template

from commun.cache import cle, en_cache

register = template.Library()


class CacheContratNode(template.Node):
    def __init__(self, nodelist, nom, contrat, parties):
        self.nodelist = nodelist
        self.nom = nom
        self.contrat = contrat
        self.parties = parties

    def render(self, context):
        contrat = self.contrat.resolve(context)
        if contrat is None:
            return self.nodelist.render(context)
        parties = [partie.resolve(context) for partie in self.parties]
        return en_cache(
            cle(f"fragment-{self.nom.resolve(context)}", contrat, *parties), lambda: self.nodelist.render(context)
        )


@register.tag
def cache_contrat(parser, token):
    morceaux = token.split_contents()
    if len(morceaux) < 3:
        raise template.TemplateSyntaxError(f"{morceaux[0]} attend un nom et un contrat.")
    nodelist = parser.parse(("endcache_contrat",))
    parser.delete_first_token()
    nom, contrat, *parties = (parser.compile_filter(m) for m in morceaux[1:])
    return CacheContratNode(nodelist, nom, contrat, parties)
