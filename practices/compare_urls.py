"""The comparisons of practices, at /compare/practices/ (beside the comparison of countries
under /compare/): mounted by the root URLs before the overview pages."""

from django.urls import path

from practices import views

app_name = "compare"

urlpatterns = [
    path("", views.practice_compare, name="practices"),
]
