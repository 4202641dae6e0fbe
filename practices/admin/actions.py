"""The actions on a selection of practices in the admin's list (a mixin of ``PracticeAdmin``):
publish, unpublish, export as CSV."""

from django.contrib import admin, messages
from django.http import StreamingHttpResponse
from django.utils import timezone

from practices.exchange.exports import csv_chunks, practice_url_prefix
from practices.publication import problems_of
from practices.versions import hold_version


class PublicationActions:
    @admin.action(description="Publish the selected practices", permissions=["change"])
    def publish(self, request, queryset):
        self._set_published(request, queryset, True)

    @admin.action(
        description="Unpublish the selected practices (keep them as drafts)", permissions=["change"]
    )
    def unpublish(self, request, queryset):
        self._set_published(request, queryset, False)

    @admin.action(description="Export the selected practices as CSV (drafts included)")
    def export_csv(self, request, queryset):
        response = StreamingHttpResponse(
            csv_chunks(queryset.order_by("title", "pk"), url_prefix=practice_url_prefix(request)),
            content_type="text/csv; charset=utf-8",
        )
        filename = f"practices_selected_{timezone.localdate().isoformat()}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    def _set_published(self, request, queryset, published):
        # the list's queryset (``PracticeAdmin.get_queryset``) prefetches the tags the rules read
        changed = list(queryset.exclude(is_published=published))
        if published:
            refused = [(practice, problems_of(practice)) for practice in changed]
            refused = [(practice, problems) for practice, problems in refused if problems]
            for practice, problems in refused:
                self.message_user(
                    request,
                    f"Not published: {practice.title}: {'; '.join(problems)}.",
                    messages.WARNING,
                )
            changed = [practice for practice in changed if practice not in dict(refused)]
        state = "published" if published else "unpublished"
        for practice in changed:
            practice.is_published = published
            hold_version(practice, f"{state.capitalize()} from the list")
            practice.save(update_fields=["is_published"])
            self.log_change(request, practice, [{"changed": {"fields": ["Published"]}}])
        count = len(changed)
        self.message_user(
            request,
            f"{count} practice {state}." if count == 1 else f"{count} practices {state}.",
            messages.SUCCESS,
        )
