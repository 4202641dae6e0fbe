"""A cluster-policy practice and the taxonomies that classify it.

Taxonomies are rows, not code, so curators can add a value (a new territorial validity, say)
without a release. Single-valued taxonomies are PROTECTed foreign keys; the admin refuses to
delete a tag still carried by a practice (see ``TaxonomyAdmin``), so no curator's tagging is
lost by deleting a value.
"""

from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Now
from django.urls import reverse
from django.utils import timezone
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from practices.querysets import PracticeQuerySet
from practices.search.keywords import search_document


class TaxonomyManager(models.Manager):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Taxonomy(models.Model):
    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Where the value appears in lists; lower comes first."
    )

    objects = TaxonomyManager()

    class Meta:
        abstract = True
        ordering = ["position", "name"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)

    @property
    def facet_label(self):
        """How the value reads among a facet's options on the search page and in the API."""
        return self.name


class TerritorialValidity(Taxonomy):
    """The level of government a practice applies to: national, regional, and so on."""

    class Meta(Taxonomy.Meta):
        verbose_name_plural = "territorial validities"


class ThematicPriority(Taxonomy):
    """The EU's twin transitions and resilience: what a practice helps a territory towards."""

    class Meta(Taxonomy.Meta):
        verbose_name_plural = "thematic priorities"


class StrategicChallenge(Taxonomy):
    """The challenge a practice tackles: innovation, skills, value chains, internationalisation."""


class SupportType(Taxonomy):
    """The cluster function a practice supports: market intelligence, networking, business
    services."""

    class Meta(Taxonomy.Meta):
        verbose_name = "type of cluster support"
        verbose_name_plural = "types of cluster support"


class Pillar(Taxonomy):
    """One of the three pillars grouping the European Expert Group on Clusters' recommendations."""


class Recommendation(Taxonomy):
    """One of the 15 recommendations of the European Expert Group on Clusters (slugs r1..r15)."""

    number = models.PositiveSmallIntegerField(unique=True, validators=[MinValueValidator(1)])
    pillar = models.ForeignKey(Pillar, on_delete=models.PROTECT, related_name="recommendations")
    short_name = models.CharField(
        max_length=60,
        blank=True,
        help_text="A few words for lists and filters, e.g. “Circular economy strategies”; the "
        "full name is shown on the practice's page.",
    )

    class Meta(Taxonomy.Meta):
        ordering = ["number"]

    def __str__(self):
        return f"{self.pillar.name}: {self.name}"

    @property
    def facet_label(self):
        """The one way a recommendation is named in lists, filters, chips and the API's
        facets: "2. Circular economy strategies"."""
        return f"{self.number}. {self.short_name or self.name}"


class Typology(Taxonomy):
    """A European Cluster Panorama group of EU-27 regions with similar economic specialisation."""

    number = models.PositiveSmallIntegerField(
        unique=True, validators=[MinValueValidator(1), MaxValueValidator(99)]
    )
    panorama_regions = models.PositiveSmallIntegerField(
        "regions in the group",
        null=True,
        blank=True,
        help_text="How many EU-27 regions the European Cluster Panorama puts in this group.",
    )

    class Meta(Taxonomy.Meta):
        verbose_name_plural = "typologies"
        ordering = ["number"]


class InstrumentType(Taxonomy):
    """The kind of policy instrument a practice uses, in the EC-OECD STIP Compass's codebook:
    a networking platform, a grant for business innovation, an advisory service..."""

    code = models.CharField("STIP code", max_length=10, blank=True)


class BudgetRange(Taxonomy):
    """How much a practice spends a year, in the STIP Compass's bands (EUR)."""

    code = models.CharField("STIP code", max_length=10, blank=True)


class TargetGroup(Taxonomy):
    """Whom a practice is for, in the STIP Compass's codebook: SMEs, universities, ..."""

    code = models.CharField("STIP code", max_length=10, blank=True)


class RegionManager(models.Manager):
    def get_by_natural_key(self, code):
        return self.get(code=code)


class Region(models.Model):
    """A NUTS-2 region, such as FI1B Helsinki-Uusimaa, and the typology group it belongs to."""

    code = models.CharField("NUTS code", max_length=10, unique=True)
    name = models.CharField(max_length=200)
    typology = models.ForeignKey(Typology, on_delete=models.PROTECT, related_name="regions")

    objects = RegionManager()

    class Meta:
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.name}"

    def natural_key(self):
        return (self.code,)


class PracticeManager(models.Manager.from_queryset(PracticeQuerySet)):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


SUMMARY_LENGTH = 200

PRACTICE_HISTORY = HistoricalRecords(
    excluded_fields=["search_document", "search_vector", "imported"],
    m2m_fields=[
        "priorities",
        "challenges",
        "support_types",
        "recommendations",
        "instrument_types",
        "target_groups",
    ],
)


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
        null=True, blank=True, help_text="Empty while the practice runs."
    )
    organisation = models.CharField("responsible organisation", max_length=300, blank=True)
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
    def years(self) -> str:
        """ "2015–2021", "since 2019", or "" when the start is unknown."""
        if self.start_year is None:
            return ""
        if self.end_year is None:
            return f"since {self.start_year}"
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


class Suggestion(models.Model):
    """Who suggested a practice through the public form: kept for curators only, never on a
    public page, in an export or in the API."""

    practice = models.OneToOneField(Practice, on_delete=models.CASCADE, related_name="suggestion")
    name = models.CharField(max_length=200)
    email = models.EmailField()
    may_contact = models.BooleanField("may be contacted", default=False)
    submitted_at = models.DateTimeField(default=timezone.now, editable=False)

    def __str__(self):
        return f"suggested by {self.name}"


class DataVersion(models.Model):
    """A token that database triggers replace with a new random value on every write to
    practices, their tags and regions (migration 0005). In-memory facet indexes compare it to
    know they are current."""

    version = models.BigIntegerField(default=0)

    def __str__(self):
        return f"data version {self.version}"


class PracticeChange(models.Model):
    """A practice that a write touched, recorded by database triggers (``data_version``) on
    the practice table and its tag tables; a row without a practice means "anything may have
    changed" (a region, a truncation). An in-memory index applies only these practices
    instead of rebuilding itself after a write."""

    practice_id = models.BigIntegerField(null=True)
    # PostgreSQL: the writing transaction's id, so a reader can tell which writes its
    # snapshot may not have seen yet (see ``search.index``); SQLite writes one at a time.
    transaction = models.BigIntegerField(null=True)
    created_at = models.DateTimeField(db_default=Now(), db_index=True)

    class Meta:
        indexes = [models.Index(fields=["transaction"], name="practicechange_transaction")]

    def __str__(self):
        return f"change of practice {self.practice_id or 'any'}"
