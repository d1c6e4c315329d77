import calendar

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from comptes.enums import Role
from comptes.models import JournalAcces, Profil
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
    "admin-metropole": ("Odile", "Maquette", "dijon-metropole", Role.ADMIN_ORGANISATION, False),
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


# --- Comptes d'une organisation : invitation, désactivation, réactivation ------------------------------------------


def invitation_envoyer(*, user, par, adresse_site: str) -> None:
    """Le courriel d'invitation : un lien pour choisir son mot de passe (le lien de réinitialisation de Django,
    valable PASSWORD_RESET_TIMEOUT), envoyé à l'adresse du compte. `adresse_site` : « https://hôte »."""
    lien = adresse_site + reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    contexte = {
        "user": user,
        "par": par,
        "lien": lien,
        "jours": settings.PASSWORD_RESET_TIMEOUT // (24 * 3600),
    }
    sujet = render_to_string("comptes/invitation_sujet.txt", contexte).strip()
    corps = render_to_string("comptes/invitation_courriel.txt", contexte)
    send_mail(sujet, corps, None, [user.email])


@transaction.atomic
def compte_inviter(*, par, prenom: str, nom: str, email: str, role: str, organisation, adresse_site: str):
    """Crée le compte (identifiant : l'adresse électronique, en minuscules), sans mot de passe utilisable, et envoie
    l'invitation une fois la transaction validée. Refuse une adresse déjà prise."""
    User = get_user_model()
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists() or User.objects.filter(username__iexact=email).exists():
        raise ValidationError({"email": "Un compte existe déjà avec cette adresse électronique."})
    user = User(username=email, email=email, first_name=prenom.strip(), last_name=nom.strip(), is_active=True)
    user.set_unusable_password()
    user.save()
    Profil.objects.create(user=user, organisation=organisation, role=role)
    transaction.on_commit(lambda: invitation_envoyer(user=user, par=par, adresse_site=adresse_site))
    return user


def compte_activer(*, par, user, actif: bool) -> None:
    """Désactive (plus aucune connexion, la session en cours cesse à la requête suivante) ou réactive un compte.
    Personne ne désactive son propre compte."""
    if user.pk == par.pk and not actif:
        raise ValidationError("Vous ne pouvez pas désactiver votre propre compte.")
    user.is_active = actif
    user.save(update_fields=["is_active"])


# --- Purge des journaux ---------------------------------------------------------------------------------------------


def mois_avant(instant, mois: int):
    """Le même jour et la même heure `mois` mois plus tôt (le dernier jour du mois s'il est plus court)."""
    total = instant.year * 12 + instant.month - 1 - mois
    annee, mois_num = divmod(total, 12)
    mois_num += 1
    jour = min(instant.day, calendar.monthrange(annee, mois_num)[1])
    return instant.replace(year=annee, month=mois_num, day=jour)


def journaux_purger(*, maintenant=None, mois: int | None = None) -> dict[str, int]:
    """Supprime ce qui a dépassé la durée de conservation (CONSERVATION_JOURNAUX_MOIS, annoncée par la page
    « Données personnelles ») : journal des accès, tentatives et journaux de django-axes ; et les sessions expirées.
    Renvoie le nombre de lignes supprimées par nature."""
    maintenant = maintenant or timezone.now()
    limite = mois_avant(maintenant, settings.CONSERVATION_JOURNAUX_MOIS if mois is None else mois)
    supprimees = {
        "journal des accès": JournalAcces.objects.anterieurs_a(limite).delete()[0],
        "tentatives de connexion": AccessAttempt.objects.filter(attempt_time__lt=limite).delete()[0],
        "connexions (axes)": AccessLog.objects.filter(attempt_time__lt=limite).delete()[0],
        "échecs (axes)": AccessFailureLog.objects.filter(attempt_time__lt=limite).delete()[0],
        "sessions expirées": Session.objects.filter(expire_date__lt=maintenant).delete()[0],
    }
    return supprimees
