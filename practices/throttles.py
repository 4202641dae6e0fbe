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
    """Counts accepted suggestions only: a form sent back with mistakes costs nothing, so a
    visitor who corrects four mistakes may still send what the limit allows.

    ``seconds_to_wait`` only looks; ``count_accepted`` counts, once the suggestion is saved.
    Two valid suggestions sent at the same instant may both pass the look: the limit keeps
    floods out, it is not an exact quota.
    """

    scope = "suggest"

    def throttle_success(self):
        return True  # not counted on looking: see count_accepted

    def count_accepted(self, request) -> None:
        """Count one accepted suggestion from ``request``'s client."""
        if self.rate is None:
            return
        key = self.get_cache_key(request, None)
        if key is None:  # staff signed in
            return
        now = self.timer()
        history = [moment for moment in self.cache.get(key, []) if moment > now - self.duration]
        self.cache.set(key, [now, *history], self.duration)


def seconds_to_wait(throttle: ClientRateThrottle, request) -> int | None:
    """None when ``throttle`` lets ``request`` through (and counts it, unless the throttle
    counts later, as ``SuggestRateThrottle`` does), else the whole seconds to wait, for the
    refusal's text and its Retry-After header."""
    if throttle.allow_request(request, None):
        return None
    return math.ceil(throttle.wait() or 1)


def wait_in_words(seconds: int) -> str:
    """A wait as a person reads it, rounded up: "40 seconds", "1 minute", "47 minutes",
    "3 hours"."""
    if seconds < 60:
        count, unit = seconds, "second"
    elif seconds <= 2 * 3600:
        count, unit = math.ceil(seconds / 60), "minute"
    else:
        count, unit = math.ceil(seconds / 3600), "hour"
    return f"{count} {unit}{'' if count == 1 else 's'}"
