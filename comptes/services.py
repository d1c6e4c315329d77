from django.contrib.auth import get_user_model
from django.db import transaction

from comptes.enums import Role
from comptes.models import Profil
from contrats.enums import TypeOrganisation
from contrats.models import Contrat, Organisation, PartenaireAssocie
from referentiel.enums import Region

MOT_DE_PASSE_DEMO = "solidarites-demo"

# identifiant -> (prénom, nom, slug de l'organisation, rôle, superutilisateur). Les pages et les documents nomment les
# personnes, jamais leur identifiant : les comptes de démonstration portent des noms à l'évidence fictifs (« Démo »,
# « Exemple », « Factice »…), qu'aucune copie d'écran ne fasse prendre pour un agent réel.
COMPTES_DEMO = {
    "admin": ("Adèle", "Prototype", "dijon-metropole", Role.ADMINISTRATEUR, True),
    "ddets": ("Claire", "Démo", "ddets-21", Role.AGENT_ETAT, False),
    "metropole": ("Paul", "Exemple", "dijon-metropole", Role.AGENT_COLLECTIVITE, False),
    "finances": ("Fanny", "Factice", "dijon-metropole", Role.FINANCIER, False),
    "secretariat": ("Sacha", "Essai", "dijon-metropole", Role.SECRETARIAT, False),
    "lecteur": ("Léon", "Spécimen", "mpdm", Role.LECTEUR, False),
    "autre-territoire": ("Bruno", "Témoin", "grand-besancon-metropole", Role.AGENT_COLLECTIVITE, False),
    "national": ("Nadia", "Maquette", "dgcs-diplp", Role.NATIONAL, False),
    "region": ("Régis", "Simulé", "prefecture-region-bfc", Role.REGIONAL, False),
}
# Le partenaire principal de l'action 1 du CLS, associé au suivi en lecture seule (démonstration).
PARTENAIRES_ASSOCIES_DEMO = {"dijon-cls-2024-2027": ["mpdm"]}


@transaction.atomic
def comptes_demo_creer(*, mot_de_passe: str = MOT_DE_PASSE_DEMO) -> list:
    """Comptes de démonstration : à n'appeler que par `make demo`, jamais en production. Idempotent : un compte déjà
    créé reprend son nom, son organisation, son rôle et le mot de passe de démonstration."""
    Organisation.objects.get_or_create(
        slug="grand-besancon-metropole",
        defaults={
            "nom": "Grand Besançon Métropole",
            "type": TypeOrganisation.METROPOLE,
            "departement": "25",
            "region": Region.BOURGOGNE_FRANCHE_COMTE,
        },
    )
    # L'organisation d'un compte est un paramétrage de la plateforme, pas une donnée des documents : le CLS cite « la
    # DDETS » sans dire son département ; le compte de l'agent de l'État est rattaché par l'administrateur au service
    # de son département, qui voit les contrats de l'État de ce département.
    Organisation.objects.get_or_create(
        slug="ddets-21",
        defaults={
            "nom": "DDETS de la Côte-d'Or",
            "type": TypeOrganisation.SERVICE_ETAT,
            "departement": "21",
            "region": Region.BOURGOGNE_FRANCHE_COMTE,
        },
    )
    # L'administration centrale (vue nationale) et la préfecture de la région de Dijon (vue régionale) : des
    # organisations de la plateforme, comme le service de l'État ci-dessus.
    Organisation.objects.get_or_create(
        slug="dgcs-diplp",
        defaults={
            "nom": "Administration centrale (DGCS / DIPLP)",
            "sigle": "DGCS / DIPLP",
            "type": TypeOrganisation.ADMINISTRATION_CENTRALE,
        },
    )
    Organisation.objects.get_or_create(
        slug="prefecture-region-bfc",
        defaults={
            "nom": "Préfecture de la région Bourgogne-Franche-Comté",
            "type": TypeOrganisation.PREFECTURE,
            "region": Region.BOURGOGNE_FRANCHE_COMTE,
        },
    )
    Organisation.objects.get_or_create(
        slug="mpdm", defaults={"nom": "Médiation Prévention Dijon Métropole", "type": TypeOrganisation.ASSOCIATION}
    )
    for slug, organisations in PARTENAIRES_ASSOCIES_DEMO.items():
        for contrat in Contrat.objects.filter(slug=slug):
            for organisation in Organisation.objects.filter(slug__in=organisations):
                PartenaireAssocie.objects.get_or_create(contrat=contrat, organisation=organisation)
    User = get_user_model()
    utilisateurs = []
    for identifiant, (prenom, nom, slug, role, superuser) in COMPTES_DEMO.items():
        user, _ = User.objects.get_or_create(username=identifiant)
        user.first_name, user.last_name = prenom, nom
        user.is_superuser = superuser
        user.is_staff = superuser
        user.set_password(mot_de_passe)
        user.save()
        Profil.objects.update_or_create(
            user=user, defaults={"organisation": Organisation.objects.get(slug=slug), "role": role}
        )
        utilisateurs.append(user)
    return utilisateurs
