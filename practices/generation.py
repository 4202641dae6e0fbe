"""Synthetic practices for load tests and benchmarks: realistic shapes, deterministic per seed.

Every generated practice is marked ``is_synthetic`` so it can never pass for real data.
"""

import datetime
import random
from collections.abc import Callable

from django.db import connection, transaction
from django_countries import countries

from practices.models import (
    Practice,
    Recommendation,
    Region,
    StrategicChallenge,
    SupportType,
    TerritorialValidity,
    ThematicPriority,
    Typology,
)
from practices.search import search_document


class RealDataPresent(Exception):
    """The database holds real practices; mixing synthetic ones in needs explicit consent."""


# Countries the toolkit covers most (EU, EEA, neighbours, partners), weighted towards the EU.
COUNTRY_CODES = (
    "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE "
    "NO IS CH LI GB AL BA ME MK RS XK TR UA MD GE AM AZ IL TN MA EG JO LB "
    "SG JP KR CA US AU NZ BR CL MX IN CN ZA KE"
).split()
WORDS = (
    "cluster innovation network regional policy programme support enterprise small medium "
    "companies research university technology transfer digital green transition circular "
    "economy skills training workforce value chain supply internationalisation export market "
    "intelligence collaboration partnership public private funding grant investment strategy "
    "smart specialisation ecosystem manufacturing energy mobility health agri food tourism "
    "creative industries textile electronics battery hydrogen renewable resilience recovery "
    "pandemic startup incubation acceleration mentoring advisory services platform data "
    "artificial intelligence cybersecurity logistics maritime aerospace automotive chemicals "
    "construction water waste biodiversity climate adaptation decarbonisation procurement "
    "standards certification testing facilities pilot demonstration scale-up venture "
    "capital matchmaking brokerage events missions alliances hubs interregional "
    "transnational cooperation competitiveness productivity employment labour local"
).split()
TITLE_HEADS = [
    "Programme",
    "Initiative",
    "Strategy",
    "Action plan",
    "Fund",
    "Network",
    "Platform",
    "Scheme",
    "Partnership",
    "Hub",
    "Alliance",
    "Centre",
]


def _weighted(rng, values, weights, low, high):
    """Between ``low`` and ``high`` distinct values, drawn with uneven frequencies."""
    wanted = rng.randint(low, high)
    chosen = []
    pool, pool_weights = list(values), list(weights)
    while pool and len(chosen) < wanted:
        pick = rng.choices(range(len(pool)), weights=pool_weights)[0]
        chosen.append(pool.pop(pick))
        pool_weights.pop(pick)
    return chosen


# Word frequencies fall off as in real text (Zipf): a few words are everywhere, most are rare.
_WORD_WEIGHTS = [1 / rank for rank in range(1, len(WORDS) + 1)]


def _sentence(rng):
    words = rng.choices(WORDS, weights=_WORD_WEIGHTS, k=rng.randint(8, 18))
    return " ".join(words).capitalize() + "."


def _description(rng):
    """100 to 300 words in paragraphs of two to five sentences."""
    target = rng.randint(118, 300)  # sentences run up to 18 words, so at least 100 remain
    paragraphs, words = [], 0
    while True:
        sentences = []
        for _ in range(rng.randint(2, 5)):
            sentence = _sentence(rng)
            length = len(sentence.split())
            if words + length > target:
                if sentences:
                    paragraphs.append(" ".join(sentences))
                return "\n\n".join(paragraphs)
            sentences.append(sentence)
            words += length
        paragraphs.append(" ".join(sentences))


