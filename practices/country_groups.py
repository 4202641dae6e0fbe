"""Groups of countries a policymaker compares against: the EU-27, EFTA, the Nordic countries,
and so on. A group stands for its countries: searching a group finds the practices of any of
them (``search.facets.kinds.Groups``).

The memberships are facts, kept here and nowhere else, as of December 2026:

- EU-27: the member states of the European Union since the United Kingdom left on
  1 February 2020 (european-union.europa.eu, "Country profiles"). Also the Union's own
  measures (code EU): they apply in all 27, and "rest of the world" would misplace them.
- EFTA: Iceland, Liechtenstein, Norway, Switzerland (efta.int, "The EFTA States").
- Nordic countries: Denmark, Finland, Iceland, Norway, Sweden, and the autonomous Faroe
  Islands, Greenland and Åland, which have ISO codes of their own and sit in the Nordic
  Council (norden.org, "Nordic co-operation").
- Baltic states: Estonia, Latvia, Lithuania.
- Western Balkans: Albania, Bosnia and Herzegovina, Kosovo, Montenegro, North Macedonia,
  Serbia (European Commission, DG ENEST, "Western Balkans").
- Eastern Partnership: Armenia, Azerbaijan, Belarus, Georgia, Moldova, Ukraine (EEAS,
  "Eastern Partnership"). Belarus suspended its participation in June 2021; it is kept,
  because the EU still names six partner countries and keeps working with Belarusian
  society, and because leaving it out would put it under "rest of the world".
- EU candidate countries: Albania, Bosnia and Herzegovina, Georgia, Moldova, Montenegro,
  North Macedonia, Serbia, Türkiye, Ukraine (European Commission, DG ENEST, "EU
  enlargement", late 2026). Kosovo, a potential candidate that has applied, is not one.
- Rest of the world: every code the country field accepts (ISO 3166-1 alpha-2 as
  django-countries lists it, with Kosovo XK and the European Union EU of
  ``settings.COUNTRIES_OVERRIDE``) that is in none of the groups above; the United Kingdom,
  Russia, Andorra, Monaco, San Marino and the Holy See among them.

Groups overlap (Norway is in EFTA and among the Nordic countries); "rest of the world" and the
others never do.
"""

from dataclasses import dataclass
from functools import cache

from django_countries import countries


@dataclass(frozen=True)
class CountryGroup:
    slug: str  # in URLs: ?country_group=nordic
    name: str
    codes: frozenset[str]  # ISO 3166-1 alpha-2, as ``Practice.country`` stores them


EU27 = frozenset(
    "AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK".split()
)
EUROPEAN_GROUPS = (
    CountryGroup("eu27", "EU-27", EU27 | {"EU"}),
    CountryGroup("efta", "EFTA", frozenset("IS LI NO CH".split())),
    CountryGroup("nordic", "Nordic countries", frozenset("DK FI IS NO SE FO GL AX".split())),
    CountryGroup("baltic", "Baltic states", frozenset("EE LV LT".split())),
    CountryGroup("western-balkans", "Western Balkans", frozenset("AL BA XK ME MK RS".split())),
    CountryGroup(
        "eastern-partnership", "Eastern Partnership", frozenset("AM AZ BY GE MD UA".split())
    ),
    CountryGroup(
        "eu-candidates",
        "EU candidate countries",
        frozenset("AL BA GE MD ME MK RS TR UA".split()),
    ),
)
REST_OF_THE_WORLD = "rest-of-world"


@cache
def country_groups() -> tuple[CountryGroup, ...]:
    """Every group, the European ones first, then the rest of the world (read once the
    settings are, as the country list depends on them)."""
    european = frozenset().union(*(group.codes for group in EUROPEAN_GROUPS))
    rest = frozenset(code for code, _ in countries) - european
    return (*EUROPEAN_GROUPS, CountryGroup(REST_OF_THE_WORLD, "Rest of the world", rest))


def groups_of(code: str) -> list[CountryGroup]:
    """The groups a country is in, in the groups' order; none for an empty code."""
    return [group for group in country_groups() if code and code in group.codes]
