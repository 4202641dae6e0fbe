from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from practices.views import healthz

admin.site.site_header = "Cluster Policy Toolkit: curation"
admin.site.site_title = "Cluster Policy Toolkit"
admin.site.index_title = "Practices and taxonomies"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="practices:list"), name="home"),
    path("practices/", include("practices.urls")),
    path("api/", include("practices.api.urls")),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
]
