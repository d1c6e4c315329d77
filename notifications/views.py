from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from notifications.models import Notification
from notifications.services import notification_lire, notifications_tout_lire


def boite(request):
    """La boîte de réception : les notifications de la personne connectée, les plus récentes d'abord."""
    notifications = Notification.objects.de(request.user)
    page = Paginator(notifications, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/boite.html",
        {"page": page, "non_lues": notifications.non_lues().count()},
    )


@require_POST
def ouvrir(request, pk):
    """Marque la notification comme lue et mène à ce dont elle parle. Celle d'un autre : 404."""
    notification = get_object_or_404(Notification, pk=pk, destinataire=request.user)
    notification_lire(user=request.user, notification=notification)
    if notification.lien and url_has_allowed_host_and_scheme(notification.lien, allowed_hosts=None):
        return redirect(notification.lien)
    return redirect("notifications:boite")


@require_POST
def tout_lire(request):
    nombre = notifications_tout_lire(user=request.user)
    messages.success(request, f"{nombre} notification(s) marquée(s) comme lue(s).")
    return redirect("notifications:boite")
