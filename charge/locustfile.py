"""Essai de charge (`make charge`) : des agents de la collectivité parcourent les contrats, saisissent des valeurs
dans la grille (le vrai formulaire, avec son jeton CSRF et sa version), téléchargent classeurs et PDF.

Contre un serveur lancé par `make serve` (PostgreSQL, 2 processus gunicorn), sur la boucle locale seulement.
Chaque utilisateur simulé saisit ses propres valeurs (une année et un indicateur à lui) : pas de conflit d'édition
voulu ; s'il en survient un (plus d'utilisateurs que de champs), la page de conflit du produit est une réponse
normale, pas une erreur. À la fin : requêtes par seconde, médiane, p95, p99 et erreurs."""

import itertools
import random
import re
from html.parser import HTMLParser

from locust import HttpUser, between, events, task

CONTRAT = "dijon-cls-2024-2027"
COMPTE = "metropole"
MOT_DE_PASSE = "solidarites-demo"
ANNEES = (2024, 2025, 2026, 2027)
_numeros = itertools.count()


class Formulaire(HTMLParser):
    """Les champs du formulaire `id` tels qu'un navigateur les enverrait (champs, cases cochées, zones de texte)."""

    def __init__(self, ident: str):
        super().__init__()
        self.ident, self.dedans, self.champs, self._zone, self._liste, self._premiere = (
            ident,
            False,
            {},
            None,
            None,
            False,
        )

    def handle_starttag(self, balise, attributs):
        a = dict(attributs)
        if balise == "form":
            self.dedans = a.get("id") == self.ident
        if balise == "option" and self._liste:
            # Un navigateur envoie l'option choisie, à défaut la première.
            if self._premiere or "selected" in a:
                self.champs[self._liste] = a.get("value", "")
            self._premiere = False
            return
        if not self.dedans or "name" not in a or a.get("form"):
            return
        if balise == "input":
            if a.get("type") in ("submit", "button", "file") or (
                a.get("type") in ("checkbox", "radio") and "checked" not in a
            ):
                return
            self.champs[a["name"]] = a.get("value") or ""
        elif balise == "textarea":
            self._zone = a["name"]
            self.champs[self._zone] = ""
        elif balise == "select":
            self._liste, self._premiere = a["name"], True
            self.champs[self._liste] = ""

    def handle_startendtag(self, balise, attributs):
        self.handle_starttag(balise, attributs)

    def handle_endtag(self, balise):
        if balise == "form":
            self.dedans = False
        if balise == "textarea":
            self._zone = None
        if balise == "select":
            self._liste = None

    def handle_data(self, texte):
        if self._zone:
            self.champs[self._zone] += texte


def champs_du_formulaire(html: str, ident: str) -> dict:
    lecteur = Formulaire(ident)
    lecteur.feed(html)
    return lecteur.champs


class AgentCollectivite(HttpUser):
    wait_time = between(1, 3)

    def on_start(self):
        self.numero = next(_numeros)
        page = self.client.get("/connexion/", name="/connexion/")
        jeton = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        self.client.post(
            "/connexion/",
            {"username": COMPTE, "password": MOT_DE_PASSE, "csrfmiddlewaretoken": jeton},
            headers={"Referer": f"{self.host}/connexion/"},
            name="/connexion/ (POST)",
        )
        # Son année et son champ à lui : n° 0 → 2024, 1er indicateur ; n° 1 → 2025, 1er indicateur…
        self.annee = ANNEES[self.numero % len(ANNEES)]
        self.rang = self.numero // len(ANNEES)

    @task(4)
    def parcourir(self):
        self.client.get("/contrats/", name="liste des contrats")
        self.client.get(f"/contrats/{CONTRAT}/", name="page du contrat")
        self.client.get(f"/contrats/{CONTRAT}/actions/{random.randint(1, 8)}/", name="fiche action")

    @task(3)
    def saisir(self):
        adresse = f"/contrats/{CONTRAT}/suivi/{self.annee}/"
        page = self.client.get(adresse, name="grille (lecture)")
        champs = champs_du_formulaire(page.text, "grille")
        valeurs = sorted((c for c in champs if re.fullmatch(r"v\d+", c)), key=lambda c: int(c[1:]))
        if not valeurs:
            return  # année plus modifiable (soumise, validée) : rien à saisir
        champ = valeurs[self.rang % len(valeurs)]
        champs[champ] = str(random.randint(100, 999))
        champs["enregistrer"] = ""
        with self.client.post(
            adresse, champs, headers={"Referer": f"{self.host}{adresse}"}, name="grille (enregistrement)",
            catch_response=True,
        ) as reponse:  # fmt: skip
            if reponse.status_code in (200, 302) and "Rien n'a été enregistré" not in reponse.text:
                reponse.success()
            elif "conflit" in reponse.text.lower():
                reponse.success()  # la page de conflit du produit : une réponse normale
            else:
                reponse.failure(f"saisie refusée ({reponse.status_code})")

    @task(2)
    def classeurs(self):
        self.client.get(f"/contrats/{CONTRAT}/indicateurs.xlsx", name="classeur des indicateurs")
        self.client.get(f"/contrats/{CONTRAT}/budget.xlsx", name="classeur du budget")

    @task(1)
    def pdf(self):
        document = random.choice(["annuel-2024", "annuel-2025", "mi-parcours"])
        self.client.get(f"/contrats/{CONTRAT}/rapports/{document}.pdf", name="rapport PDF")


@events.quitting.add_listener
def resume(environment, **kwargs):
    total = environment.stats.total
    print(
        "\n== Essai de charge : "
        f"{total.num_requests} requêtes, {total.total_rps:.1f} requêtes/s, "
        f"médiane {total.get_response_time_percentile(0.5):.0f} ms, "
        f"p95 {total.get_response_time_percentile(0.95):.0f} ms, "
        f"p99 {total.get_response_time_percentile(0.99):.0f} ms, "
        f"erreurs {total.num_failures} ({total.fail_ratio:.1%})"
    )
    for nom, entree in sorted(environment.stats.entries.items()):
        p50, p95 = entree.get_response_time_percentile(0.5), entree.get_response_time_percentile(0.95)
        print(
            f"  {nom[1]:5} {nom[0]:28} {entree.num_requests:6d} req.  médiane {p50:6.0f} ms  p95 {p95:6.0f} ms  "
            f"erreurs {entree.num_failures}"
        )
