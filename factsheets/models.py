"""A country's cluster policy in a few curated facts, beside its practices (the ECCP publishes
one such factsheet per country each year). Every field is optional: a factsheet grows as
curators find sources. Each source says which sections it supports, so each section tells
how old its facts are ("Facts as of 2021"), apart from when our record last changed."""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

MILLION = Decimal(1_000_000)
STIP_COMPASS = "http://stip.oecd.org/"
YEARS = [MinValueValidator(1950), MaxValueValidator(2100)]


class PolicyLevel(models.TextChoices):
    NATIONAL = "national", "National"
    REGIONAL = "regional", "Regional"
    BOTH = "both", "National and regional"
    NONE = "none", "No cluster policy"


class Instruments(models.TextChoices):
    FINANCIAL = "financial", "Financial"
    TECHNICAL = "technical", "Technical assistance"
    MIXED = "mixed", "Financial and technical assistance"


class BudgetPeriod(models.TextChoices):
    YEARLY = "yearly", "a year"
    TOTAL = "total", "in total"


class Section(models.TextChoices):
    """The parts of a factsheet a source can support; each is dated by its own sources."""

    LEVEL = "level", "Level of the policy"
    OBJECTIVES = "objectives", "Policy objectives"
    INSTRUMENTS = "instruments", "Policy instruments"
    PROGRAMMES = "programmes", "Programmes"
    BUDGET = "budget", "Budget"
    RESULTS = "results", "Results"


# The form field a section's problems are shown beside.
SECTION_FIELDS = {
    Section.LEVEL: "policy_level",
    Section.OBJECTIVES: "objectives",
    Section.INSTRUMENTS: "instruments",
    Section.PROGRAMMES: "programmes",
    Section.BUDGET: "budget_low",
    Section.RESULTS: "results",
}


@dataclass(frozen=True)
class SectionDating:
    """How old one section's facts are: the latest year of the sources that support it."""

    section: Section
    sources: tuple  # the Sources supporting the section

    @property
    def year(self) -> int | None:
        return max((source.year for source in self.sources), default=None)

    @property
    def as_of(self) -> str:
        """The words beside the section: "Facts as of 2021 (STIP Compass, 2021 survey)", or
        "No source listed"."""
        if self.year is None:
            return "No source listed"
        latest = dict.fromkeys(s.short_name for s in self.sources if s.year == self.year)
        return f"Facts as of {self.year} ({'; '.join(latest)})"


class FactsheetQuerySet(models.QuerySet):
    def of(self, code: str):
        """The factsheet of a country (ISO alpha-2), with its sources, or None."""
        return self.filter(country=code).prefetch_related("sources").first()


class FactsheetManager(models.Manager.from_queryset(FactsheetQuerySet)):
    def get_by_natural_key(self, country):
        return self.get(country=country)


