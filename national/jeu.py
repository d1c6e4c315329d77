"""Un jeu national synthétique : 116 contrats (métropoles à quatre axes, départements à trois) dans les 13 régions
métropolitaines, avec budget 2024-2027, exécution, versements, valeurs et comptes rendus 2024-2025. Chaque nom dit
« (synthétique) » ; aucune donnée n'en vient d'un document. Pour les tests (petit nombre) et `make bench` ; jamais
chargé par `make demo` (commande `generer_jeu_national`). Insertion en masse : quelques secondes pour 116 contrats."""

import datetime
import hashlib
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from actions.models import Action
from contrats.enums import RoleSignataire, TypeContrat, TypeEcheance, TypeOrganisation
from contrats.models import Axe, Contrat, Echeance, Organisation, Signataire
from finances.enums import Financeur
from finances.models import Avenant, Execution, LigneBudgetaire, Versement
from indicateurs.enums import StatutSuivi
from indicateurs.models import Cible, Indicateur, Realisation, SuiviAnnuel
from rapports.enums import TypeRapport
from rapports.models import VersionRapport
from referentiel.enums import REGIONS_METROPOLITAINES
from referentiel.models import IndicateurNational, Pilier

PREFIXE = "synthetique-"
MARQUE = " (synthétique)"
ANNEES = range(2024, 2028)
ANNEES_SAISIES = (2024, 2025)
ACTIONS_PAR_AXE = 2
# Des départements de chaque région (codes officiels) ; ni la Côte-d'Or ni le Doubs, où sont les contrats réels et
# les comptes de démonstration : le jeu ne change rien à ce qu'ils voient.
DEPARTEMENTS = {
    "84": ["69", "38", "63"], "27": ["71", "89", "39"], "53": ["35", "29"], "24": ["45", "37"],
    "94": ["2A", "2B"], "44": ["67", "57", "51"], "32": ["59", "62", "80"], "11": ["75", "93", "94"],
    "28": ["76", "14"], "52": ["44", "49"], "75": ["33", "87", "64"], "76": ["31", "34"], "93": ["13", "06"],
}  # fmt: skip
SOURCE_SYNTHETIQUE = "Jeu national synthétique : aucun document"


def _indicateurs_nationaux(piliers) -> dict:
    """Un indicateur national synthétique par pilier (le référentiel réel n'en a pas) : pilier_id → indicateur."""
    resultat = {}
    for pilier in piliers:
        resultat[pilier.pk], _ = IndicateurNational.objects.get_or_create(
            pilier=pilier,
            libelle=f"Personnes accompagnées – pilier {pilier.numero}{MARQUE}",
            defaults={"unite": "personnes", "source": SOURCE_SYNTHETIQUE},
        )
    return resultat


@transaction.atomic
def jeu_national_supprimer() -> int:
    """Retire le jeu synthétique (contrats, leurs organisations, les indicateurs nationaux synthétiques)."""
    contrats = Contrat.objects.filter(slug__startswith=PREFIXE)
    nombre = contrats.count()
    VersionRapport.objects.filter(contrat__in=contrats).delete()
    Versement.objects.filter(contrat__in=contrats).delete()
    LigneBudgetaire.objects.filter(action__contrat__in=contrats).delete()
    Indicateur.objects.filter(action__contrat__in=contrats).delete()
    Action.objects.filter(contrat__in=contrats).delete()
    contrats.delete()
    Organisation.objects.filter(slug__startswith=PREFIXE).delete()
    IndicateurNational.objects.filter(source=SOURCE_SYNTHETIQUE).delete()
    return nombre


