"""La page du contrat, telle qu'on la lit : un avenant qui fixe un montant identique à celui en vigueur le dit
(« confirmé à 40 000 € »), au lieu de « 40 000 € → 40 000 € » ; les nombres et la ponctuation haute ne se coupent
jamais en fin de ligne (espaces insécables, U+202F et U+00A0)."""

import datetime
import re
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.urls import reverse

from commun.formats import euros, insecables, nombre, pourcentage
from contrats.models import Contrat
from finances.models import Avenant, LigneBudgetaire
from pilotage.demo_fictive import demo_fictive_charger
from tests.conftest import CLS
from tests.outils import client_pour, normaliser, page

FINE, INSECABLE = "\u202f", "\u00a0"


def _texte(html: str) -> str:
    return normaliser(re.sub(r"<[^>]+>", " ", html))


def _section(html: str, identifiant: str) -> str:
    debut = html.index(f'id="{identifiant}"')
    return html[debut : html.index("</section>", debut)]


def test_l_avenant_du_contrat_fictif_confirme_quatre_montants_et_en_change_deux(pdf_factice):
    """Avenant n°1 de Valcourt (fixtures/fictif) : il fixe les six montants 2025 de l'État, prévisionnels au contrat ;
    quatre sont identiques aux montants signés (confirmés), deux changent (actions 3 et 6)."""
    contrat = demo_fictive_charger().contrat
    html = page(client_pour("valcourt-metropole").get(reverse("pilotage:contrat", args=[contrat.slug])))
    lignes = [_texte(li) for li in re.findall(r"<li>(.*?)</li>", _section(html, "avenants"), flags=re.S)]
    assert lignes == [
        "Action 1, 2025, État : confirmé à 40 000 € (montant inchangé)",
        "Action 2, 2025, État : confirmé à 25 000 € (montant inchangé)",
        "Action 3, 2025, État : 60 000 € → 65 000 €",
        "Action 4, 2025, État : confirmé à 35 000 € (montant inchangé)",
        "Action 5, 2025, État : confirmé à 20 000 € (montant inchangé)",
        "Action 6, 2025, État : 30 000 € → 35 000 €",
    ]
    assert not any(re.search(r"(\S+ €) → \1$", ligne) for ligne in lignes)


def test_une_ligne_nouvelle_de_l_avenant_est_dite_ajoutee(connecte):
    cls = Contrat.objects.get(slug=CLS)
    action = cls.actions.get(numero="1")
    avenant = Avenant.objects.create(contrat=cls, numero=1, date=datetime.date(2025, 5, 1), objet="Cofinancement")
    LigneBudgetaire.objects.create(
        action=action, annee=2025, financeur="autre", montant=Decimal(5000), avenant=avenant
    )
    avenants = _texte(_section(page(connecte("metropole").get(reverse("pilotage:contrat", args=[CLS]))), "avenants"))
    assert "Action 1, 2025, Autres partenaires : 5 000 € (ligne ajoutée par l'avenant)" in avenants
    assert "— →" not in avenants


def test_les_nombres_et_la_ponctuation_haute_ne_se_coupent_pas(connecte):
    # Les formats : espace fine insécable entre les milliers, insécable avant € et %.
    assert nombre(Decimal("255000")) == f"255{FINE}000"
    assert euros(Decimal("1234567.5")) == f"1{FINE}234{FINE}567,50{INSECABLE}€"
    assert pourcentage(Decimal("0.615")) == f"61,5{INSECABLE}%"
    # Un texte transcrit tel quel (diagnostic, clauses) : mêmes espaces, et avant « : ; ! ? » et à l'intérieur de « ».
    assert insecables("un peu plus de 255 000") == f"un peu plus de 255{FINE}000"
    assert insecables("Article 3 : « oui » ; vraiment ? 40 %") == (
        f"Article 3{INSECABLE}: «{INSECABLE}oui{INSECABLE}»{FINE}; vraiment{FINE}? 40{FINE}%"
    )
    assert insecables("21000 DIJON, 2 mois") == "21000 DIJON, 2 mois"  # ni code postal ni « 2 mois » collés
    rendu = Template("{% load format_fr %}{{ t|insecables }}").render(Context({"t": "<b>1 000</b> : x"}))
    assert rendu == f"&lt;b&gt;1{FINE}000&lt;/b&gt;{INSECABLE}: x"  # toujours échappé

    # La page du CLS de Dijon : le diagnostic (« un peu plus de 255 000 » habitants) ne se coupe plus au milieu.
    brut = connecte("metropole").get(reverse("pilotage:contrat", args=[CLS])).content.decode()
    diagnostic = _section(brut, "diagnostic")
    assert f"un peu plus de 255{FINE}000" in diagnostic
    cellules = re.findall(r"<td[^>]*>([^<]*)</td>", diagnostic)
    assert cellules and not [c for c in cellules if re.search(r"[0-9] [0-9]{3}(?![0-9])", c)]
    # Le texte fixe du gabarit : insécable avant les deux-points.
    assert "Aucun avenant&nbsp;: les montants en vigueur sont ceux du contrat signé." in brut
    assert not re.search(r"[^\s>] :", _texte(_section(brut, "avenants")).replace("&nbsp;", INSECABLE))


@pytest.mark.parametrize("valeur", ["", None])
def test_insecables_laisse_le_vide(valeur):
    gabarit = Template("{% load format_fr %}{{ t|insecables|default:'non précisé' }}")
    assert gabarit.render(Context({"t": valeur})) == "non précisé"
