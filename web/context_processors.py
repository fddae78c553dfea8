from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from frontdoor.selectors import is_front_door
from reminders.selectors import unread_count


def _navigation(request: HttpRequest) -> list[dict]:
    user = request.user
    items = []
    if not user.is_analyst:
        items.append({"label": "My children", "url": reverse("children:list")})
        if is_front_door(user):
            items.append({"label": "Front door", "url": reverse("frontdoor:queue")})
        items.append({"label": "My requests", "url": reverse("frontdoor:mine")})
        items.append({"label": "Signals", "url": reverse("signals:list")})
        if not user.is_administrator:  # administrators have no caseload to drift
            items.append({"label": "Drift", "url": reverse("drift:list")})
        items.append({"label": "Emergency access", "url": reverse("access:emergency_open")})
    if user.is_team_manager or user.is_administrator:
        items.append({"label": "Access reviews", "url": reverse("access:emergency_reviews")})
    if user.is_administrator:
        items.append({"label": "Admin changes", "url": reverse("access:admin_changes")})
    if user.is_staff:
        items.append({"label": "Administration", "url": reverse("admin:index")})
    # One count query per page: the header shows how many notifications are unread.
    unread = unread_count(user=user)
    label = f"Notifications ({unread} unread)" if unread else "Notifications"
    items.append({"label": label, "url": reverse("reminders:list")})
    for item in items:
        item["current"] = request.path.startswith(item["url"])
    return items


def service(request: HttpRequest) -> dict:
    context = {"service_name": settings.SIGHTLINE_SERVICE_NAME, "demo_mode": settings.SIGHTLINE_DEMO}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        context["navigation"] = _navigation(request)
    return context
