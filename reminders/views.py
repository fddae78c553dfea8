"""The notifications page. Notifications carry no identifiable data (see services.py), so these
pages write no access event; the links they hold lead to pages that check access and log the view."""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from .selectors import notifications_for
from .services import notification_mark_read


def notification_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(notifications_for(user=request.user), settings.SIGHTLINE_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "reminders/notification_list.html", {"page_obj": page, "notifications": page.object_list})


@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    if not notifications_for(user=request.user).filter(pk=pk).exists():
        raise Http404("No notification found")
    notification_mark_read(user=request.user, notification_id=pk)
    return redirect("reminders:list")


@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    notification_mark_read(user=request.user)
    return redirect("reminders:list")
