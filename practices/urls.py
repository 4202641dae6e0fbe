from django.urls import path

from practices import views
from practices.exchange import views as exchange_views
from practices.exchange.feeds import SearchFeed

app_name = "practices"

urlpatterns = [
    path("", views.practice_list, name="list"),
    path("export.csv", exchange_views.practice_export, name="export"),
    path("export.xlsx", exchange_views.practice_export_xlsx, name="export-xlsx"),
    path("feed/", SearchFeed(), name="feed"),
    path("suggest/", views.practice_suggest, name="suggest"),
    path("suggest/thanks/", views.practice_suggest_thanks, name="suggest-thanks"),
    path("<slug:slug>/", views.practice_detail, name="detail"),
    path("<slug:slug>/preview/", views.practice_preview, name="preview"),
]
