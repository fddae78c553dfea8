"""Production behaviour for every request: no caching of pages, no text the database cannot store,
and a clear page when SQLite is too busy to save."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from django.conf import settings
from django.db.utils import DatabaseError, OperationalError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers

from .errors import back_url, standalone

logger = logging.getLogger(__name__)

GetResponse = Callable[[HttpRequest], HttpResponse]

# Nothing identifiable is ever served from these, and static files should be cached.
CACHEABLE_PREFIXES = (settings.STATIC_URL, "/healthz")

UNSTORABLE = "\x00"


class NoStoreMiddleware:
    """`Cache-Control: no-store, private` on every page, export and error response, so no browser,
    shared computer or proxy keeps a copy of a child's record. Applied whether or not anyone is signed
    in: deciding would mean loading the user (a database query) on every response, and a sign-in page
    loses nothing by not being cached."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith(CACHEABLE_PREFIXES):
            add_never_cache_headers(response)
        return response


def _contains_unstorable(data: QueryDict) -> bool:
    values: Iterable[str] = (v for _, vs in data.lists() for v in vs)
    return any(UNSTORABLE in key for key in data) or any(UNSTORABLE in value for value in values)


class RefuseUnstorableTextMiddleware:
    """PostgreSQL cannot store or even compare text holding a NUL character, so a NUL in a search box
    or a form field became a server error. Refuse it for every query string and form before any view
    runs, so nothing is read or changed, on SQLite exactly as on PostgreSQL. (Uploaded files' contents
    are checked where they are parsed.)"""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _contains_unstorable(request.GET) or (request.method == "POST" and _contains_unstorable(request.POST)):
            return render(
                request,
                "400.html",
                {
                    "explanation": "The text you entered contains a character we cannot store. It is usually "
                    "invisible, and comes from copying text out of another system or document.",
                    "next_step": "Go back, type the text again rather than pasting it (or paste it into a plain "
                    "text editor first), and try again.",
                    "back_url": back_url(request),
                },
                status=400,
            )
        return self.get_response(request)


def is_database_locked(error: BaseException) -> bool:
    return isinstance(error, OperationalError) and "locked" in str(error).lower()


class DatabaseLockedMiddleware:
    """SQLite lets one writer at a time. When a save still waits longer than the lock timeout, the
    person sees that nothing was saved and can try again (409), rather than a server error."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_database_locked(exception):
            return None
        logger.warning("A save waited too long for the database lock: %s %s", request.method, request.path)
        context = {"back_url": back_url(request)}
        try:
            return render(request, "errors/saving_at_once.html", context, status=409)
        except DatabaseError:  # the navigation's count query met the same lock: a page without it
            return standalone("errors/saving_at_once.html", status=409, **context)
