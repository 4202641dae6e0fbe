"""The review workspace's rules: which drafts wait and in what order, what each still lacks,
the review form, and the one versioned save behind every review (with what the curator made
of each suggestion recorded)."""

from dataclasses import dataclass

from django import forms
from django.db import transaction
from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.db.models.functions import Length

from curation.models import TagDecision
from curation.tagging.definitions import SUGGESTED
from practices.models import Practice
from practices.publication import MIN_DESCRIPTION_LENGTH, publication_problems
from practices.search.facets.registry import FACETS
from practices.text import acronyms_in, is_all_caps, proposed_capitalisation
from practices.versions import one_version

QUEUE_PAGE_SIZE = 50
DEFAULT_ACCEPT_ABOVE = 70  # per cent: what "accept all above" starts with
SPECS = {spec.param: spec for spec in FACETS if spec.param in SUGGESTED}
ORIGINS = dict(Practice._meta.get_field("origin").choices)

# What a draft may lack, as the queue's filter offers it: (choice, label, condition).
LACKS = {
    "challenge": ("a strategic challenge", Q(challenge_count=0)),
    "support": ("a type of cluster support", Q(support_count=0)),
    "priority": ("a thematic priority", Q(priority_count=0)),
    "recommendation": ("a recommendation", Q(recommendation_count=0)),
    "confirmation": ("confirmed tags (proposed by an import)", Q(tags_proposed=True)),
}
ORDERS = {
    "oldest": ("oldest first", ["created_at", "pk"]),
    "complete": ("most complete first", ["lacking", "created_at", "pk"]),
}


def drafts(*, origin="", country="", lacks="", order="oldest"):
    """The drafts waiting for review, filtered and ordered as the queue shows them."""
    queryset = Practice.objects.filter(is_published=False).annotate(
        challenge_count=Count("challenges", distinct=True),
        support_count=Count("support_types", distinct=True),
        priority_count=Count("priorities", distinct=True),
        recommendation_count=Count("recommendations", distinct=True),
    )
    if origin:
        queryset = queryset.filter(origin=origin)
    if country:
        queryset = queryset.filter(country=country)
    if lacks in LACKS:
        queryset = queryset.filter(LACKS[lacks][1])
    # how many of the queue's rules a draft breaks: "most complete first" orders by it
    lacking = sum(
        (
            Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())
            for _, condition in LACKS.values()
        ),
        start=Value(0),
    )
    queryset = queryset.annotate(description_length=Length("description"), lacking=lacking)
    return queryset.order_by(*ORDERS.get(order, ORDERS["oldest"])[1])


def still_lacks(practice) -> list[str]:
    """What a draft of ``drafts()`` still lacks, in words, publishing's rules first."""
    lacks = []
    if practice.description_length < MIN_DESCRIPTION_LENGTH:
        lacks.append(f"a description of {MIN_DESCRIPTION_LENGTH} characters")
    for name, (label, _) in LACKS.items():
        if name == "confirmation":
            if practice.tags_proposed:
                lacks.append(label)
        elif getattr(practice, f"{name}_count") == 0:
            lacks.append(label)
    if is_all_caps(practice.title):
        lacks.append("a title not in capitals")
    return lacks


def proposed_title(practice) -> str | None:
    """How the title of a practice written in capitals would read, for a curator to confirm;
    None when it is not in capitals (or nothing better can be proposed)."""
    if not is_all_caps(practice.title):
        return None
    proposal = proposed_capitalisation(practice.title, acronyms=acronyms_in(practice.organisation))
    return proposal if proposal != practice.title else None


class QueueFilter(forms.Form):
    origin = forms.ChoiceField(
        label="Origin", choices=[("", "any origin"), *ORIGINS.items()], required=False
    )
    country = forms.CharField(label="Country (code)", max_length=2, required=False)
    lacks = forms.ChoiceField(
        label="Lacking",
        choices=[("", "anything"), *((name, label) for name, (label, _) in LACKS.items())],
        required=False,
    )
    order = forms.ChoiceField(
        label="Order",
        choices=[(name, label) for name, (label, _) in ORDERS.items()],
        required=False,
    )

    def clean_country(self):
        return self.cleaned_data["country"].upper()


