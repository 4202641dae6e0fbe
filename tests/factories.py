"""Small builders for test-specific practices; reference data comes from the fixtures."""

import itertools

from practices.models import (
    BudgetRange,
    InstrumentType,
    Practice,
    Recommendation,
    Region,
    StrategicChallenge,
    SupportType,
    TargetGroup,
    TerritorialValidity,
    ThematicPriority,
    Typology,
)

_sequence = itertools.count(1)


def make_region(*, code="FI1B", name="Helsinki-Uusimaa", typology="creative-digital-capitals"):
    """A region; ``typology=None`` for one whose Panorama group no source states."""
    typology = Typology.objects.get(slug=typology) if typology else None
    region, _ = Region.objects.get_or_create(
        code=code, defaults={"name": name, "typology": typology}
    )
    return region


def make_practice(
    *,
    slug=None,
    title=None,
    original_title="",
    description="A measure that supports clusters.",
    country="FI",
    territorial_validity="national",
    priorities=(),
    challenges=("innovation",),
    support=("networking",),
    recommendations=(),
    region=None,
    link="",
    is_published=True,
    instruments=(),
    budget=None,
    evaluated=None,
    years=(None, None),
    target_groups=(),
    **facts,
):
    """Create a practice; tags are given by slug. Needs the taxonomies fixture."""
    number = next(_sequence)
    practice = Practice.objects.create(
        slug=slug or f"practice-{number}",
        title=title or f"Practice {number}",
        original_title=original_title,
        description=description,
        country=country,
        territorial_validity=TerritorialValidity.objects.get(slug=territorial_validity),
        region=region,
        link=link,
        is_published=is_published,
        budget_range=BudgetRange.objects.get(slug=budget) if budget else None,
        evaluated=evaluated,
        start_year=years[0],
        end_year=years[1],
        **facts,
    )
    practice.priorities.set(ThematicPriority.objects.filter(slug__in=priorities))
    practice.challenges.set(StrategicChallenge.objects.filter(slug__in=challenges))
    practice.support_types.set(SupportType.objects.filter(slug__in=support))
    practice.recommendations.set(Recommendation.objects.filter(slug__in=recommendations))
    practice.instrument_types.set(InstrumentType.objects.filter(slug__in=instruments))
    practice.target_groups.set(TargetGroup.objects.filter(slug__in=target_groups))
    return practice
