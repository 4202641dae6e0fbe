"""Per-client request limits for the expensive public endpoints (CSV export, JSON API) and
for the suggestion form.

DRF's throttles count requests in Django's cache (Redis in production, local memory by
default) and compute Retry-After; the rates come from settings, read on every request so
they can be changed without touching code.
"""

import math

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle


class ClientRateThrottle(AnonRateThrottle):
    """A limit per client address for anonymous visitors; staff signed in are not limited."""

    def get_rate(self):
        return settings.RATE_LIMITS[self.scope]


class ApiRateThrottle(ClientRateThrottle):
    scope = "api"


class ExportRateThrottle(ClientRateThrottle):
    scope = "export"


class SuggestRateThrottle(ClientRateThrottle):
    scope = "suggest"


def seconds_to_wait(throttle: ClientRateThrottle, request) -> int | None:
    """None when ``throttle`` lets ``request`` through (and counts it), else the whole seconds
    to wait, for the refusal's text and its Retry-After header."""
    if throttle.allow_request(request, None):
        return None
    return math.ceil(throttle.wait() or 1)
