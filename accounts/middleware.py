"""Every page needs a signed-in person, and (where required) a verified second factor."""

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from .mfa import DEMO_SESSION_KEY, user_has_device

OPEN_PREFIXES = ("/accounts/login/", "/healthz", "/static/", "/demo/")
SECOND_FACTOR_PREFIXES = ("/accounts/verify/", "/accounts/mfa/setup/", "/accounts/logout/")


class RequireSignInMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path
        if path.startswith(OPEN_PREFIXES):
            return self.get_response(request)
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse(settings.LOGIN_URL))
        if path.startswith(SECOND_FACTOR_PREFIXES) or self._second_factor_done(request):
            return self.get_response(request)
        if user_has_device(user):
            return redirect(f"{reverse('accounts:verify')}?next={request.get_full_path()}")
        if settings.SIGHTLINE_REQUIRE_MFA:
            return redirect("accounts:mfa_setup")
        return self.get_response(request)

    @staticmethod
    def _second_factor_done(request: HttpRequest) -> bool:
        if request.user.is_verified():
            return True
        return bool(settings.SIGHTLINE_DEMO and request.session.get(DEMO_SESSION_KEY))
