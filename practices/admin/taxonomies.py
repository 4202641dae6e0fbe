"""The taxonomies' admins: curators add and order values; a value still carried by a practice
cannot be deleted."""

from django.contrib import admin
from django.db.models import Count

from practices.models import (
    BudgetRange,
    InstrumentType,
    Pillar,
    Practice,
    Recommendation,
    Region,
    StrategicChallenge,
    SupportType,
    TargetGroup,
    TerritorialValidity,
    ThematicPriority,
    Typology,
)


class TaxonomyAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position", "practice_count"]
    list_editable = ["position"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return (
            super().get_queryset(request).annotate(practice_total=Count("practices", distinct=True))
        )

    @admin.display(description="practices", ordering="practice_total")
    def practice_count(self, taxonomy):
        return taxonomy.practice_total

    def get_deleted_objects(self, objs, request):
        """Refuse to delete a value that practices still carry: deleting it would silently
        remove it from every one of them. Curators re-tag those practices first."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        taxonomy_ids = [taxonomy.pk for taxonomy in objs]
        relation = self.model._meta.get_field("practices").field.name
        in_use = Practice.objects.filter(**{f"{relation}__in": taxonomy_ids}).distinct()
        protected = [
            *protected,
            *(f"Practice: {practice} (still tagged with it)" for practice in in_use),
        ]
        return deleted, counts, perms_needed, protected


for taxonomy in [TerritorialValidity, ThematicPriority, StrategicChallenge, SupportType, Pillar]:
    admin.site.register(taxonomy, TaxonomyAdmin)


@admin.register(InstrumentType, BudgetRange, TargetGroup)
class StipTaxonomyAdmin(TaxonomyAdmin):
    """The taxonomies taken from the STIP Compass codebook: their code is what an import reads."""

    list_display = ["name", "code", "slug", "position", "practice_count"]
    search_fields = ["name", "slug", "code"]


@admin.register(Recommendation)
class RecommendationAdmin(TaxonomyAdmin):
    list_display = ["number", "name", "pillar", "slug"]
    list_editable = []
    list_filter = ["pillar"]
    list_select_related = ["pillar"]


@admin.register(Typology)
class TypologyAdmin(TaxonomyAdmin):
    list_display = ["number", "name", "slug"]
    list_editable = []


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "typology"]
    list_filter = ["typology"]
    list_select_related = ["typology"]
    search_fields = ["code", "name"]
