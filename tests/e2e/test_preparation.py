"""Figer et transmettre dans le navigateur : la liste de contrôle, la confirmation demandée (« Annuler » n'envoie
rien et ne perd rien de ce qui est tapé), la date réelle de la transmission (jamais future), et la transmission en
retard affichée « transmis en retard (N jours) » sur l'accueil du secrétariat."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect

from contrats.enums import TypeEcheance
from contrats.models import Echeance
from rapports.cles import CleRapport
from rapports.enums import TypeRapport
from rapports.models import VersionRapport
from rapports.services import version_figer
from tests.e2e.conftest import CLS, message

pytestmark = pytest.mark.e2e

APERCU = f"/contrats/{CLS}/rapports/mi-parcours/"
MOTIF = "Transmission demandée par la préfecture avant la validation des années."


def test_liste_de_controle_et_figer_annule_puis_confirme(ouvrir, cls):
    secretariat = ouvrir("secretariat", annuler=1)
    secretariat.goto(APERCU)
    preparation = secretariat.locator("#preparation")
    expect(preparation.get_by_role("heading", name="Avant de figer pour transmission")).to_be_visible()
    expect(preparation).to_contain_text("À faire : Suivi 2024 validé par l'État")
    expect(preparation).to_contain_text("À faire : Exécution 2025 saisie : non saisie")
    expect(preparation.get_by_role("link", name="Ouvrir le suivi 2024")).to_have_attribute(
        "href", f"/contrats/{CLS}/suivi/2024/"
    )
    figer = secretariat.locator("#figer")
    figer.get_by_label("Motif (obligatoire si des éléments manquent)").fill(MOTIF)
    figer.get_by_label("Je confirme : figer cette version").check()
    dialogues = []
    secretariat.on("dialog", lambda d: dialogues.append(d.message))
    # « Annuler » : rien n'est envoyé, le motif tapé reste.
    figer.get_by_role("button", name="Figer quand même (PDF/A)").click()
    expect(figer.get_by_label("Motif (obligatoire si des éléments manquent)")).to_have_value(MOTIF)
    assert secretariat.url.endswith(APERCU) and message(secretariat).count() == 0
    # Confirmé : figé, une seule version (le premier clic n'a rien écrit).
    figer.get_by_role("button", name="Figer quand même (PDF/A)").click()
    expect(message(secretariat)).to_contain_text("figé le")
    assert dialogues == ["Le document n'est pas prêt. Le figer quand même, avec le motif indiqué ?"] * 2
    version = VersionRapport.objects.get(contrat=cls, type=TypeRapport.MI_PARCOURS)
    assert version.reserve == MOTIF


def test_transmission_annulee_date_future_refusee_puis_date_reelle_en_retard(ouvrir, cls):
    aujourd_hui = timezone.localdate()
    echeance = Echeance.objects.get(contrat=cls, type=TypeEcheance.RAPPORT_MI_PARCOURS)
    du_le = aujourd_hui - datetime.timedelta(days=30)
    Echeance.objects.filter(pk=echeance.pk).update(date=du_le)
    version = version_figer(
        user=get_user_model().objects.get(username="secretariat"),
        contrat=cls,
        cle=CleRapport(TypeRapport.MI_PARCOURS),
        reserve=MOTIF,
    )
    figee = timezone.make_aware(datetime.datetime.combine(aujourd_hui - datetime.timedelta(days=10), datetime.time(9)))
    VersionRapport.objects.filter(pk=version.pk).update(cree_le=figee)

    secretariat = ouvrir("secretariat", annuler=1)
    secretariat.goto(f"/contrats/{CLS}/rapports/")
    secretariat.get_by_role("link", name="Marquer comme transmise au préfet").click()
    date = secretariat.get_by_label("Transmise le")
    expect(date).to_have_value(aujourd_hui.strftime("%d/%m/%Y"))  # aujourd'hui par défaut
    secretariat.get_by_label("Destinataire").fill("Préfet de la Côte-d'Or")
    secretariat.get_by_label("Moyen").select_option("courrier")
    secretariat.get_by_label("Je confirme que cette version a été transmise").check()
    enregistrer = secretariat.get_by_role("button", name="Enregistrer la transmission")

    # « Annuler » : rien n'est envoyé.
    enregistrer.click()
    expect(secretariat.get_by_label("Destinataire")).to_have_value("Préfet de la Côte-d'Or")
    assert message(secretariat, "danger").count() == 0 and message(secretariat).count() == 0
    version.refresh_from_db()
    assert not version.transmise

    # Une date future est refusée ; rien n'est écrit, rien de ce qui est tapé n'est perdu.
    demain = aujourd_hui + datetime.timedelta(days=1)
    date.fill(demain.strftime("%d/%m/%Y"))
    enregistrer.click()
    expect(message(secretariat, "danger")).to_contain_text("La transmission n'a pas été enregistrée")
    expect(secretariat.locator("main")).to_contain_text(
        f"La transmission ne peut pas être datée du {demain:%d/%m/%Y}, postérieur à aujourd'hui"
    )
    expect(secretariat.get_by_label("Destinataire")).to_have_value("Préfet de la Côte-d'Or")
    version.refresh_from_db()
    assert not version.transmise

    # La date réelle, trois jours plus tôt : enregistrée telle quelle, 27 jours après l'échéance.
    reelle = aujourd_hui - datetime.timedelta(days=3)
    secretariat.get_by_label("Transmise le").fill(reelle.strftime("%d/%m/%Y"))
    secretariat.get_by_label("Je confirme que cette version a été transmise").check()
    secretariat.get_by_role("button", name="Enregistrer la transmission").click()
    expect(message(secretariat)).to_contain_text(f"transmise au préfet le {reelle:%d/%m/%Y} (courrier")
    version.refresh_from_db()
    assert version.transmise and version.transmise_le == reelle and version.moyen == "courrier"

    secretariat.goto("/")
    rendus = secretariat.locator("ul[aria-labelledby=titre-rendues-en-retard] li").filter(
        has_text="Rapport d'exécution à mi-parcours"
    )
    expect(rendus).to_contain_text(f"dû le {du_le:%d/%m/%Y}, transmis en retard (27 jours) le {reelle:%d/%m/%Y}")
    expect(rendus).to_contain_text(cls.titre)
