from django.conf import settings
from django.contrib.auth import get_user_model, login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts.mfa import DEMO_SESSION_KEY

from .personas import PERSONA_USERNAMES, PERSONAS


@require_http_methods(["GET", "POST"])
def personas(request: HttpRequest) -> HttpResponse:
    """Demo mode only: sign in as a persona without a password or authenticator app."""
    if not settings.SIGHTLINE_DEMO:
        raise Http404("Demo mode is off")
    if request.method == "POST":
        username = request.POST.get("username", "")
        if username not in PERSONA_USERNAMES:
            raise Http404("No such persona")
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise Http404("Run `python manage.py seed_demo` first")
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        request.session[DEMO_SESSION_KEY] = username
        return redirect("home")
    return render(request, "demo/personas.html", {"personas": PERSONAS})
