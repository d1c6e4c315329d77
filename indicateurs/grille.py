"""La grille d'une année telle que la page la montre : par action, chaque indicateur avec sa cible, la valeur de
l'an passé, le taux d'atteinte (indicateurs/selectors.py), ses champs de saisie, son fil de commentaires et s'il est
à corriger ; la complétude de l'année et de chaque action (indicateurs/controles_saisie.py)."""

from dataclasses import dataclass, field

from django import forms

from indicateurs.controles_saisie import completude, ecart, references
from indicateurs.forms import LIBELLES_RECIT
from indicateurs.models import Commentaire
from indicateurs.selectors import Mesure
from indicateurs.services import CHAMPS_RECIT


@dataclass
class LigneIndicateur:
    indicateur: object
    resultat: object  # champ de formulaire : valeur ou appréciation
    commentaire: object
    non_disponible: object
    cible: object
    precedente: object
    mesure: Mesure
    ecart: str
    a_corriger: bool
    cle: str  # « i12 » : la ligne pour les commentaires et les renvois


@dataclass
class LigneAction:
    action: object
    indicateurs: list
    recit: list  # (libellé, champ de formulaire)
    recit_enregistre: object
    a_corriger: bool
    cle: str
    completude: object = None
    fil: list = field(default_factory=list)


def valeurs_affichees(form) -> dict:
    """Les valeurs que la page montre, à plat : la saisie renvoyée (lue au mieux), sinon ce qui est enregistré."""
    valeurs = {}
    for nom in form.noms_saisis():
        champ = form.fields[nom]
        if form.is_bound:
            brut = form.data.get(nom)
            if isinstance(champ, forms.BooleanField):
                valeurs[nom] = bool(brut)
                continue
            try:
                valeurs[nom] = champ.to_python(brut)
            except forms.ValidationError:
                valeurs[nom] = None  # illisible : signalé sur le champ, compté comme non renseigné
        else:
            valeurs[nom] = form.get_initial_for_field(champ, nom)
    return valeurs


def completude_de_la_grille(form):
    return completude(form.actions, form.indicateurs, valeurs_affichees(form))


def lignes_de_la_grille(form, cibles, precedentes, suivi, annee) -> list[LigneAction]:
    valeurs = valeurs_affichees(form)
    _, par_action = completude(form.actions, form.indicateurs, valeurs)
    a_corriger = set(suivi.lignes_a_corriger or [])
    par_indicateur = {}
    for indicateur in form.indicateurs:
        pk = indicateur.pk
        cible = cibles.get(pk)
        lignes = par_indicateur.setdefault(indicateur.action_id, [])
        lignes.append(
            LigneIndicateur(
                indicateur=indicateur,
                resultat=form[form.champ_resultat(indicateur)],
                commentaire=form[f"c{pk}"],
                non_disponible=form[f"n{pk}"],
                cible=cible,
                precedente=precedentes.get(pk),
                mesure=Mesure(annee, cible, form.realisations.get(pk), indicateur=indicateur),
                ecart=""
                if (valeurs.get(f"c{pk}") or valeurs.get(f"n{pk}"))
                else ecart(indicateur, valeurs.get(f"v{pk}"), references(indicateur, cibles, precedentes)),
                a_corriger=f"i{pk}" in a_corriger,
                cle=f"i{pk}",
            )
        )
    return [
        LigneAction(
            action=action,
            indicateurs=par_indicateur.get(action.pk, []),
            recit=[(LIBELLES_RECIT[c], form[f"r{action.pk}_{c}"]) for c in CHAMPS_RECIT],
            recit_enregistre=form.recits_existants.get(action.pk),
            a_corriger=f"a{action.pk}" in a_corriger,
            cle=f"a{action.pk}",
            completude=par_action[action.pk],
        )
        for action in form.actions
    ]


def fils_de_l_annee(contrat, annee) -> dict:
    """« i12 » / « a3 » → les commentaires de cette ligne, du plus ancien au plus récent (une requête)."""
    fils = {}
    for c in Commentaire.objects.filter(contrat=contrat, annee=annee).select_related("auteur__profil__organisation"):
        fils.setdefault(c.ligne, []).append(c)
    return fils
