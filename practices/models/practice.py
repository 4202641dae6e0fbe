"""A cluster-policy practice: what a policymaker reads, searches and compares."""

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from practices.models.taxonomies import (
    BudgetRange,
    InstrumentType,
    Recommendation,
    Region,
    StrategicChallenge,
    SupportType,
    TargetGroup,
    TerritorialValidity,
    ThematicPriority,
)
from practices.querysets import PracticeQuerySet
from practices.text import search_document


class PracticeManager(models.Manager.from_queryset(PracticeQuerySet)):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


SUMMARY_LENGTH = 200

# Each version keeps the practice's fields and every tag relation (see ``_EveryTagRelation``).
PRACTICE_HISTORY = HistoricalRecords(
    excluded_fields=["search_document", "search_vector", "imported"]
)


class _EveryTagRelation:
    """The names of a practice's many-to-many relations, asked by simple-history (as the
    model's ``_history_m2m_fields``) once the class is complete: every tag facet is kept in
    each version without being listed twice."""

    def __get__(self, instance, owner):
        return [relation.name for relation in owner._meta.many_to_many]


class Practice(models.Model):
    """A cluster-policy measure that a policymaker may take as inspiration."""

    slug = models.SlugField(
        max_length=200,
        unique=True,
        help_text="The end of the practice's address (/practices/this-part/): changing it breaks "
        "links and bookmarks that use the old one.",
    )
    title = models.CharField(max_length=300, help_text="The English title.")
    original_title = models.CharField(
        max_length=500, blank=True, help_text="The title in the original language, if different."
    )
    description = models.TextField(help_text="Plain text; a blank line starts a new paragraph.")
    country = CountryField(db_index=True)
    territorial_validity = models.ForeignKey(
        TerritorialValidity, on_delete=models.PROTECT, related_name="practices"
    )
    priorities = models.ManyToManyField(
        ThematicPriority,
        blank=True,
        related_name="practices",
        verbose_name="thematic priorities",
    )
    recommendations = models.ManyToManyField(
        Recommendation,
        blank=True,
        related_name="practices",
        verbose_name="expert-group recommendations",
    )
    challenges = models.ManyToManyField(
        StrategicChallenge,
        blank=True,
        related_name="practices",
        verbose_name="strategic challenges",
    )
    support_types = models.ManyToManyField(
        SupportType,
        blank=True,
        related_name="practices",
        verbose_name="types of cluster support",
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="practices"
    )
    link = models.URLField(
        "link to further information",
        max_length=500,
        blank=True,
        help_text="Often in the original language.",
    )
    start_year = models.PositiveSmallIntegerField(null=True, blank=True)
    end_year = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Empty when no end year is known: the page then says none was given (or "
        "reported, for a survey's record), never that the practice is still running.",
    )
    # Several organisations are often responsible together (up to 11 in the STIP Compass):
    # one a line, each whole, so none is ever cut to fit.
    organisation = models.TextField(
        "responsible organisation",
        blank=True,
        help_text="One organisation a line, e.g. “Business Finland (BF)”.",
    )
    budget_range = models.ForeignKey(
        BudgetRange,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="practices",
        verbose_name="yearly budget",
    )
    evaluated = models.BooleanField(
        null=True, blank=True, help_text="Whether the practice has been evaluated; empty: unknown."
    )
    evaluation_links = models.TextField(blank=True, help_text="One address a line.")
    instrument_types = models.ManyToManyField(
        InstrumentType, blank=True, related_name="practices", verbose_name="types of instrument"
    )
    target_groups = models.ManyToManyField(
        TargetGroup, blank=True, related_name="practices", verbose_name="target groups"
    )
    origin = models.CharField(
        max_length=20,
        choices=[
            ("curator", "Curator"),
            ("stip", "STIP Compass import"),
            ("suggestion", "Suggestion"),
        ],
        default="curator",
    )
    survey_year = models.PositiveSmallIntegerField(
        "survey year of the source",
        null=True,
        blank=True,
        help_text="For a record from a survey (the STIP Compass), the year of that survey: "
        "what it reports, or leaves blank, is as of then.",
    )
    source_themes = models.JSONField(
        "STIP themes",
        default=list,
        blank=True,
        editable=False,
        help_text="The codes of the STIP Compass themes the source files the initiative under "
        "(TH47 and others): what the tag suggestions' mapping reads.",
    )
    source_id = models.CharField(
        "source id",
        max_length=200,
        blank=True,
        help_text="The record's address in its source, e.g. a STIP Compass initiative URI.",
    )
    tags_proposed = models.BooleanField(
        "tags proposed, not confirmed",
        default=False,
        help_text="The tags were proposed by an import; a curator confirms them by unticking.",
    )
    imported = models.JSONField(
        default=dict,
        blank=True,
        editable=False,
        help_text="What the last import wrote, to tell a curator's edits from the source's.",
    )
    # Whether a person has read the practice and decided its taxonomies: on a reviewed
    # practice an empty taxonomy means "does not apply", on another "not yet decided".
    reviewed_at = models.DateTimeField(
        "tags reviewed",
        null=True,
        blank=True,
        editable=False,
        help_text="When a person last read the practice and decided every taxonomy.",
    )
    reviewed_by = models.CharField("tags reviewed by", max_length=150, blank=True, editable=False)
    is_published = models.BooleanField(
        "published", default=False, help_text="Only published practices appear on the public site."
    )
    is_synthetic = models.BooleanField(
        default=False,
        editable=False,
        help_text="Made by generate_practices for load tests; never real data.",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField("last updated", default=timezone.now, editable=False)
    search_document = models.TextField(
        editable=False,
        default="",
        help_text="Title, original title and description, folded for search.",
    )
    # PostgreSQL only: weighted, stemmed, unaccented; a database trigger keeps it current on
    # every write (admin, import, bulk inserts alike). See migration 0003.
    search_vector = SearchVectorField(null=True, editable=False)

    # Raised by every save: a form or an import that read an older revision is refused
    # instead of overwriting what someone else saved since (see ``practices.versions``).
    revision = models.PositiveIntegerField(default=0, editable=False)

    objects = PracticeManager()
    # Every saved version, with who made it, why, and the tags it carried: nothing a curator
    # entered is lost, and any version can be looked at, compared or restored in the admin.
    # ``practices.versions`` records one version per save.
    history = PRACTICE_HISTORY
    _history_m2m_fields = _EveryTagRelation()

    class Meta:
        ordering = ["title", "slug"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(slug=""), name="practice_slug_not_empty"),
            models.CheckConstraint(condition=~models.Q(title=""), name="practice_title_not_empty"),
            models.CheckConstraint(
                condition=~models.Q(country=""), name="practice_country_not_empty"
            ),
            models.CheckConstraint(
                condition=models.Q(end_year__isnull=True)
                | models.Q(start_year__isnull=True)
                | models.Q(end_year__gte=models.F("start_year")),
                name="practice_ends_after_it_starts",
            ),
            models.UniqueConstraint(
                fields=["source_id"],
                condition=~models.Q(source_id=""),
                name="practice_source_id_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["is_published", "title"], name="practice_published_title"),
            models.Index(fields=["is_published", "-updated_at"], name="practice_published_updated"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, touch=True, **kwargs):
        """Save, refreshing the search text; ``touch=False`` keeps ``updated_at`` as set, so an
        import can carry a record's own last-update date."""
        if touch and not self._state.adding:
            self.updated_at = timezone.now()
        # on from the row's own counter: an instance built from an old version (a revert)
        # carries that version's revision
        stored = None
        if self.pk is not None:
            stored = type(self).objects.filter(pk=self.pk).values_list("revision", flat=True)
            stored = stored.first()
        self.revision = max(self.revision, stored or 0) + 1
        self.search_document = search_document(self.title, self.original_title, self.description)
        # Browsers send a textarea's lines ended by CR LF: kept as LF, a save that changes no
        # word changes nothing (in the history, the export and a comparison of versions).
        self.description = self.description.replace("\r\n", "\n")
        self.evaluation_links = "\n".join(self.evaluation_link_list)
        # one organisation a line, with no blank line between (a textarea's CR LF as LF)
        self.organisation = "\n".join(
            line.rstrip() for line in self.organisation.splitlines() if line.strip()
        )
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {
                *kwargs["update_fields"],
                "search_document",
                "updated_at",
                "revision",
            }
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("practices:detail", kwargs={"slug": self.slug})

    def natural_key(self):
        return (self.slug,)

    @property
    def evaluation_link_list(self):
        return [link.strip() for link in self.evaluation_links.splitlines() if link.strip()]

    @property
    def is_reviewed(self) -> bool:
        return self.reviewed_at is not None

    @property
    def empty_taxonomy_means(self) -> str:
        """What an empty taxonomy of this practice says: a reviewed practice's "does not
        apply"; an unreviewed one's "not yet decided"."""
        return "Does not apply" if self.is_reviewed else "Not yet decided"

    def mark_reviewed(self, by: str):
        """Record that ``by`` (a person's name) has just decided every taxonomy; saved with the
        practice's next save, so the mark is kept in its history."""
        self.reviewed_at = timezone.now()
        self.reviewed_by = by[:150]

    @property
    def organisation_list(self) -> list[str]:
        """The responsible organisations, one a line of ``organisation``."""
        return [name.strip() for name in self.organisation.splitlines() if name.strip()]

    @property
    def summary(self) -> str:
        """The first sentence or so of the description, for a result card: up to about 200
        characters, cut at a word."""
        first = self.paragraphs[0] if self.paragraphs else ""
        sentence_end = first.find(". ")
        if 0 < sentence_end < SUMMARY_LENGTH:
            return first[: sentence_end + 1]
        if len(first) <= SUMMARY_LENGTH:
            return first
        return first[:SUMMARY_LENGTH].rsplit(" ", 1)[0].rstrip(",;:") + " …"

    @property
    def no_end_year(self) -> str:
        """What a blank end year means, said honestly: a survey's record (the STIP Compass)
        reports none; any other record gives none. Never "ongoing": nobody said so."""
        if self.survey_year or self.origin == "stip":
            return "no end year reported"
        return "no end year given"

    @property
    def years(self) -> str:
        """ "2015–2021", "2019 – no end year reported" (``no_end_year``), or "" when the
        start is unknown."""
        if self.start_year is None:
            return ""
        if self.end_year is None:
            return f"{self.start_year} – {self.no_end_year}"
        if self.end_year == self.start_year:
            return str(self.start_year)
        return f"{self.start_year}–{self.end_year}"

    @property
    def paragraphs(self):
        return [
            part.strip()
            for part in self.description.replace("\r\n", "\n").split("\n\n")
            if part.strip()
        ]
