from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from toolkit.health import healthz


class FaviconView(RedirectView):
    permanent = True

    def get_redirect_url(self, *args, **kwargs):
        # at request time: the hashed name exists only once static files are collected
        return static("favicon.svg")


# Machine addresses stay outside the language prefix: one address each, whatever the language.
urlpatterns = [
    path(settings.API_PREFIX.lstrip("/"), include("practices.api.urls")),
    # the curators' review workspace: inside the admin's address, its guard and its look
    path("admin/review/", include("curation.urls")),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    # Browsers ask for /favicon.ico whatever the page says (feed readers, bookmarks too).
    path("favicon.ico", FaviconView.as_view(), name="favicon"),
]

# The public pages, in every switched-on language: /fr/practices/...; English keeps the
# unprefixed addresses every shared link already uses. The practices' CSV, Excel and feed, and
# the data page's catalogue record, share their app's URL names, so they answer under a prefix
# too; the unprefixed address stays the one every page links to in English.
urlpatterns += i18n_patterns(
    # before the overview pages (mounted at the root, with their own /compare/ of countries)
    path("compare/practices/", include("practices.compare_urls")),
    path("", include("explore.urls")),
    path("practices/", include("practices.urls")),
    path("data/", include("opendata.urls")),
    prefix_default_language=False,
)

handler404 = "toolkit.views.page_not_found"
