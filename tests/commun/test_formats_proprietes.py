"""Propriétés du seul lecteur de nombres (commun.formats.lire_nombre), vérifiées par hypothesis sur des milliers de
saisies tirées au hasard : aller-retour avec l'affichage à la française, jamais d'autre erreur que la ValidationError
documentée, jamais un chiffre non ASCII accepté, « 1.250 » toujours refusé comme ambigu."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from hypothesis import example, given, settings
from hypothesis import strategies as st

from commun.formats import MONTANT_MAX, chiffres_non_ascii, lire_entier, lire_nombre, nombre

# Centimes de 0 à MONTANT_MAX : tous les montants que l'application accepte.
montants = st.integers(min_value=0, max_value=int(MONTANT_MAX * 100)).map(lambda c: Decimal(c) / 100)
# Chiffres décimaux Unicode qui ne sont pas ASCII (arabes, persans, devanagari, pleine chasse…) et « ² », « ³ ».
chiffres_etrangers = st.characters(categories=["Nd"]).filter(lambda c: not c.isascii()) | st.sampled_from("²³¹⁰")


@given(montants)
@settings(max_examples=500)
def test_aller_retour_avec_l_affichage_francais(montant):
    assert lire_nombre(nombre(montant)) == montant


@given(st.integers(min_value=0, max_value=999_999_999))
def test_aller_retour_des_entiers(entier):
    assert lire_nombre(nombre(entier), decimales=0) == entier
    assert lire_entier(str(entier)) == entier


@given(st.text())
@settings(max_examples=1000)
@example("1e999")
@example("NaN")
@example("Infinity")
@example("-0")
@example("\x00")
@example("1\x002")
@example("٣")
@example("1 234,5 €")
def test_jamais_d_autre_erreur_que_la_validation(texte):
    try:
        valeur = lire_nombre(texte)
    except ValidationError as erreur:
        assert erreur.messages and all(message.strip() for message in erreur.messages)
    else:
        assert isinstance(valeur, Decimal) and valeur.is_finite()
        assert Decimal(0) <= valeur <= MONTANT_MAX
        assert valeur == valeur.quantize(Decimal("0.01"))


@given(st.text(alphabet=st.sampled_from("0123456789 ,.-")), chiffres_etrangers, st.integers(min_value=0))
def test_un_chiffre_non_ascii_n_est_jamais_accepte(texte, chiffre, position):
    position = position % (len(texte) + 1)
    saisie = texte[:position] + chiffre + texte[position:]
    assert chiffres_non_ascii(saisie)
    try:
        lire_nombre(saisie)
    except ValidationError:
        pass
    else:  # pragma: no cover - ce serait le défaut cherché
        raise AssertionError(f"{saisie!r} accepté")
    assert lire_entier(saisie) is None


@given(
    st.integers(min_value=1, max_value=999), st.lists(st.integers(min_value=0, max_value=999), min_size=1, max_size=3)
)
@example(1, [250])
def test_point_des_milliers_toujours_ambigu(tete, groupes):
    saisie = str(tete) + "".join(f".{g:03d}" for g in groupes)
    try:
        lire_nombre(saisie)
    except ValidationError as erreur:
        assert erreur.code == "ambigu"
        assert "ambigu" in erreur.messages[0]
    else:  # pragma: no cover
        raise AssertionError(f"{saisie!r} accepté")