def generate_practices(
    *,
    count: int,
    seed: int = 1,
    batch_size: int = 2000,
    allow_real_data: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Create ``count`` synthetic published practices; the same seed gives the same data.

    Refuses (``RealDataPresent``) when real practices exist, unless ``allow_real_data``.
    Returns the number created.
    """
    if not allow_real_data and Practice.objects.filter(is_synthetic=False).exists():
        raise RealDataPresent(
            "The database holds real practices; synthetic ones would mix with them."
        )
    rng = random.Random(seed)
    validities = list(TerritorialValidity.objects.all())
    priorities = list(ThematicPriority.objects.all())
    challenges = list(StrategicChallenge.objects.all())
    supports = list(SupportType.objects.all())
    recommendations = list(Recommendation.objects.all())
    typologies = list(Typology.objects.all())
    if not (
        validities and priorities and challenges and supports and recommendations and typologies
    ):
        raise ValueError("Load the taxonomies first: manage.py loaddata taxonomies")

    country_weights = [
        8 if index < 27 else 2 if index < 45 else 1 for index in range(len(COUNTRY_CODES))
    ]
    regions = _synthetic_regions(rng, typologies)
    # Uneven, like the real platform: most practices are national, innovation is everywhere.
    validity_weights = [3] + [1] * (len(validities) - 1)
    priority_weights = [5, 4, 3][: len(priorities)] + [1] * max(0, len(priorities) - 3)
    challenge_weights = [8, 5, 4, 3][: len(challenges)] + [1] * max(0, len(challenges) - 4)
    support_weights = [3, 6, 4][: len(supports)] + [1] * max(0, len(supports) - 3)
    recommendation_weights = [rng.randint(1, 10) for _ in recommendations]
    start = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    first_number = Practice.objects.filter(is_synthetic=True).count() + 1

    created = 0
    while created < count:
        size = min(batch_size, count - created)
        practices, links = [], []
        for offset in range(size):
            number = first_number + created + offset
            country = rng.choices(COUNTRY_CODES, weights=country_weights)[0]
            title = (
                f"{' '.join(rng.sample(WORDS, 2)).title()} {rng.choice(TITLE_HEADS)} "
                f"{countries.name(country)} {number}"
            )
            description = _description(rng)
            region = rng.choice(regions) if rng.random() < 0.35 else None
            moment = start + datetime.timedelta(minutes=rng.randint(0, 60 * 24 * 365 * 6))
            practice = Practice(
                slug=f"synthetic-{seed}-{number}",
                title=title,
                original_title="" if rng.random() < 0.4 else f"{title} (original)",
                description=description,
                country=country,
                territorial_validity=rng.choices(validities, weights=validity_weights)[0],
                region=region,
                link=f"https://practices.example.eu/{seed}/{number}",
                is_published=True,
                is_synthetic=True,
                created_at=moment,
                updated_at=moment,
            )
            practice.search_document = search_document(
                practice.title, practice.original_title, practice.description
            )
            practices.append(practice)
            links.append(
                (
                    _weighted(rng, priorities, priority_weights, 0, 3),
                    _weighted(rng, challenges, challenge_weights, 1, 3),
                    _weighted(rng, supports, support_weights, 1, 3),
                    _weighted(rng, recommendations, recommendation_weights, 0, 3),
                )
            )
        with transaction.atomic():
            Practice.objects.bulk_create(practices, batch_size=1000)
            _link(practices, links)
        created += size
        if progress:
            progress(created, count)
    _refresh_planner_statistics()
    return created


def _refresh_planner_statistics():
    """After a bulk load the planner's row estimates are stale until autovacuum catches up."""
    if connection.vendor in {"postgresql", "sqlite"}:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _synthetic_regions(rng, typologies):
    regions = []
    for code in COUNTRY_CODES[:27]:
        for index in range(1, 5):
            region, _ = Region.objects.get_or_create(
                code=f"{code}Z{index}",
                defaults={
                    "name": f"Synthetic region {code} {index}",
                    "typology": rng.choice(typologies),
                },
            )
            regions.append(region)
    return regions


def _link(practices, links):
    if practices[0].pk is None:  # backends that do not return ids from bulk_create
        ids = dict(
            Practice.objects.filter(slug__in=[p.slug for p in practices]).values_list("slug", "pk")
        )
        for practice in practices:
            practice.pk = ids[practice.slug]
    relations = ["priorities", "challenges", "support_types", "recommendations"]
    for position, relation in enumerate(relations):
        through = getattr(Practice, relation).through
        target = getattr(Practice, relation).field.m2m_reverse_field_name()
        through.objects.bulk_create(
            [
                through(practice_id=practice.pk, **{f"{target}_id": tag.pk})
                for practice, tags in zip(practices, links, strict=True)
                for tag in tags[position]
            ],
            batch_size=5000,
        )
