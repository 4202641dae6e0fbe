from django.apps import AppConfig


class CurationConfig(AppConfig):
    """The curators' review workspace and the tag suggestions it offers."""

    name = "curation"
    default_auto_field = "django.db.models.BigAutoField"
