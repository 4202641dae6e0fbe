from django.urls import path

from curation import views

app_name = "curation"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("<int:pk>/", views.review, name="review"),
]
