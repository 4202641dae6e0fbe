"""A country's cluster policy in a few curated facts, beside its practices (the ECCP publishes
one such factsheet per country each year). Every field is optional: a factsheet grows as
curators find sources."""

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

    @property
    def draws_on_stip_compass(self) -> bool:
        """Whether a source is a STIP Compass record, whose credit the page must carry."""
        return any(source.url.startswith(STIP_COMPASS) for source in self.sources.all())

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
        validators=YEARS, help_text="The year of the facts taken from this source."
    )

    history = HistoricalRecords()
    objects = SourceManager()

    class Meta:
        ordering = ["factsheet", "-year", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["factsheet", "title"], name="source_title_once_per_factsheet"
            )
        ]

    def __str__(self):
        return f"{self.title} ({self.year})"

    def natural_key(self):
        return (self.title, *self.factsheet.natural_key())

    natural_key.dependencies = ["factsheets.countryfactsheet"]
