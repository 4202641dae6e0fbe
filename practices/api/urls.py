from django.urls import path
from drf_spectacular.renderers import OpenApiJsonRenderer
from drf_spectacular.views import SpectacularAPIView

from practices.api import views

app_name = "api"

urlpatterns = [
    path("", views.api_index, name="index"),
    path("docs/", views.api_documentation, name="docs"),
    path("practices/", views.PracticeList.as_view(), name="practice-list"),
    path("practices/<slug:slug>/", views.PracticeDetail.as_view(), name="practice-detail"),
    path("taxonomies/", views.TaxonomyList.as_view(), name="taxonomies"),
    path(
        "openapi.json",
        SpectacularAPIView.as_view(renderer_classes=[OpenApiJsonRenderer]),
        name="openapi",
    ),
]
