"""Pages de la génération par lots : lancer un lot, suivre son avancement (la page se rafraîchit seule tant qu'un lot
est en cours, par <meta http-equiv="refresh"> : ni script ni style en ligne)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render

from commun.forms import EntierField
from comptes.acces import contrats_visibles
from rapports.enums import TypeRapport
from rapports.lots import lot_creer
from rapports.models import ElementLot, LotRapports

REFUS = (
    "La génération par lots est réservée aux administrateurs, au secrétariat du conseil et aux agents de l'État et "
    "des collectivités."
)
RAFRAICHISSEMENT = 5  # secondes


class LotForm(forms.Form):
    type = forms.ChoiceField(label="Document", choices=TypeRapport.choices)
    annee = EntierField(
        label="Année (rapport annuel)", required=False, min_value=2000, max_value=2100,
        help_text="Ignorée pour le rapport à mi-parcours.",
    )  # fmt: skip
    contrats = forms.ModelMultipleChoiceField(
        label="Contrats", queryset=None, widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choisissez au moins un contrat.",
                        "invalid_choice": "Ce contrat n'est pas parmi ceux que vous voyez."},
    )  # fmt: skip

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contrats"].queryset = contrats_visibles(user).avec_collectivite().order_by("titre")
        self.fields["contrats"].label_from_instance = lambda c: c.titre_complet


def _autorise(request):
    if not request.user.has_perm("rapports.generer_lots"):
        raise PermissionDenied(REFUS)


def liste(request):
    _autorise(request)
    form = LotForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            lot = lot_creer(
                user=request.user,
                type=form.cleaned_data["type"],
                annee=form.cleaned_data["annee"],
                contrats=form.cleaned_data["contrats"],
            )
        except ValidationError as erreur:
            form.add_error(None, erreur)
        else:
            messages.success(request, f"Lot lancé : {lot.elements.count()} document(s) à générer.")
            return redirect("lots:detail", lot.pk)
    lots = list(LotRapports.objects.de(request.user).avec_avancement()[:50])
    return render(
        request,
        "rapports/lots/liste.html",
        {
            "form": form,
            "lots": lots,
            "rafraichir": RAFRAICHISSEMENT if any(lot.faits < lot.total for lot in lots) else None,
        },
    )


def detail(request, pk):
    _autorise(request)
    lot = get_object_or_404(LotRapports.objects.de(request.user).avec_avancement(), pk=pk)
    elements = ElementLot.objects.filter(lot=lot).select_related("contrat__collectivite")
    return render(
        request,
        "rapports/lots/detail.html",
        {
            "lot": lot,
            "elements": elements,
            "cle": str(lot.cle),
            "rafraichir": RAFRAICHISSEMENT if lot.faits < lot.total else None,
        },
    )
