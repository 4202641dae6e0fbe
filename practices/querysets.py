"""Domain queries on practices, so views and exports never build filter dicts themselves.

Keyword matching and ranking are the search's (``search.fulltext``): this module is part of the
bottom layer and imports nothing above it."""

from django.db import models
from django.db.models import Prefetch


class PracticeQuerySet(models.QuerySet):
    def published(self):
        """Practices the public may see."""
        return self.filter(is_published=True)

    def for_listing(self):
        """Fetch what a result card shows of each practice: country, validity, region and its
        typology, priorities, challenges and types of support."""
        return self.select_related("territorial_validity", "region__typology").prefetch_related(
            "priorities", "challenges", "support_types"
        )

    def with_tags(self):
        """Fetch everything a detail page, the API or the import reads of each practice, in a
        fixed number of queries: the values of every single-valued and tag facet. The tags of
        each relation come as a plain list in ``<relation>_list`` (``priorities_list``, ...)
        rather than in cached managers: Django makes a manager and a queryset per practice and
        relation for those, which was most of the time of an API page of 20 practices."""
        pointed_to = [field.name for field in self.model._meta.fields if field.many_to_one]
        # Every many-to-many relation of a practice is a tag facet (the registry declares one
        # for each), so the model's own fields say what to fetch.
        return self.select_related(*pointed_to, "region__typology").prefetch_related(
            *(
                Prefetch(relation.name, _tags_of(relation), to_attr=f"{relation.name}_list")
                for relation in self.model._meta.many_to_many
            )
        )


def _tags_of(relation):
    """The values of a tag relation with the rows they point to (a recommendation's pillar),
    or None (Django's own queryset) when they point to none."""
    taxonomy = relation.related_model
    pointed_to = [field.name for field in taxonomy._meta.fields if field.many_to_one]
    return taxonomy.objects.select_related(*pointed_to) if pointed_to else None
