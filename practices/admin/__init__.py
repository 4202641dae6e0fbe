"""The curators' admin, split as Django's own admin splits itself: the practice admin
(``practice``) with its form, import pages and list actions, the taxonomies' admins, filters.
Importing the modules registers them."""

from practices.admin import practice, taxonomies

__all__ = ["practice", "taxonomies"]
