"""Overview pages drawn once per state of the data.

/themes/, a country's dashboard and a comparison of countries read dozens of counts over
every practice: cheap on the in-memory index, but at 100,000 practices their aggregates and
large tables still cost a hundred milliseconds or more. What they show is the same for every
visitor until a practice, a taxonomy or a factsheet changes, so a page's body is kept in the
cache under the data version (which database triggers replace on every write the search
reads) and the factsheets' last save (factsheets are not part of the search). A write makes
every older entry unreachable; they expire on their own.
"""

import hashlib
from functools import wraps

from django.core.cache import cache
from django.db.models import Count, Max
from django.http import HttpResponse

from factsheets.models import CountryFactsheet
from practices.models import Practice
from practices.search.facet_index.store import data_version

PAGE_SECONDS = 3600  # an entry of an older state is never read again


def state_of_the_data() -> str | None:
    """A token that changes whenever anything these pages show changes; None where the
    database keeps no data version (nothing is kept then)."""
    version = data_version(Practice.objects.db)
    if version is None:
        return None
    factsheets = CountryFactsheet.objects.aggregate(last=Max("updated_at"), count=Count("pk"))
    return f"{version}:{factsheets['count']}:{factsheets['last']}"


def kept_until_the_data_changes(view):
    """Serve the view's page from the cache while the data is unchanged. Only a complete page
    (200) is kept: a refusal or a redirect is cheap and says something about its request."""

    @wraps(view)
    def kept(request, *args, **kwargs):
        state = state_of_the_data() if request.method in ("GET", "HEAD") else None
        if state is None:
            return view(request, *args, **kwargs)
        digest = hashlib.sha256(f"{state}\n{request.get_full_path()}".encode()).hexdigest()
        key = f"explore-page:{view.__name__}:{digest}"
        body = cache.get(key)
        if body is not None:
            return HttpResponse(body)
        response = view(request, *args, **kwargs)
        if response.status_code == 200:
            cache.set(key, response.content, timeout=PAGE_SECONDS)
        return response

    return kept
