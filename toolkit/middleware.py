"""Site-wide HTTP concerns: security headers, one log line per request, compression that
keeps secrets safe, a friendly 503 when the database is down."""

import json
import logging
import time

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.middleware.gzip import GZipMiddleware
from django.template.loader import render_to_string

request_log = logging.getLogger("toolkit.requests")
ADMIN_PATH = "/admin/"


class SecurityHeadersMiddleware:
    """Headers Django does not set itself: Content-Security-Policy and Permissions-Policy.

    The policy allows nothing inline: every script and style is a file from static/.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.content_security_policy = "; ".join(settings.CONTENT_SECURITY_POLICY)
        self.permissions_policy = settings.PERMISSIONS_POLICY

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.content_security_policy)
        response.headers.setdefault("Permissions-Policy", self.permissions_policy)
        return response


class RequestLogMiddleware:
    """One JSON line per request: method, path, status, duration. Query strings are left out
    (they may be long or personal); errors are logged with their stack trace by Django."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        request_log.info(
            json.dumps(
                {
                    "method": request.method,
                    "path": request.path[:500],
                    "status": response.status_code,
                    "ms": round((time.perf_counter() - started) * 1000, 1),
                }
            )
        )
        return response


# Longer query strings to the API get a JSON 414 (gunicorn.conf.py lets lines of twice this
# reach Django; beyond that gunicorn refuses them itself).
MAX_API_QUERY_BYTES = 4096


class LongApiQueryMiddleware:
    """Answer an API request whose query string is too long with a JSON 414, as every other
    API error is JSON."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        too_long = len(request.META.get("QUERY_STRING", "")) > MAX_API_QUERY_BYTES
        if too_long and request.path.startswith(settings.API_PREFIX):
            return JsonResponse(
                {"detail": f"The query string is longer than {MAX_API_QUERY_BYTES} bytes."},
                status=414,
            )
        return self.get_response(request)


class DatabaseUnavailableMiddleware:
    """When the database cannot be reached, answer a friendly 503 instead of a 500; Django
    drops the broken connection at the end of the request, so the next one reconnects."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        # the database down, or a statement past its time limit (settings.STATEMENT_TIMEOUT_MS)
        logging.getLogger("toolkit.database").error("Database unavailable: %s", exception)
        if request.path.startswith(settings.API_PREFIX):
            response = JsonResponse(
                {"detail": "The service is temporarily unavailable: try again in a moment."},
                status=503,
            )
            response["Retry-After"] = "30"
            return response
        return service_unavailable()


def service_unavailable():
    """The 503 page, rendered without touching the database."""
    response = HttpResponse(
        render_to_string("503.html"), status=503, content_type="text/html; charset=utf-8"
    )
    response["Retry-After"] = "30"
    return response


class CompressionMiddleware(GZipMiddleware):
    """Compress pages and API answers (a list page is about five times smaller), except a
    response that carries a secret an attacker could guess through its compressed size
    (BREACH): one rendered with a CSRF token (the suggestion form, the admin) or any admin
    page."""

    def process_response(self, request, response):
        # A page rendered with the token (re)sets the CSRF cookie on its way out.
        carries_token = settings.CSRF_COOKIE_NAME in response.cookies
        if carries_token or request.path.startswith(ADMIN_PATH):
            return response
        return super().process_response(request, response)
