"""Les quatre piliers du Pacte des solidarités et leurs imputations sur le programme 304, tels que le contrat local
des solidarités 2024-2027 État / Dijon métropole les écrit (article 3 et annexe 1). Aucun indicateur national n'est
créé : ni les documents signés ni les instructions conservées n'en donnent la liste ; l'administration centrale les
saisit, chacun avec sa source."""

from django.db import migrations

SOURCE_CLS = (
    "Contrat local des solidarités 2024-2027 État / Dijon métropole : article 3 (imputation sur le programme 304) "
    "et annexe 1 (axes)"
)
SOURCE_DEPARTEMENTS = (
    " ; instruction DGCS/SD1B/2023/169 du 23 novembre 2023 : trois axes avec les départements, l'emploi traité à part"
)

PILIERS = [
    (1, "Prévenir la pauvreté et lutter contre les inégalités dès l'enfance", "23",
     "Pilier 1 Prévention de la pauvreté dès le plus jeune âge", "0304 50 23 23 02", True),
    (2, "Amplifier la politique d'accès à l'emploi pour tous", "24",
     "Pilier 2 Sortie pauvreté par l'activité et emploi", "0304 50 23 24 02", False),
    (3, "Lutter contre la grande exclusion grâce à l'accès aux droits", "25",
     "Pilier 3 Plan 100% d'accès aux droits", "0304 50 23 25 02", True),
    (4, "Construire une transition écologique solidaire", "26",
     "Pilier 4 Transition solidaire", "0304 50 23 26 02", True),
]  # fmt: skip


def creer(apps, schema_editor):
    Pilier = apps.get_model("referentiel", "Pilier")
    for numero, intitule, sous_action, libelle, code, departements in PILIERS:
        Pilier.objects.update_or_create(
            numero=numero,
            defaults={
                "intitule": intitule,
                "action_304": "23",
                "sous_action_304": sous_action,
                "libelle_sous_action": libelle,
                "activite_metropoles": f"02 « Contractualisation avec les métropoles pilier {numero} »",
                "code_activite_metropoles": code,
                "contrats_departementaux": departements,
                "source": SOURCE_CLS + SOURCE_DEPARTEMENTS,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("referentiel", "0001_initial")]

    operations = [migrations.RunPython(creer, migrations.RunPython.noop)]
