from django.apps import AppConfig


class ExploreConfig(AppConfig):
    """Pages that show the whole before the parts: the home page, the themes and their gaps.
    Every number comes from ``practices.search``, so it is what a click on it shows."""

    name = "explore"
    verbose_name = "Explore"