class ReviewForm(forms.Form):
    """One draft's review: its title and description edited in place, the values of each
    suggested taxonomy ticked, and the revision it was opened on."""

    title = forms.CharField(label="Title", max_length=300)
    description = forms.CharField(label="Description", widget=forms.Textarea(attrs={"rows": 10}))
    known_revision = forms.IntegerField(widget=forms.HiddenInput)
    accept_above = forms.IntegerField(
        label="Accept every suggestion above (%)",
        min_value=0,
        max_value=100,
        initial=DEFAULT_ACCEPT_ABOVE,
        required=False,
    )

    def __init__(self, *args, practice, suggestions, **kwargs):
        super().__init__(*args, **kwargs)
        self.practice = practice
        self.suggestions = suggestions
        for param, spec in SPECS.items():
            self.fields[param] = forms.MultipleChoiceField(
                label=spec.label,
                choices=[(value.slug, value.name) for value in spec.model.objects.all()],
                widget=forms.CheckboxSelectMultiple,
                required=False,
            )
            self.initial.setdefault(
                param, [tag.slug for tag in getattr(practice, SUGGESTED[param]).all()]
            )
        self.initial.setdefault("title", practice.title)
        self.initial.setdefault("description", practice.description)
        self.initial.setdefault("known_revision", practice.revision)

    def with_accepted_above(self) -> dict:
        """The data sent with every suggestion of at least ``accept_above`` % ticked too."""
        data = self.data.copy()
        threshold = self._accept_above()
        for param, suggested in self.suggestions.items():
            chosen = set(data.getlist(param))
            chosen |= {s.value for s in suggested if s.confidence * 100 >= threshold}
            data.setlist(param, sorted(chosen))
        return data

    def _accept_above(self) -> int:
        try:
            return min(100, max(0, int(self.data.get("accept_above", DEFAULT_ACCEPT_ABOVE))))
        except (TypeError, ValueError):
            return DEFAULT_ACCEPT_ABOVE

    def publication_problems(self) -> list[str]:
        return publication_problems(
            description=self.cleaned_data["description"],
            challenges=self.cleaned_data["challenge"],
            support_types=self.cleaned_data["support"],
            tags_proposed=False,
        )


class StaleReview(Exception):
    """Someone saved the practice after this review was opened."""


@dataclass
class Reviewed:
    practice: Practice
    decisions: list[TagDecision]
    published: bool


def save_review(*, practice, form, user, publish: bool) -> Reviewed:
    """Save a valid review as one version of the practice (tags confirmed, published if asked)
    and record each suggestion's outcome; raises ``StaleReview`` and writes nothing when the
    practice changed since the form was opened."""
    data = form.cleaned_data
    with transaction.atomic():
        current = (
            Practice.objects.select_for_update()
            .filter(pk=practice.pk)
            .values_list("revision", flat=True)
            .first()
        )
        if current != data["known_revision"]:
            raise StaleReview
        before = {
            param: {tag.slug for tag in getattr(practice, relation).all()}
            for param, relation in SUGGESTED.items()
        }
        reason = "Reviewed in the workspace" + (" and published" if publish else "")
        with one_version(practice, reason=reason, user=user):
            practice.title = data["title"]
            practice.description = data["description"]
            practice.tags_proposed = False
            practice.mark_reviewed(by=user.get_full_name() or user.get_username())
            practice.is_published = publish or practice.is_published
            practice.save()
            for param, spec in SPECS.items():
                getattr(practice, SUGGESTED[param]).set(
                    spec.model.objects.filter(slug__in=data[param])
                )
        decisions = TagDecision.objects.bulk_create(
            decisions_of(practice, form.suggestions, before, data, user)
        )
    return Reviewed(practice, decisions, publish)


def decisions_of(practice, suggestions, before, data, user) -> list[TagDecision]:
    """What the curator made of each suggestion (accepted if kept, rejected if not), and of
    each value added that nobody suggested."""
    decisions = []
    for param in SUGGESTED:
        chosen = set(data[param])
        suggested = {s.value: s for s in suggestions.get(param, [])}
        for value, suggestion in suggested.items():
            decisions.append(
                TagDecision(
                    practice=practice,
                    taxonomy=param,
                    value=value,
                    outcome=TagDecision.Outcome.ACCEPTED
                    if value in chosen
                    else TagDecision.Outcome.REJECTED,
                    confidence=float(suggestion.confidence),
                    reason=suggestion.reason,
                    reviewer=user,
                )
            )
        for value in sorted(chosen - set(suggested) - before[param]):
            decisions.append(
                TagDecision(
                    practice=practice,
                    taxonomy=param,
                    value=value,
                    outcome=TagDecision.Outcome.ADDED,
                    reviewer=user,
                )
            )
    return decisions


def next_draft(practice, ids: list[int]) -> int | None:
    """The draft after ``practice`` in the queue's order (``ids``), else the first other."""
    if practice.pk in ids:
        following = ids[ids.index(practice.pk) + 1 :]
        if following:
            return following[0]
    others = [pk for pk in ids if pk != practice.pk]
    return others[0] if others else None