@transaction.atomic
def jeu_national_generer(*, nombre: int = 116) -> list[Contrat]:
    """Crée `nombre` contrats synthétiques (après avoir retiré ceux d'un jeu précédent)."""
    jeu_national_supprimer()
    piliers = list(Pilier.objects.order_by("numero"))
    nationaux = _indicateurs_nationaux(piliers)
    regions = [r.value for r in REGIONS_METROPOLITAINES]

    organisations, prefectures, plan = [], {}, []
    for n in range(nombre):
        region = regions[n % len(regions)]
        departement = DEPARTEMENTS[region][(n // len(regions)) % len(DEPARTEMENTS[region])]
        metropole = n % 5 == 0
        type_ = TypeOrganisation.METROPOLE if metropole else TypeOrganisation.DEPARTEMENT
        nom = f"{'Métropole' if metropole else 'Département'} {n + 1:03d}{MARQUE}"
        organisations.append(
            Organisation(slug=f"{PREFIXE}{n + 1:03d}", nom=nom, type=type_, departement=departement, region=region)
        )
        if departement not in prefectures:
            prefectures[departement] = Organisation(
                slug=f"{PREFIXE}prefecture-{departement.lower()}", nom=f"Préfecture {departement}{MARQUE}",
                type=TypeOrganisation.PREFECTURE, departement=departement, region=region,
            )  # fmt: skip
        plan.append((n, departement, metropole))
    Organisation.objects.bulk_create(organisations + list(prefectures.values()))
    orgs = {o.slug: o for o in Organisation.objects.filter(slug__startswith=PREFIXE)}

    Contrat.objects.bulk_create(
        [
            Contrat(
                slug=f"{PREFIXE}cls-{n + 1:03d}", type=TypeContrat.CLS,
                titre=f"Contrat local des solidarités – {orgs[f'{PREFIXE}{n + 1:03d}'].nom}",
                annee_debut=2024, annee_fin=2027, departement=departement,
                collectivite=orgs[f"{PREFIXE}{n + 1:03d}"], date_signature=datetime.date(2024, 3, 28),
            )
            for n, departement, _ in plan
        ]
    )  # fmt: skip
    contrats = list(Contrat.objects.filter(slug__startswith=f"{PREFIXE}cls-").order_by("slug"))
    Signataire.objects.bulk_create(
        [Signataire(contrat=c, organisation=c.collectivite, role=RoleSignataire.COLLECTIVITE, ordre=1)
         for c in contrats]
        + [
            Signataire(contrat=c, organisation=orgs[f"{PREFIXE}prefecture-{c.departement.lower()}"],
                       role=RoleSignataire.ETAT, ordre=0)
            for c in contrats
        ]
    )  # fmt: skip

    # Axes : les quatre piliers pour une métropole ; trois pour un département (l'emploi est traité à part).
    axes = []
    for (_, _, metropole), contrat in zip(plan, contrats, strict=True):
        retenus = [p for p in piliers if metropole or p.contrats_departementaux]
        for numero, pilier in enumerate(retenus, start=1):
            axes.append(
                Axe(contrat=contrat, numero=numero, intitule=pilier.intitule, pilier_national=pilier,
                    pilier=pilier.libelle_sous_action, sous_action_304=pilier.sous_action_304,
                    code_activite=pilier.code_activite_metropoles if metropole else "")
            )  # fmt: skip
    Axe.objects.bulk_create(axes)
    axes = list(Axe.objects.filter(contrat__in=contrats).order_by("contrat_id", "numero"))

    # Deux actions par axe ; un contrat sur dix-sept laisse son dernier axe sans action (contrôle « une action par
    # axe » de la vue nationale).
    rang_contrat = {c.pk: n for (n, _, _), c in zip(plan, contrats, strict=True)}
    dernier_axe = {}
    for axe in axes:
        dernier_axe[axe.contrat_id] = axe.numero
    actions, compteur = [], {}
    for axe in axes:
        if rang_contrat[axe.contrat_id] % 17 == 16 and axe.numero == dernier_axe[axe.contrat_id]:
            continue
        for _ in range(ACTIONS_PAR_AXE):
            compteur[axe.contrat_id] = compteur.get(axe.contrat_id, 0) + 1
            numero = compteur[axe.contrat_id]
            actions.append(
                Action(contrat_id=axe.contrat_id, axe=axe, numero=str(numero), ordre=numero * 1000,
                       intitule=f"Action {numero}{MARQUE}")
            )  # fmt: skip
    Action.objects.bulk_create(actions)
    actions = list(Action.objects.filter(contrat__in=contrats).select_related("axe").order_by("pk"))

    lignes, executions = [], []
    for i, action in enumerate(actions):
        montant = Decimal(10000 + (i * 1375) % 15000)
        for annee in ANNEES:
            for financeur in (Financeur.ETAT, Financeur.COLLECTIVITE):
                lignes.append(LigneBudgetaire(action=action, annee=annee, financeur=financeur, montant=montant))
                if annee in ANNEES_SAISIES:
                    # Exécution de 55 % à 100 % : quelques cellules sous le seuil de 80 %.
                    taux = Decimal(55 + (i * 7 + annee) % 46) / 100
                    executions.append(
                        Execution(action=action, annee=annee, financeur=financeur, engage=montant,
                                  realise=(montant * taux).quantize(Decimal("0.01")))
                    )  # fmt: skip
    LigneBudgetaire.objects.bulk_create(lignes)
    Execution.objects.bulk_create(executions)

    # Un avenant sur sept contrats : la part de l'État 2025 de la première action relevée de 10 %.
    avenants = [
        Avenant(contrat=c, numero=1, date=datetime.date(2025, 3, 1), objet=f"Montants 2025{MARQUE}")
        for c in contrats
        if rang_contrat[c.pk] % 7 == 3
    ]
    Avenant.objects.bulk_create(avenants)
    premieres = {}
    for action in actions:
        premieres.setdefault(action.contrat_id, action)
    montants = {(ligne.action_id, ligne.annee, ligne.financeur): ligne.montant for ligne in lignes}
    LigneBudgetaire.objects.bulk_create(
        [
            LigneBudgetaire(
                action=premieres[a.contrat_id], annee=2025, financeur=Financeur.ETAT, avenant=a,
                montant=montants[(premieres[a.contrat_id].pk, 2025, Financeur.ETAT)] * Decimal("1.1"),
            )
            for a in Avenant.objects.filter(contrat__in=contrats)
        ]
    )  # fmt: skip

    # Versements de l'État par axe : 2024 en entier ; 2025 pour deux contrats sur trois.
    par_axe = {}
    for ligne in lignes:
        if ligne.financeur == Financeur.ETAT and ligne.annee in ANNEES_SAISIES:
            cle = (ligne.action.axe, ligne.annee)
            par_axe[cle] = par_axe.get(cle, Decimal(0)) + ligne.montant
    Versement.objects.bulk_create(
        [
            Versement(contrat_id=axe.contrat_id, axe=axe, annee=annee, montant=montant,
                      date=datetime.date(annee, 6, 15), code_activite=axe.code_activite)
            for (axe, annee), montant in par_axe.items()
            if annee == 2024 or rang_contrat[axe.contrat_id] % 3
        ]
    )  # fmt: skip

    # Un indicateur par action, rattaché à l'indicateur national de son pilier ; cibles 2024-2027, valeurs saisies.
    Indicateur.objects.bulk_create(
        [
            Indicateur(action=a, libelle=f"Personnes accompagnées – action {a.numero}{MARQUE}", unite="personnes",
                       t0=Decimal(40 + i % 60), indicateur_national=nationaux[a.axe.pilier_national_id])
            for i, a in enumerate(actions)
        ]
    )  # fmt: skip
    indicateurs = list(Indicateur.objects.filter(action__contrat__in=contrats).order_by("pk"))
    Cible.objects.bulk_create(
        [Cible(indicateur=ind, annee=annee, valeur=ind.t0 + 10 * (annee - 2023))
         for ind in indicateurs for annee in ANNEES]
    )  # fmt: skip
    Realisation.objects.bulk_create(
        [
            Realisation(indicateur=ind, annee=annee, valeur=ind.t0 + (i % 25) + 5 * (annee - 2023))
            for i, ind in enumerate(indicateurs)
            for annee in ANNEES_SAISIES
        ]
    )

    # Comptes rendus : 2024 validé ; 2025 soumis pour un contrat sur deux, en brouillon (en retard) sinon.
    suivis = []
    for contrat in contrats:
        suivis.append(SuiviAnnuel(contrat=contrat, annee=2024, statut=StatutSuivi.VALIDE))
        statut_2025 = StatutSuivi.SOUMIS if rang_contrat[contrat.pk] % 2 == 0 else StatutSuivi.BROUILLON
        suivis.append(SuiviAnnuel(contrat=contrat, annee=2025, statut=statut_2025))
    SuiviAnnuel.objects.bulk_create(suivis)
    Echeance.objects.bulk_create(
        [
            Echeance(contrat=c, type=TypeEcheance.VALEURS_ANNUELLES, annee=annee, date=datetime.date(annee + 1, 3, 31),
                     libelle=f"Valeurs des indicateurs {annee}{MARQUE}")
            for c in contrats
            for annee in ANNEES
        ]
    )  # fmt: skip

    # Rapport à mi-parcours transmis pour un contrat sur trois (un document factice, marqué comme tel).
    pdf = f"%PDF-1.4 rapport à mi-parcours{MARQUE}".encode()
    maintenant = timezone.now()
    VersionRapport.objects.bulk_create(
        [
            VersionRapport(contrat=c, type=TypeRapport.MI_PARCOURS, annee=2024, pdf=pdf,
                           sha256=hashlib.sha256(pdf).hexdigest(), taille=len(pdf), transmise=True,
                           transmise_le=maintenant)
            for c in contrats
            if rang_contrat[c.pk] % 3 == 0
        ]
    )  # fmt: skip
    return contrats
