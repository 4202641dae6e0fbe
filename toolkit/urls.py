from django.conf import settings
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


urlpatterns = [
    # before the overview pages (mounted at the root, with their own /compare/ of countries)
    path("compare/practices/", include("practices.compare_urls")),
    path("", include("explore.urls")),
    path("practices/", include("practices.urls")),
    path(settings.API_PREFIX.lstrip("/"), include("practices.api.urls")),
    path("data/", include("opendata.urls")),
    # the curators' review workspace: inside the admin's address, its guard and its look
    path("admin/review/", include("curation.urls")),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    # Browsers ask for /favicon.ico whatever the page says (feed readers, bookmarks too).
    path("favicon.ico", FaviconView.as_view(), name="favicon"),
]

handler404 = "toolkit.views.page_not_found"
