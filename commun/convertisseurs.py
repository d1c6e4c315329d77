"""Convertisseurs d'adresse partagés."""


class TexteConverter:
    """<texte:…> : comme <str:…> (tout sauf « / »), sans caractère de contrôle : « %00 » (caractère nul, que
    PostgreSQL refuse dans une requête) ou un saut de ligne donnent une page 404, jamais une erreur serveur."""

    regex = r"[^/\x00-\x1f\x7f]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value
