"""Domain queries on practices, so views and exports never build filter dicts themselves."""

from django.db import models
from django.db.models import Case, IntegerField, Value, When

from practices.search import keyword_terms


class PracticeQuerySet(models.QuerySet):
    def published(self):
        """Practices the public may see."""
        return self.filter(is_published=True)

    def search(self, query: str):
        """Practices whose title, original title or description holds every word of ``query``,
        whatever the case or accents."""
        terms = keyword_terms(query)
        if not terms:
            return self
        queryset = self
        for term in terms:
            queryset = queryset.filter(search_document__contains=term)
        return queryset

    def with_relevance(self, query: str):
        """Annotate ``relevance``: a match in the title outranks one in the description."""
        terms = keyword_terms(query)
        if not terms:
            return self.annotate(relevance=Value(0, output_field=IntegerField()))
        in_title = models.Q()
        for term in terms:
            in_title &= models.Q(title__icontains=term)
        return self.annotate(
            relevance=Case(
                When(in_title, then=Value(1)), default=Value(0), output_field=IntegerField()
            )
        )

    def for_listing(self):
        """Fetch what a result list shows of each practice: country, validity, priorities."""
        return self.select_related("territorial_validity").prefetch_related("priorities")

    def with_tags(self):
        """Fetch everything a list or export shows of each practice in a fixed number of queries."""
        return self.select_related("territorial_validity", "region__typology").prefetch_related(
            "priorities", "challenges", "support_types", "recommendations__pillar"
        )
