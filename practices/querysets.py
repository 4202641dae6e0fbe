"""Domain queries on practices, so views and exports never build filter dicts themselves."""

from django.db import models
from django.db.models import F, FloatField, Prefetch, Value

from practices.search.fulltext import engine_for
from practices.search.keywords import Keywords


class PracticeQuerySet(models.QuerySet):
    def published(self):
        """Practices the public may see."""
        return self.filter(is_published=True)

    def search(self, keywords: Keywords | str):
        """Practices matching a websearch-style keyword query (quotes, -word, or), whatever
        the case or accents, through the database's full-text engine (``search.fulltext``).
        A query with nothing searchable in it (such as "-" or "or") changes nothing."""
        keywords = Keywords.of(keywords)
        if not keywords:
            return self
        return engine_for(self.db).matching(self, keywords)

    def with_relevance(self, keywords: Keywords | str):
        """Annotate ``relevance``: title above original title above description, as each
        full-text engine can best tell."""
        keywords = Keywords.of(keywords)
        if not keywords:
            return self.annotate(relevance=Value(0.0, output_field=FloatField()))
        return engine_for(self.db).with_relevance(self, keywords)

    def by_relevance(self, keywords: Keywords | str):
        """Best matches first (see ``with_relevance``), then by title."""
        keywords = Keywords.of(keywords)
        if not keywords:  # nothing to rank by
            return self.order_by("title", "pk")
        return self.with_relevance(keywords).order_by(F("relevance").desc(), "title", "pk")

    def with_headline(self, keywords: Keywords | str):
        """Where the database writes excerpts (PostgreSQL), annotate ``headline``: the best
        fragment of the description with the matched words marked (see
        ``keywords.excerpt_html``)."""
        keywords = Keywords.of(keywords)
        if not keywords:
            return self
        return engine_for(self.db).with_headline(self, keywords)

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
        # Imported here: the registry imports the models, which import this module.
        from practices.search.facets.registry import TAGS, of_kind

        pointed_to = [field.name for field in self.model._meta.fields if field.many_to_one]
        return self.select_related(*pointed_to, "region__typology").prefetch_related(
            *(
                Prefetch(spec.path, _tags_of(spec.field), to_attr=f"{spec.path}_list")
                for spec in of_kind(TAGS)
            )
        )


def _tags_of(relation):
    """The values of a tag relation with the rows they point to (a recommendation's pillar),
    or None (Django's own queryset) when they point to none."""
    taxonomy = relation.related_model
    pointed_to = [field.name for field in taxonomy._meta.fields if field.many_to_one]
    return taxonomy.objects.select_related(*pointed_to) if pointed_to else None
