"""Domain queries on practices, so views and exports never build filter dicts themselves."""

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connections, models
from django.db.models import Case, F, FloatField, Prefetch, Value, When

from practices import sqlite_search
from practices.search import HEADLINE_START, HEADLINE_STOP, parse_websearch, websearch_text

SEARCH_CONFIG = "english"


class PracticeQuerySet(models.QuerySet):
    def published(self):
        """Practices the public may see."""
        return self.filter(is_published=True)

    def _full_text(self):
        return connections[self.db].vendor == "postgresql"

    def _fts5(self):
        return sqlite_search.available(connections[self.db])

    def _tsquery(self, query):
        return SearchQuery(websearch_text(query), config=SEARCH_CONFIG, search_type="websearch")

    def search(self, query: str):
        """Practices matching a websearch-style keyword query (quotes, -word, or), whatever
        the case or accents; PostgreSQL's full text, SQLite's FTS5 where it has it, else a
        LIKE over ``search_document``."""
        if not parse_websearch(query):  # nothing searchable, such as "-" or "or"
            return self
        if self._full_text():
            return self.filter(search_vector=self._tsquery(query))
        if self._fts5():
            return sqlite_search.matching(self, query)
        condition = models.Q()
        for clause in parse_websearch(query):
            alternatives = _any_phrase("search_document__contains", clause.alternatives)
            condition &= ~alternatives if clause.excluded else alternatives
        return self.filter(condition)

    def with_relevance(self, query: str):
        """Annotate ``relevance``. PostgreSQL ranks by weighted full text (title above original
        title above description), SQLite's FTS5 by bm25 with the same order of columns; the
        fallback puts practices matching in the title first."""
        if not parse_websearch(query):
            return self.annotate(relevance=Value(0.0, output_field=FloatField()))
        if self._full_text():
            return self.annotate(relevance=SearchRank(F("search_vector"), self._tsquery(query)))
        if self._fts5():
            return sqlite_search.with_relevance(self, query)
        in_title = models.Q()
        for clause in parse_websearch(query):
            if not clause.excluded:
                in_title &= _any_phrase("title__icontains", clause.alternatives)
        if not in_title:
            return self.annotate(relevance=Value(0.0, output_field=FloatField()))
        return self.annotate(
            relevance=Case(
                When(in_title, then=Value(1.0)), default=Value(0.0), output_field=FloatField()
            )
        )

    def by_relevance(self, query: str):
        """Best matches first (see ``with_relevance``), then by title."""
        if not parse_websearch(query):  # nothing to rank by
            return self.order_by("title", "pk")
        return self.with_relevance(query).order_by(F("relevance").desc(), "title", "pk")

    def with_headline(self, query: str):
        """On PostgreSQL, annotate ``headline``: the best fragment of the description with the
        matched words between control-character markers (see ``search.excerpt_html``)."""
        if not parse_websearch(query) or not self._full_text():
            return self
        return self.annotate(
            headline=SearchHeadline(
                "description",
                self._tsquery(query),
                config=SEARCH_CONFIG,
                start_sel=HEADLINE_START,
                stop_sel=HEADLINE_STOP,
                max_words=30,
                min_words=12,
                max_fragments=2,
                fragment_delimiter=" … ",
            )
        )

    def for_listing(self):
        """Fetch what a result list shows of each practice: country, validity, priorities."""
        return self.select_related("territorial_validity").prefetch_related("priorities")

    def with_tags(self):
        """Fetch everything a detail page, the API or the import reads of each practice, in a
        fixed number of queries. The tags of each relation come as a plain list in
        ``<relation>_list`` (``priorities_list``, ...) rather than in cached managers: Django
        makes a manager and a queryset per practice and relation for those, which was most
        of the time of an API page of 20 practices."""
        recommendations = self.model._meta.get_field("recommendations").related_model.objects
        return self.select_related("territorial_validity", "region__typology").prefetch_related(
            *(
                Prefetch(relation, to_attr=f"{relation}_list")
                for relation in ("priorities", "challenges", "support_types")
            ),
            Prefetch(
                "recommendations",
                recommendations.select_related("pillar"),
                to_attr="recommendations_list",
            ),
        )


def _any_phrase(lookup: str, phrases) -> models.Q:
    """A condition true when any of ``phrases`` matches through ``lookup``."""
    condition = models.Q()
    for phrase in phrases:
        condition |= models.Q(**{lookup: phrase})
    return condition
