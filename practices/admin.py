from django import forms
from django.contrib import admin, messages
from django.db import models
from django.db.models import Count

from practices.models import (
    Pillar,
    Practice,
    Recommendation,
    Region,
    StrategicChallenge,
    SupportType,
    TerritorialValidity,
    ThematicPriority,
    Typology,
)


@admin.register(Practice)
class PracticeAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "country",
        "territorial_validity",
        "region",
        "is_published",
        "updated_at",
    ]
    list_display_links = ["title"]
    list_filter = [
        "is_published",
        "territorial_validity",
        "priorities",
        "challenges",
        "support_types",
        "recommendations",
        "region__typology",
        "country",
    ]
    list_select_related = ["territorial_validity", "region"]
    search_fields = [
        "title",
        "original_title",
        "slug",
        "description",
        "region__name",
        "region__code",
    ]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["region"]
    readonly_fields = ["created_at", "updated_at"]
    date_hierarchy = "updated_at"
    list_per_page = 50
    actions = ["publish", "unpublish"]
    save_on_top = True
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = [
        (
            None,
            {"fields": ["title", "slug", "original_title", "description", "link", "is_published"]},
        ),
        ("Where it applies", {"fields": ["country", "territorial_validity", "region"]}),
        (
            "Classification",
            {"fields": ["priorities", "challenges", "support_types", "recommendations"]},
        ),
        ("History", {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs["widget"] = forms.CheckboxSelectMultiple
        if db_field.name == "recommendations":
            kwargs["queryset"] = Recommendation.objects.select_related("pillar")
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.action(description="Publish the selected practices", permissions=["change"])
    def publish(self, request, queryset):
        self._set_published(request, queryset, True)

    @admin.action(
        description="Unpublish the selected practices (keep them as drafts)", permissions=["change"]
    )
    def unpublish(self, request, queryset):
        self._set_published(request, queryset, False)

    def _set_published(self, request, queryset, published):
        changed = list(queryset.exclude(is_published=published))
        for practice in changed:
            practice.is_published = published
            practice.save(update_fields=["is_published"])
            self.log_change(request, practice, [{"changed": {"fields": ["Published"]}}])
        state = "published" if published else "unpublished"
        self.message_user(request, f"{len(changed)} practice(s) {state}.", messages.SUCCESS)


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