class CountryFactsheet(models.Model):
    country = CountryField(unique=True)
    policy_level = models.CharField(
        "cluster policy",
        max_length=10,
        choices=PolicyLevel,
        blank=True,
        help_text="At which level of government the country has a cluster policy.",
    )
    objectives = models.TextField(
        "policy objectives", blank=True, help_text="What the policy sets out to achieve."
    )
    instruments = models.CharField(
        "policy instruments", max_length=10, choices=Instruments, blank=True
    )
    programmes = models.TextField(
        blank=True, help_text="The national or regional programmes, one per line."
    )
    budget_low = models.DecimalField(
        "budget from",
        max_digits=15,
        decimal_places=0,
        null=True,
        blank=True,
        help_text="In the currency below; the same as 'budget up to' when the amount is exact.",
    )
    budget_high = models.DecimalField(
        "budget up to", max_digits=15, decimal_places=0, null=True, blank=True
    )
    budget_currency = models.CharField(
        "currency", max_length=3, blank=True, default="EUR", help_text="ISO 4217, e.g. EUR."
    )
    budget_period = models.CharField(
        max_length=6, choices=BudgetPeriod, default=BudgetPeriod.YEARLY, blank=True
    )
    budget_year = models.PositiveSmallIntegerField(null=True, blank=True, validators=YEARS)
    budget_note = models.CharField(
        max_length=200, blank=True, help_text="What the budget covers, e.g. 'Flanders alone'."
    )
    results = models.TextField(blank=True, help_text="What evaluations found, with their year.")
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    objects = FactsheetManager()

    # The admin sets this on the factsheet it edits: there the sources of the same form are
    # checked (by its inline), not the ones saved before the edit.
    defer_source_check = False

    class Meta:
        ordering = ["country"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(budget_low__isnull=True)
                | models.Q(budget_high__isnull=True)
                | models.Q(budget_low__lte=models.F("budget_high")),
                name="factsheet_budget_low_not_above_high",
            )
        ]

    def __str__(self):
        return f"Factsheet of {self.country.name}"

    def get_absolute_url(self):
        return reverse("explore:country", args=[self.country.code.lower()])

    def natural_key(self):
        return (self.country.code,)

    def clean(self):
        low, high = self.budget_low, self.budget_high
        if low is not None and high is not None and low > high:
            raise ValidationError({"budget_high": "Must not be below 'budget from'."})
        has_amount = self.budget_low is not None or self.budget_high is not None
        if has_amount and not self.budget_currency:
            raise ValidationError({"budget_currency": "Say in which currency the budget is."})
        if self.budget_currency and not (
            len(self.budget_currency) == 3 and self.budget_currency.isalpha()
        ):
            raise ValidationError({"budget_currency": "Three letters, e.g. EUR."})
        self.budget_currency = self.budget_currency.upper()
        if not self.defer_source_check:
            self.check_sources(list(self.sources.all()) if self.pk else [])

    def filled_sections(self) -> list[Section]:
        """The sections that state something, in the order a factsheet reads."""
        budget = self.budget_low is not None or self.budget_high is not None or self.budget_note
        filled = {
            Section.LEVEL: self.policy_level,
            Section.OBJECTIVES: self.objectives.strip(),
            Section.INSTRUMENTS: self.instruments,
            Section.PROGRAMMES: self.programme_list,
            Section.BUDGET: budget,
            Section.RESULTS: self.results.strip(),
        }
        return [section for section, value in filled.items() if value]

    def unsupported_sections(self, sources) -> list[Section]:
        """The filled sections that none of ``sources`` supports."""
        return [
            section
            for section in self.filled_sections()
            if not any(source.supports(section) for source in sources)
        ]

    def check_sources(self, sources) -> None:
        """Refuse a filled section that no source supports: a fact states where it is from."""
        unsupported = self.unsupported_sections(sources)
        if unsupported:
            raise ValidationError(
                {
                    SECTION_FIELDS[section]: (
                        f"No source supports the {section.label.lower()}: tick "
                        f"'{section.label.lower()}' on the source these facts come from (add "
                        "it if it is missing), or leave the section empty."
                    )
                    for section in unsupported
                }
            )

    @property
    def dating(self) -> dict[str, SectionDating]:
        """Each section's dating by its value ("objectives": ...), for the page."""
        sources = list(self.sources.all())
        return {
            section.value: SectionDating(
                section, tuple(source for source in sources if source.supports(section))
            )
            for section in Section
        }

    @property
    def draws_on_stip_compass(self) -> bool:
        """Whether a source is a STIP Compass record, whose credit the page must carry."""
        return any(source.is_stip_compass for source in self.sources.all())

    @property
    def programme_list(self) -> list[str]:
        return [line.strip() for line in self.programmes.splitlines() if line.strip()]

    @property
    def budget(self) -> str:
        """The budget in words: "EUR 50–100 million a year (2021)"; "" when unknown."""
        low, high = self.budget_low, self.budget_high
        if low is None and high is None:
            return ""
        if low is None or low == 0:
            amount = f"up to {_amount(high)}" if high is not None else ""
        elif high is None:
            amount = f"more than {_amount(low)}"
        elif low == high:
            amount = _amount(low)
        elif low >= MILLION and high >= MILLION:
            amount = f"{_number(low / MILLION)}–{_number(high / MILLION)} million"
        else:
            amount = f"{_amount(low)}–{_amount(high)}"
        words = f"{self.budget_currency} {amount}".strip()
        if self.budget_period:
            words += f" {self.get_budget_period_display()}"
        if self.budget_year:
            words += f" ({self.budget_year})"
        return words


def _number(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _amount(value: Decimal) -> str:
    if value >= MILLION:
        return f"{_number(value / MILLION)} million"
    return f"{int(value):,}".replace(",", " ")


class SourceManager(models.Manager):
    def get_by_natural_key(self, title, country):
        return self.get(title=title, factsheet__country=country)


class Source(models.Model):
    factsheet = models.ForeignKey(
        CountryFactsheet, on_delete=models.CASCADE, related_name="sources"
    )
    title = models.CharField(max_length=300)
    url = models.URLField("address", max_length=500, blank=True)
    year = models.PositiveSmallIntegerField(
        validators=YEARS,
        help_text="The year of the facts taken from this source (a survey's year, a report's).",
    )
    # Which sections of the factsheet this source's facts support (at least one).
    supports_level = models.BooleanField("level", default=False)
    supports_objectives = models.BooleanField("objectives", default=False)
    supports_instruments = models.BooleanField("instruments", default=False)
    supports_programmes = models.BooleanField("programmes", default=False)
    supports_budget = models.BooleanField("budget", default=False)
    supports_results = models.BooleanField("results", default=False)

    history = HistoricalRecords()
    objects = SourceManager()

    class Meta:
        ordering = ["factsheet", "-year", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["factsheet", "title"], name="source_title_once_per_factsheet"
            ),
            models.CheckConstraint(
                condition=models.Q(supports_level=True)
                | models.Q(supports_objectives=True)
                | models.Q(supports_instruments=True)
                | models.Q(supports_programmes=True)
                | models.Q(supports_budget=True)
                | models.Q(supports_results=True),
                name="source_supports_a_section",
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.year})"

    def clean(self):
        if not self.sections:
            raise ValidationError("Tick at least one section whose facts this source supports.")

    def supports(self, section: Section) -> bool:
        return getattr(self, f"supports_{section.value}")

    @property
    def sections(self) -> list[Section]:
        return [section for section in Section if self.supports(section)]

    @property
    def is_stip_compass(self) -> bool:
        return self.url.startswith(STIP_COMPASS)

    @property
    def short_name(self) -> str:
        """How a section's dating names the source: "STIP Compass, 2021 survey"."""
        if self.is_stip_compass:
            return f"STIP Compass, {self.year} survey"
        return self.title

    def natural_key(self):
        return (self.title, *self.factsheet.natural_key())

    natural_key.dependencies = ["factsheets.countryfactsheet"]
