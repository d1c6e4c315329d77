"""Temps et mémoire des exports Excel : un contrat, puis un ensemble de taille nationale (116 × 12 × 4)."""

from io import BytesIO

from benchmarks.commun import chronometrer, generer_contrats


def _enregistrer(classeur):
    classeur.save(BytesIO())


def mesurer_exports():
    from contrats.models import Contrat
    from finances.exports import classeur_budget, classeur_execution
    from indicateurs.exports import classeur_indicateurs

    cls = Contrat.objects.get(slug="dijon-cls-2024-2027")
    print("\n== Exports Excel (objectif : un contrat bien sous 0,2 s ; national sous 4 s et 64 Mo)")
    for nom, fabrique in (("budget", classeur_budget), ("execution", classeur_execution),
                          ("indicateurs", classeur_indicateurs)):  # fmt: skip
        duree, pic = chronometrer(lambda fabrique=fabrique: _enregistrer(fabrique(cls)))
        print(f"{nom + '.xlsx – CLS de Dijon':45} {duree * 1000:8.1f} ms {pic:8.1f} Mo")

    contrats = generer_contrats(116, 12)
    for nom, fabrique in (("budget", classeur_budget), ("execution", classeur_execution)):

        def national(fabrique=fabrique):
            for contrat in contrats:
                _enregistrer(fabrique(contrat))

        duree, pic = chronometrer(national, repetitions=3)
        print(f"{nom + '.xlsx – 116 contrats × 12 actions × 4 ans':45} {duree * 1000:8.1f} ms {pic:8.1f} Mo")
    mesurer_export_evaluations(contrats)


def mesurer_export_evaluations(contrats):
    """Le classeur national de l'évaluation à mi-parcours : une évaluation remplie (textes de 600 caractères) par
    action, lecture et mise en forme comprises (comme au téléchargement)."""
    from actions.models import Action
    from commun.excel import classeur_finaliser
    from evaluation.exports import classeur_evaluations
    from evaluation.models import EvaluationAction
    from evaluation.selectors import evaluations_des_contrats

    texte = "Constat mesuré sur le terrain, entretiens et données de suivi. " * 10
    EvaluationAction.objects.bulk_create(
        [EvaluationAction(action=a, questions=texte, methodes=texte, constats=texte, recommandation=texte)
         for a in Action.objects.filter(contrat__in=contrats)]
    )  # fmt: skip

    def exporter():
        _enregistrer(classeur_finaliser(classeur_evaluations(evaluations_des_contrats(contrats), "Mesure")))

    duree, pic = chronometrer(exporter, repetitions=3)
    print(f"{'evaluation-mi-parcours.xlsx – 116 × 12 actions':45} {duree * 1000:8.1f} ms {pic:8.1f} Mo")
