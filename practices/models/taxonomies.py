"""The taxonomies that classify a practice, and the regions it may belong to.

Taxonomies are rows, not code, so curators can add a value (a new territorial validity, say)
without a release. Single-valued taxonomies are PROTECTed foreign keys; the admin refuses to
delete a tag still carried by a practice (see ``TaxonomyAdmin``), so no curator's tagging is
lost by deleting a value.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models


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
    """A NUTS-2 region, such as FI1B Helsinki-Uusimaa, and the typology group it belongs to.

    The group is a fact of the European Cluster Panorama 2021: given only where a citable
    source states it for this region, otherwise left empty (unknown), never guessed."""

    code = models.CharField("NUTS code", max_length=10, unique=True)
    name = models.CharField(max_length=200)
    typology = models.ForeignKey(
        Typology,
        on_delete=models.PROTECT,
        related_name="regions",
        null=True,
        blank=True,
        help_text="The Panorama's group of this region where a source states it; empty if unknown.",
    )

    objects = RegionManager()

    class Meta:
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.name}"

    def natural_key(self):
        return (self.code,)
