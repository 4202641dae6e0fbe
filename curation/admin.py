"""What curators made of the suggestions, readable in the admin (never edited: it is a record)."""

from django.contrib import admin

from curation.models import TagDecision


@admin.register(TagDecision)
class TagDecisionAdmin(admin.ModelAdmin):
    list_display = [
        "practice",
        "taxonomy",
        "value",
        "outcome",
        "confidence",
        "reviewer",
        "decided_at",
    ]
    list_filter = ["taxonomy", "outcome", "decided_at"]
    list_select_related = ["practice", "reviewer"]
    search_fields = ["practice__title", "value"]
    date_hierarchy = "decided_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
