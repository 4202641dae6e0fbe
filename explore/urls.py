from django.urls import path

from explore import views

app_name = "explore"
urlpatterns = [
    path("", views.home, name="home"),
    path("themes/", views.themes, name="themes"),
    path("typologies/", views.typologies, name="typologies"),
    path("countries/", views.country_list, name="countries"),
    path("countries/<str:code>/", views.country_detail, name="country"),
    path("compare/", views.compare_countries, name="compare_countries"),
]
