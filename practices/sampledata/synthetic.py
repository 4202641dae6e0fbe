"""Synthetic practices for load tests and benchmarks: realistic shapes, deterministic per seed.

Every generated practice is marked ``is_synthetic`` so it can never pass for real data.
"""

import datetime
import random
from collections.abc import Callable

from django.db import connection, transaction
from django_countries import countries

from practices.models import Practice, Region, Typology
from practices.search.facets.registry import CHOICE, TAGS, of_kind
from practices.text import search_document


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


# How a synthetic practice carries the values of each facet, uneven like the real platform:
# param -> (fewest, most, weights of the first values in the taxonomy's order; later values
# weigh 1). None draws weights per seed. Facets not listed: 0 to 2 values, evenly drawn.
TAG_SHAPES = {
    "priority": (0, 3, [5, 4, 3]),
    "challenge": (1, 3, [8, 5, 4, 3]),  # innovation is everywhere
    "support": (1, 3, [3, 6, 4]),
    "recommendation": (0, 3, None),
}
DEFAULT_TAG_SHAPE = (0, 2, [])
CHOICE_WEIGHTS = {"territorial_validity": [3]}  # most practices are national


def _weights(first, count):
    return first[:count] + [1] * max(0, count - len(first))


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
    # Listed shapes first, in their order, so that a seed gives the data it always gave.
    tag_facets = sorted(
        of_kind(TAGS),
        key=lambda spec: (
            list(TAG_SHAPES).index(spec.param) if spec.param in TAG_SHAPES else len(TAG_SHAPES)
        ),
    )
    tag_values = {spec.param: list(spec.model.objects.all()) for spec in tag_facets}
    choice_values = {spec.param: list(spec.model.objects.all()) for spec in of_kind(CHOICE)}
    typologies = list(Typology.objects.all())
    if not (all(tag_values.values()) and all(choice_values.values()) and typologies):
        raise ValueError("Load the taxonomies first: manage.py loaddata taxonomies")

    country_weights = [
        8 if index < 27 else 2 if index < 45 else 1 for index in range(len(COUNTRY_CODES))
    ]
    regions = _synthetic_regions(rng, typologies)
    choice_weights = {
        param: _weights(CHOICE_WEIGHTS.get(param, []), len(values))
        for param, values in choice_values.items()
    }
    tag_shapes = {}
    for spec in tag_facets:
        low, high, first = TAG_SHAPES.get(spec.param, DEFAULT_TAG_SHAPE)
        size = len(tag_values[spec.param])
        weights = [rng.randint(1, 10) for _ in range(size)] if first is None else None
        tag_shapes[spec.param] = (low, high, weights or _weights(first, size))
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
                region=region,
                link=f"https://practices.example.eu/{seed}/{number}",
                is_published=True,
                is_synthetic=True,
                created_at=moment,
                updated_at=moment,
            )
            for spec in of_kind(CHOICE):
                values = choice_values[spec.param]
                chosen = rng.choices(values, weights=choice_weights[spec.param])[0]
                setattr(practice, spec.path, chosen)
            practice.search_document = search_document(
                practice.title, practice.original_title, practice.description
            )
            practices.append(practice)
            links.append(
                {
                    spec.path: _weighted(
                        rng,
                        tag_values[spec.param],
                        tag_shapes[spec.param][2],
                        *tag_shapes[spec.param][:2],
                    )
                    for spec in tag_facets
                }
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
    for spec in of_kind(TAGS):
        through = spec.field.remote_field.through
        target = spec.field.m2m_reverse_field_name()
        through.objects.bulk_create(
            [
                through(practice_id=practice.pk, **{f"{target}_id": tag.pk})
                for practice, tags in zip(practices, links, strict=True)
                for tag in tags[spec.path]
            ],
            batch_size=5000,
        )
