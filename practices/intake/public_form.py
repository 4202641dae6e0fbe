"""Suggest a practice: the public form, and what a suggestion becomes (a draft in the review
queue, its submitter kept apart for curators only, curators told by email)."""

from django import forms
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from django_countries import countries

from practices.intake.slugs import free_slug
from practices.models import (
    Practice,
    StrategicChallenge,
    Suggestion,
    SupportType,
    TerritorialValidity,
    ThematicPriority,
)
from practices.publication import MIN_DESCRIPTION_LENGTH
from practices.versions import one_version

HONEYPOT = "website"  # a field people never see; bots fill every field they find


def _optional_tags(label, taxonomy):
    return forms.ModelMultipleChoiceField(
        label=label,
        queryset=taxonomy.objects.all(),
        to_field_name="slug",
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class SuggestionForm(forms.Form):
    title = forms.CharField(label=_("Title of the practice"), max_length=300)
    country = forms.ChoiceField(
        label=_("Country"), choices=[("", _("Choose a country")), *countries]
    )
    territorial_validity = forms.ModelChoiceField(
        label=_("Where it applies"),
        queryset=TerritorialValidity.objects.all(),
        to_field_name="slug",
        widget=forms.RadioSelect,
        empty_label=None,
    )
    description = forms.CharField(
        label=_("What the practice does"),
        widget=forms.Textarea(attrs={"rows": 8}),
        # what publishing needs: a suggestion the form accepts is never too short to publish
        min_length=MIN_DESCRIPTION_LENGTH,
        max_length=5000,
        help_text=ngettext_lazy(
            "At least %(count)d character: who runs it, what it funds or offers, for whom.",
            "At least %(count)d characters: who runs it, what it funds or offers, for whom.",
            "count",
        )
        % {"count": MIN_DESCRIPTION_LENGTH},
    )
    link = forms.URLField(
        label=_("Link to further information"),
        max_length=500,
        required=False,
        assume_scheme="https",
    )
    challenges = _optional_tags(_("Strategic challenges (optional)"), StrategicChallenge)
    priorities = _optional_tags(_("Thematic priorities (optional)"), ThematicPriority)
    support_types = _optional_tags(_("Types of cluster support (optional)"), SupportType)
    name = forms.CharField(label=_("Your name"), max_length=200)
    email = forms.EmailField(label=_("Your email address"), max_length=254)
    may_contact = forms.BooleanField(
        label=_("You may contact me about this suggestion"), required=False
    )
    website = forms.CharField(
        label=_("Leave this field empty"), required=False, max_length=200
    )  # the honeypot (HONEYPOT)

    def is_from_a_bot(self) -> bool:
        return bool(self.data.get(HONEYPOT))

    def error_summary(self) -> list[tuple[str, str, str]]:
        """(id to link to, label, message) of each error, in the form's order: for the
        summary above the form. A group of boxes or buttons is reached through its first."""
        summary = []
        for field in self:
            if not field.errors:
                continue
            target = field.subwidgets[0].id_for_label if field.use_fieldset else field.id_for_label
            summary.extend((target, field.label, error) for error in field.errors)
        return summary


def submit_suggestion(*, data: dict) -> Practice:
    """Save a valid suggestion as a draft practice with its submitter apart, and tell the
    curators. Returns the draft."""
    practice = Practice(
        slug=free_slug(data["title"], fallback="suggested-practice", suffix="-suggested"),
        title=data["title"],
        description=data["description"],
        country=data["country"],
        territorial_validity=data["territorial_validity"],
        link=data["link"],
        origin="suggestion",
        is_published=False,
    )
    with transaction.atomic():
        with one_version(practice, reason="Suggested through the public form"):
            practice.save()
            practice.challenges.set(data["challenges"])
            practice.priorities.set(data["priorities"])
            practice.support_types.set(data["support_types"])
        Suggestion.objects.create(
            practice=practice,
            name=data["name"],
            email=data["email"],
            may_contact=data["may_contact"],
        )
    _tell_curators(practice)
    return practice


def _tell_curators(practice):
    if not settings.CURATOR_EMAILS:
        return
    path = reverse("admin:practices_practice_change", args=[practice.pk])
    send_mail(
        subject=f"Suggested practice: {practice.title[:100]}",
        message=(
            f"Someone suggested a practice for the toolkit: {practice.title}\n\n"
            f"It waits as a draft in the review queue: {path}\n"
        ),
        from_email=None,
        recipient_list=settings.CURATOR_EMAILS,
        fail_silently=True,  # a mail server down must not lose the suggestion
    )
