"""The service's own error pages: plain English, GOV.UK patterns, and what to do next.

Wired in `sightline/urls.py` (handler400 to handler500) and `CSRF_FAILURE_VIEW`. None of them shows
a technical message, and the 404 page says nothing about whether a record exists."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme

logger = logging.getLogger(__name__)

# If even the template cannot be rendered (a broken deployment), the person still gets a page.
PLAIN_500 = (
    "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Sorry, there is a problem with the service"
    "</title></head><body><h1>Sorry, there is a problem with the service</h1><p>Try again later.</p>"
    "<p>If you were saving something, check whether it was saved before you enter it again.</p></body></html>"
)


def back_url(request: HttpRequest) -> str:
    """The page the person came from when it is on this service, otherwise the start page. The
    Referer is only ever followed on our own host, so an error page cannot send anyone elsewhere."""
    referer = request.META.get("HTTP_REFERER", "")
    try:
        host = request.get_host()
    except Exception:  # a disallowed Host header: there is no safe host to go back to
        return "/"
    if referer and url_has_allowed_host_and_scheme(referer, allowed_hosts={host}, require_https=request.is_secure()):
        return referer
    return "/"


def standalone(template_name: str, status: int, **context: object) -> HttpResponse:
    """Renders without the request, so no context processor (and no database query) runs."""
    context = {"service_name": settings.SIGHTLINE_SERVICE_NAME, **context}
    return HttpResponse(loader.get_template(template_name).render(context), status=status)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    # The request itself is suspect here (a bad Host header, a malformed cookie), so the page does not use it.
    return standalone("400.html", status=400)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The refusal page: authority checks raise PermissionDenied with a sentence saying who can."""
    explanation = str(exception) if isinstance(exception, PermissionDenied) and exception.args else ""
    return render(request, "403.html", {"explanation": explanation, "back_url": back_url(request)}, status=403)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    # Never the exception's message: it could say why a record is hidden, and so that it exists.
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # The database may be the thing that failed, so nothing here may touch it or the session.
    try:
        return standalone("500.html", status=500)
    except Exception:
        logger.exception("The 500 page could not be rendered")
        return HttpResponseServerError(PLAIN_500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "errors/csrf_failure.html", {"back_url": back_url(request)}, status=403)
