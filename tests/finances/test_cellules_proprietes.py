"""Propriétés du lecteur de cellules de l'import Excel (finances/imports/cellules.py), vérifiées par hypothesis avec
tout ce qu'openpyxl peut rendre (vide, texte, entier, réel, infini, booléen, date, heure, durée) : chaque conversion
rend une valeur du bon type ou une ValidationError en français, jamais une autre exception ; aucun chiffre non ASCII
ni caractère de contrôle ne passe."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from hypothesis import example, given, settings
from hypothesis import strategies as st

from commun.formats import MONTANT_MAX
from finances.enums import Financeur
from finances.imports.cellules import (
    en_annee,
    en_financeur,
    en_identifiant,
    en_nombre,
    en_numero_action,
    en_texte,
)

cellules = st.one_of(
    st.none(),
    st.text(),
    st.text(alphabet=st.sampled_from("0123456789 ,.-€\u00a0\u202f²٣")),
    st.integers(),
    st.floats(),
    st.booleans(),
    st.decimals(),
    st.dates(),
    st.datetimes(),
    st.times(),
    st.timedeltas(),
)


class ContratFictif:
    annee_debut, annee_fin, periode = 2024, 2027, "2024-2027"

    def contient_annee(self, annee):
        return self.annee_debut <= annee <= self.annee_fin


def rend_ou_refuse(conversion, valeur, types, **kwargs):
    """La valeur convertie, ou None si la cellule est refusée avec un message."""
    try:
        resultat = conversion(valeur, **kwargs)
    except ValidationError as erreur:
        assert erreur.messages and all(m.strip() for m in erreur.messages), (conversion, valeur)
        return None
    assert isinstance(resultat, types), (conversion, valeur, resultat)
    return resultat


def vide(valeur):
    return valeur is None or (isinstance(valeur, str) and not valeur.strip())


@given(cellules)
@settings(max_examples=600)
@example("٢٠٢٥")
@example("2025\x00")
@example(float("inf"))
@example(float("nan"))
@example(True)
def test_annee(valeur):
    annee = rend_ou_refuse(en_annee, valeur, int, contrat=ContratFictif())
    if annee is not None:
        assert 2024 <= annee <= 2027 and not isinstance(annee, bool)
        assert not isinstance(valeur, str) or valeur.strip().isascii()


@given(cellules)
@settings(max_examples=600)
@example("1.250")
@example("١٢")
@example(Decimal("NaN"))
@example(Decimal("-sNaN"))
@example(1e300)
def test_nombre(valeur):
    # Une cellule vide n'est pas zéro : elle est lue « absente » (None), jamais refusée.
    attendu = type(None) if vide(valeur) else Decimal
    montant = rend_ou_refuse(en_nombre, valeur, attendu, libelle="montant", decimales=2, maximum=MONTANT_MAX)
    if montant is not None:
        assert Decimal(0) <= montant <= MONTANT_MAX
    if isinstance(valeur, str) and any(not c.isascii() and c.isdigit() for c in valeur):
        assert montant is None


@given(cellules)
@settings(max_examples=400)
@example("État")
@example(" etat ")
def test_financeur(valeur):
    financeur = rend_ou_refuse(en_financeur, valeur, str)
    assert financeur is None or financeur in Financeur.values


@given(cellules)
@settings(max_examples=400)
@example("texte\x00nul")
def test_texte(valeur):
    texte = rend_ou_refuse(en_texte, valeur, str, trop_long="Justification trop longue")
    assert texte is None or "\x00" not in texte


@given(cellules)
@settings(max_examples=400)
@example("3\x00")
@example(" 1.2 ")
def test_numero_action(valeur):
    numero = rend_ou_refuse(en_numero_action, valeur, str)
    assert numero is None or "\x00" not in numero


@given(cellules)
@settings(max_examples=400)
@example("٣")
@example("00012")
@example(-1)
def test_identifiant(valeur):
    identifiant = rend_ou_refuse(en_identifiant, valeur, int)
    assert identifiant is None or (identifiant > 0 and not isinstance(identifiant, bool))
    if isinstance(valeur, str) and identifiant is not None:
        assert valeur.strip().isascii()


def test_dates_et_heures_jamais_des_nombres():
    for valeur in (datetime.date(2025, 1, 1), datetime.time(12, 0), datetime.timedelta(days=3)):
        for conversion, kwargs in (
            (en_nombre, {"libelle": "montant", "decimales": 2, "maximum": MONTANT_MAX}),
            (en_annee, {"contrat": ContratFictif()}),
        ):
            try:
                conversion(valeur, **kwargs)
            except ValidationError as erreur:
                assert "date" in erreur.messages[0].lower() or "année" in erreur.messages[0].lower()
            else:  # pragma: no cover
                raise AssertionError((conversion, valeur))
