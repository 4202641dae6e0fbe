"""The practice's change form: a save over a newer version is refused and says what changed;
publishing checks what a public page needs."""

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import Truncator

from practices.models import Practice
from practices.publication import publication_problems
from practices.versions import REASON_LENGTH, differences


class PracticeForm(forms.ModelForm):
    # The revision the curator opened: saving over a newer one is refused (``clean``).
    known_revision = forms.IntegerField(widget=forms.HiddenInput, required=False)
    change_reason = forms.CharField(
        label="Reason for this change",
        max_length=REASON_LENGTH,
        required=False,
        help_text="Optional; kept with this version in the history.",
    )

    tags_reviewed = forms.BooleanField(
        label="Every taxonomy decided",
        required=False,
        help_text="Tick when you have read the practice and decided each taxonomy: its empty "
        "taxonomies then read “does not apply” on its page, not “not yet decided”.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.initial.setdefault("known_revision", self.instance.revision)
        self.initial.setdefault("tags_reviewed", self.instance.is_reviewed)

    def apply_review_mark(self, practice, user):
        """Mark the practice reviewed by ``user`` when the box was ticked now, unmark it when
        unticked; a practice already reviewed keeps who and when."""
        ticked = self.cleaned_data.get("tags_reviewed")
        if ticked and not practice.is_reviewed:
            practice.mark_reviewed(by=user.get_full_name() or user.get_username())
        elif not ticked and practice.is_reviewed:
            practice.reviewed_at, practice.reviewed_by = None, ""

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is not None:
            self._refuse_a_stale_edit(cleaned.get("known_revision"))
        if cleaned.get("is_published"):
            problems = publication_problems(
                description=cleaned.get("description", ""),
                challenges=cleaned.get("challenges"),
                support_types=cleaned.get("support_types"),
                tags_proposed=cleaned.get("tags_proposed"),
            )
            if problems:
                raise forms.ValidationError(
                    f"This practice cannot be published yet: {'; '.join(problems)}. "
                    "Untick “published” to save it as a draft."
                )
        return cleaned

    def _refuse_a_stale_edit(self, known_revision):
        """Refuse to save over a version someone else saved after this form was opened, and
        say what they changed. The row stays locked until the save ends, so no other save
        slips in between this check and this save."""
        current = (
            Practice.objects.select_for_update()
            .filter(pk=self.instance.pk)
            .values_list("revision", flat=True)
            .first()
        )
        if current is None or known_revision == current:
            return
        raise forms.ValidationError(stale_edit_message(self.instance.pk, known_revision))


def stale_edit_message(practice_pk, known_revision) -> str:
    """Who saved the practice since the form was opened, when, and what they changed: from
    the version the form was opened on (or, for a practice saved before versions kept their
    revision, the one before the latest) to the latest."""
    versions = Practice.history.filter(id=practice_pk)
    latest, *earlier = [*versions[:2], None]
    opened = versions.filter(revision=known_revision).first() or (earlier[0] if earlier else None)
    who = (latest and latest.history_user) or "Someone"
    when = date_format(timezone.localtime(latest.history_date), "DATETIME_FORMAT") if latest else ""
    if latest is None or opened is None:
        changed = "the practice"
    else:
        changed = (
            "; ".join(
                f"{difference.label}: “{Truncator(difference.old).chars(80)}” → "
                f"“{Truncator(difference.new).chars(80)}”"
                for difference in differences(opened, latest)
            )
            or "nothing you can see (the practice was saved unchanged)"
        )
    return (
        f"{who} saved this practice{f' on {when}' if when else ''}, after you opened it, and "
        f"changed {changed}. "
        "Your changes are not saved, so nothing of theirs is lost: copy what you need from "
        "this form, open the practice again and make your change on its current version."
    )
