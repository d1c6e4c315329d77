"""Écriture du contrat créé depuis son annexe signée : tout ou rien, dans une transaction. Chaque objet passe ses
contrôles (`full_clean`, contraintes de la base) et entre dans l'historique avec son auteur ; puis les règles de
cofinancement sont vérifiées sur ce qui est écrit, comme au chargement des données (`budget_verifier_regles`)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from actions.models import Action
from commun.historique import enregistrer
from contrats.enums import RoleSignataire, TypeContrat
from contrats.models import Axe, Contrat, Organisation, Signataire
from creation.brouillon import SOURCE_ANNONCE, Brouillon
from creation.lecture import AnalyseAnnexe
from finances.enums import Financeur
from finances.models import LigneBudgetaire, MontantAnnonce
from finances.services import budget_verifier_regles
from indicateurs.models import Cible, Indicateur
from pilotage.chargement import echeances_par_defaut_creer
from referentiel.models import Pilier

MOTIF = "Création depuis l'annexe signée"
SLUGS_RESERVES = {"nouveau"}  # « /contrats/nouveau/ » est l'adresse de ce parcours


def slug_libre(titre: str) -> str:
    base = slugify(titre)[:90] or "contrat"
    pris = set(Contrat.objects.filter(slug__startswith=base).values_list("slug", flat=True)) | SLUGS_RESERVES
    slug, rang = base, 2
    while slug in pris:
        slug, rang = f"{base}-{rang}", rang + 1
    return slug


def _organisation(*, identifiant, nouvelle: dict | None) -> Organisation:
    if identifiant:
        organisation = Organisation.objects.filter(pk=identifiant).first()
        if organisation is None:
            raise ValidationError("Une partie choisie n'existe plus : reprenez l'étape des parties.")
        return organisation
    organisation = Organisation(
        slug=_slug_organisation(nouvelle["nom"]),
        nom=nouvelle["nom"],
        type=nouvelle["type"],
        departement=nouvelle.get("departement") or "",
        region=nouvelle.get("region") or "",
    )
    organisation.full_clean()
    organisation.save()
    return organisation


def _slug_organisation(nom: str) -> str:
    base = slugify(nom)[:90] or "organisation"
    pris = set(Organisation.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, rang = base, 2
    while slug in pris:
        slug, rang = f"{base}-{rang}", rang + 1
    return slug


@transaction.atomic
def contrat_creer(*, user, brouillon: Brouillon, analyse: AnalyseAnnexe) -> Contrat:
    """Crée le contrat, ses parties, ses axes, ses actions, son tableau budgétaire et ses indicateurs. Une
    ValidationError annule tout : rien n'est écrit."""
    if not brouillon.axes_faits or not analyse.valide:
        raise ValidationError("Le contrat n'est pas prêt : reprenez les étapes du parcours.")
    etat = _organisation(identifiant=brouillon.etat_id, nouvelle=brouillon.etat_nouvelle)
    collectivite = _organisation(identifiant=brouillon.collectivite_id, nouvelle=brouillon.collectivite_nouvelle)
    contrat = enregistrer(
        Contrat(
            slug=slug_libre(brouillon.titre),
            type=TypeContrat.CLS,
            titre=brouillon.titre,
            annee_debut=brouillon.annee_debut,
            annee_fin=brouillon.annee_fin,
            date_signature=brouillon.date_signature_lue,
            lieu_signature=brouillon.lieu_signature,
            departement=brouillon.departement,
            collectivite=collectivite,
        ),
        user=user,
        motif=MOTIF,
    )
    for ordre, (organisation, role, representant, qualite) in enumerate(
        [
            (etat, RoleSignataire.ETAT, brouillon.etat_representant, brouillon.etat_qualite),
            (collectivite, RoleSignataire.COLLECTIVITE, brouillon.collectivite_representant,
             brouillon.collectivite_qualite),
        ]
    ):  # fmt: skip
        signataire = Signataire(contrat=contrat, organisation=organisation, role=role, representant=representant,
                                qualite=qualite, ordre=ordre)  # fmt: skip
        signataire.full_clean()
        signataire.save()
    piliers = {p.numero: p for p in Pilier.objects.all()}
    axes = {}
    for a in brouillon.axes:
        axes[a.numero] = enregistrer(
            Axe(
                contrat=contrat, numero=a.numero, intitule=a.intitule, pilier=a.pilier,
                sous_action_304=a.sous_action_304, code_activite=a.code_activite,
                pilier_national=piliers.get(a.pilier_numero),
            ),
            user=user, motif=MOTIF,
        )  # fmt: skip
        for annee, montant in sorted(a.etat.items()):
            annonce = MontantAnnonce(contrat=contrat, axe=axes[a.numero], annee=int(annee), financeur=Financeur.ETAT,
                                     montant=montant, source=SOURCE_ANNONCE)  # fmt: skip
            annonce.full_clean()
            annonce.save()
    actions = {}
    for lue in analyse.actions:
        action = Action(contrat=contrat, axe=axes[lue.axe], numero=lue.numero, intitule=lue.intitule,
                        nature=lue.nature, ordre=Action.ordre_depuis_numero(lue.numero))  # fmt: skip
        actions[lue.numero] = enregistrer(action, user=user, motif=MOTIF)
        for annee, (etat_montant, collectivite_montant) in sorted(lue.montants.items()):
            for financeur, montant in ((Financeur.ETAT, etat_montant), (Financeur.COLLECTIVITE, collectivite_montant)):
                ligne = LigneBudgetaire(action=action, annee=annee, financeur=financeur, montant=montant)
                enregistrer(ligne, user=user, motif=MOTIF)
    # Les années dont le montant de l'État n'est que prévisionnel (à fixer par avenant) : annoncées comme telles, au
    # montant que le tableau budgétaire leur donne.
    totaux_etat = {annee: etat for annee, _, etat, _ in analyse.totaux(brouillon.annees)}
    for annee in brouillon.annees_provisoires:
        annonce = MontantAnnonce(contrat=contrat, annee=annee, financeur=Financeur.ETAT, montant=totaux_etat[annee],
                                 provisoire=True, source=SOURCE_ANNONCE)  # fmt: skip
        annonce.full_clean()
        annonce.save()
    rangs = {}
    for lu in analyse.indicateurs:
        valeurs = [v for v in [lu.t0, *lu.cibles.values()] if v is not None]
        indicateur = enregistrer(
            Indicateur(
                action=actions[lu.action], ordre=rangs.setdefault(lu.action, 0), libelle=lu.libelle,
                unite=lu.unite, t0=lu.t0, commentaire=lu.commentaire,
                decimales=0 if all(v == v.to_integral_value() for v in valeurs) else 2,
            ),
            user=user, motif=MOTIF,
        )  # fmt: skip
        rangs[lu.action] += 1
        for annee, valeur in sorted(lu.cibles.items()):
            nd = valeur is None
            cible = Cible(indicateur=indicateur, annee=annee, valeur=valeur, nd=nd, nd_motif=lu.nd_motif if nd else "",
                          nd_date_limite=lu.nd_date_limite if nd else None)  # fmt: skip
            enregistrer(cible, user=user, motif=MOTIF)
    budget_verifier_regles(contrat=contrat)
    echeances_par_defaut_creer(contrat=contrat)
    return contrat
