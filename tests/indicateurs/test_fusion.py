"""La fusion à trois voies (commun/fusion.py), champ par champ : lu, saisi, enregistré."""

from commun.fusion import fusionner


def test_rien_de_change_de_part_et_d_autre():
    f = fusionner({"a": 1}, {"a": 1}, {"a": 1})
    assert f.valeurs == {"a": 1} and f.sans_conflit and not f.changes_par_autrui


def test_change_par_l_autre_seulement_prend_la_valeur_enregistree():
    f = fusionner({"a": 1, "b": "x"}, {"a": 1, "b": "y"}, {"a": 2, "b": "x"})
    assert f.valeurs == {"a": 2, "b": "y"} and f.sans_conflit and f.changes_par_autrui == ["a"]


def test_change_des_deux_cotes_pareil_n_est_pas_un_conflit():
    f = fusionner({"a": 1}, {"a": 5}, {"a": 5})
    assert f.valeurs == {"a": 5} and f.sans_conflit


def test_change_des_deux_cotes_autrement_est_un_conflit():
    f = fusionner({"a": 1, "b": None}, {"a": 3, "b": None}, {"a": 2, "b": None})
    assert not f.sans_conflit
    [conflit] = f.conflits
    assert (conflit.champ, conflit.lue, conflit.saisie, conflit.enregistree) == ("a", 1, 3, 2)


def test_vider_un_champ_que_l_autre_a_change_est_un_conflit():
    f = fusionner({"a": "texte"}, {"a": ""}, {"a": "autre texte"})
    assert [c.champ for c in f.conflits] == ["a"]
