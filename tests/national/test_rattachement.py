"""Rattacher les indicateurs d'un contrat aux indicateurs nationaux, par la page du contrat : qui le peut, ce que
l'historique en garde, ce qui est refusé (et alors rien n'est écrit), et les valeurs additionnées de deux contrats."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from comptes.enums import Role
from contrats.models import Axe
from indicateurs.enums import NatureIndicateur
from indicateurs.models import Indicateur, Realisation
from referentiel.enums import Region
from referentiel.models import IndicateurNational, Pilier
from tests.actions.factories import ActionFactory
from tests.contrats.factories import ContratFactory, OrganisationFactory, ProfilFactory, UserFactory
from tests.outils import normaliser, page

MOT_DE_PASSE = "mot-de-passe"


def texte(reponse) -> str:
    return normaliser(re.sub(r"<[^>]+>", " ", page(reponse)))


@pytest.fixture
def national():
    return IndicateurNational.objects.create(
        pilier=Pilier.objects.get(numero=3), libelle="Personnes accompagnées vers leurs droits", source="Guide (test)"
    )


def _contrat(departement: str, valeurs: dict, region=Region.NORMANDIE):
    """Un contrat (de Normandie par défaut) : une action de l'axe « accès aux droits » (pilier 3), un indicateur
    chiffré et ses valeurs, un indicateur qualitatif ; son agent de la collectivité."""
    collectivite = OrganisationFactory(departement=departement, region=region)
    contrat = ContratFactory(collectivite=collectivite, departement=departement)
    axe = Axe.objects.create(
        contrat=contrat, numero=3, intitule="Accès aux droits", pilier_national_id=Pilier.objects.get(numero=3).pk
    )
    action = ActionFactory(contrat=contrat, numero="5", axe=axe)
    indicateur = Indicateur.objects.create(action=action, libelle="Personnes accompagnées", unite="personnes")
    Indicateur.objects.create(
        action=action,
        libelle="Un réseau de partenaires réuni",
        nature=NatureIndicateur.QUALITATIF,
        cible_chiffree=False,
    )
    for annee, valeur in valeurs.items():
        Realisation.objects.create(indicateur=indicateur, annee=annee, valeur=valeur)
    agent = ProfilFactory(
        user=UserFactory(username=f"agent-{departement}"), organisation=collectivite, role=Role.AGENT_COLLECTIVITE
    ).user
    return contrat, indicateur, agent


def _client(client, utilisateur):
    client.force_login(utilisateur)
    return client


def _envoyer(client, contrat, indicateur, avant, apres, motif=""):
    return client.post(
        reverse("indicateurs:rattachement", args=[contrat.slug]),
        {f"i{indicateur.pk}": apres or "", f"initial-i{indicateur.pk}": avant or "", "motif": motif},
    )


def test_rattaches_par_la_page_les_indicateurs_de_deux_contrats_s_additionnent(client, connecte, national):
    premier, ind1, agent1 = _contrat("14", {2024: Decimal(120), 2025: Decimal(80)})
    second, ind2, _ = _contrat("76", {2024: Decimal(30)})

    # L'agent de la collectivité rattache l'indicateur de son contrat ; l'administration centrale, celui de l'autre.
    reponse = _envoyer(_client(client, agent1), premier, ind1, None, national.pk, motif="Dialogue de gestion 2025")
    assert reponse.status_code == 302
    assert "1 rattachement enregistré." in texte(client.get(reponse.url))
    client.logout()
    reponse = _envoyer(connecte("national"), second, ind2, None, national.pk)
    assert reponse.status_code == 302
    ind1.refresh_from_db(), ind2.refresh_from_db()
    assert ind1.indicateur_national == national and ind2.indicateur_national == national

    lu = texte(client.get(reverse("national:tableau") + "?region=28"))
    assert "Personnes accompagnées vers leurs droits" in lu and "150 (2 contrats)" in lu and "80 (1 contrat)" in lu

    # L'historique de l'indicateur : qui, avant → après, motif.
    detail = texte(client.get(reverse("indicateurs:detail", args=[premier.slug, ind1.pk])))
    assert "Indicateur national : Personnes accompagnées vers leurs droits (pilier 3)" in detail
    assert "Rattachement national indicateur national — Personnes accompagnées vers leurs droits" in detail
    assert "Dialogue de gestion 2025" in detail
    historique = list(Indicateur.history.filter(id=ind1.pk).order_by("history_date"))
    assert historique[-1].history_user == agent1 and historique[-1].history_change_reason == "Dialogue de gestion 2025"

    # Détaché : ses valeurs ne comptent plus.
    _envoyer(client, second, ind2, national.pk, None)
    ind2.refresh_from_db()
    assert ind2.indicateur_national is None
    assert "120 (1 contrat)" in texte(client.get(reverse("national:tableau") + "?region=28"))
    assert "Rattachement retiré" in texte(client.get(reverse("indicateurs:detail", args=[second.slug, ind2.pk])))


def test_refus_et_rien_n_est_ecrit(client, connecte, national):
    # En Saône-et-Loire : la préfecture de région (Bourgogne-Franche-Comté) le voit, la DDETS de Côte-d'Or non.
    contrat, indicateur, agent = _contrat("71", {}, region=Region.BOURGOGNE_FRANCHE_COMTE)
    url = reverse("indicateurs:rattachement", args=[contrat.slug])
    _client(client, agent)
    # Le formulaire : un choix par indicateur chiffré ; l'indicateur qualitatif n'en a pas.
    lu = texte(client.get(url))
    assert "Pilier 3 – Personnes accompagnées vers leurs droits" in lu and "qualitatif : ne s'additionne pas" in lu
    qualitatif = Indicateur.objects.get(action__contrat=contrat, nature=NatureIndicateur.QUALITATIF)
    assert f'name="i{qualitatif.pk}"' not in page(client.get(url))

    # Un indicateur national d'un autre pilier que l'axe : absent de la liste, refusé s'il est forcé.
    autre_pilier = IndicateurNational.objects.create(
        pilier=Pilier.objects.get(numero=1), libelle="Enfants", source="s"
    )
    assert "Enfants" not in texte(client.get(url))
    reponse = _envoyer(client, contrat, indicateur, None, autre_pilier.pk)
    assert reponse.status_code == 200 and "choix valide" in texte(reponse)
    # Un indicateur retiré du référentiel n'est plus proposé.
    national.actif = False
    national.save()
    reponse = _envoyer(client, contrat, indicateur, None, national.pk)
    assert reponse.status_code == 200
    national.actif = True
    national.save()
    # Quelqu'un l'a rattaché entre-temps : le formulaire lu avant ne l'écrase pas.
    second = IndicateurNational.objects.create(pilier=national.pilier, libelle="Ateliers", source="s")
    indicateur.indicateur_national = second
    indicateur.save()
    reponse = _envoyer(client, contrat, indicateur, None, national.pk)
    assert reponse.status_code == 200 and "modifié entre-temps" in texte(reponse)
    indicateur.refresh_from_db()
    assert indicateur.indicateur_national == second
    client.logout()

    # Ni la préfecture de région (lecture), ni un lecteur, ni l'agent d'un autre territoire.
    assert connecte("region").get(url).status_code == 403
    assert _envoyer(client, contrat, indicateur, second.pk, None).status_code == 403
    client.logout()
    for nom in ("lecteur", "autre-territoire", "ddets"):
        assert connecte(nom).get(url).status_code == 404
        client.logout()
    indicateur.refresh_from_db()
    assert indicateur.indicateur_national == second


def test_sans_indicateur_national_la_page_le_dit(client, connecte):
    assert not IndicateurNational.objects.exists()
    contrat, _, agent = _contrat("14", {})
    lu = texte(_client(client, agent).get(reverse("indicateurs:rattachement", args=[contrat.slug])))
    assert "Aucun indicateur national au référentiel" in lu
    assert "L'administration centrale (DGCS / DIPLP) les ajoute" in lu
    # Rien à choisir : ni liste déroulante ni bouton d'enregistrement, chaque indicateur chiffré est dit non rattaché.
    html = _client(client, agent).get(reverse("indicateurs:rattachement", args=[contrat.slug])).content.decode()
    assert "<select" not in html and "Enregistrer les rattachements" not in html and "non rattaché" in html
    lu = texte(connecte("national").get(reverse("national:referentiel")))
    assert "Aucun indicateur national." in lu and "Ajouter un indicateur national" in lu
    assert "0304 50 23 25 02" in lu and "Pilier 3 Plan 100% d'accès aux droits" in lu


def _formulaire_de_la_page(html: str) -> dict:
    """Ce que le navigateur enverrait sans rien toucher : champs cachés et option choisie de chaque liste."""
    donnees = {}
    for balise in re.findall(r'<input[^>]*type="hidden"[^>]*>', html):
        nom, valeur = re.search(r'name="([^"]+)"', balise), re.search(r'value="([^"]*)"', balise)
        donnees[nom.group(1)] = valeur.group(1) if valeur else ""
    for nom, options in re.findall(r'<select name="([^"]+)"[^>]*>(.*?)</select>', html, flags=re.S):
        choisie = re.search(r'<option value="([^"]*)"[^>]*selected', options)
        donnees[nom] = choisie.group(1) if choisie else ""
    return donnees


def test_la_page_renvoie_le_rattachement_lu_et_permet_de_le_retirer(client, national):
    """Le formulaire affiché porte, à côté de chaque liste, le rattachement lu (champ caché « initial-… ») : retirer
    un rattachement depuis la page l'enregistre, au lieu de passer pour « aucun changement »."""
    contrat, indicateur, agent = _contrat("14", {})
    indicateur.indicateur_national = national
    indicateur.save()
    url = reverse("indicateurs:rattachement", args=[contrat.slug])
    donnees = _formulaire_de_la_page(page(_client(client, agent).get(url)))
    assert donnees[f"initial-i{indicateur.pk}"] == str(national.pk) and donnees[f"i{indicateur.pk}"] == str(
        national.pk
    )
    donnees[f"i{indicateur.pk}"] = ""
    reponse = client.post(url, donnees)
    assert reponse.status_code == 302 and "1 rattachement enregistré." in texte(client.get(reponse.url))
    indicateur.refresh_from_db()
    assert indicateur.indicateur_national is None
