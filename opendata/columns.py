"""The data model as the data page shows it: every column of the exports, in their order,
with its meaning and allowed values, read from the code that writes them (the CSV format,
the facet registry, the models), so the page cannot drift from the files."""

from dataclasses import dataclass, field

from practices.csv_format import DERIVED_COLUMNS, LIST_SEPARATOR, YEAR_COLUMNS
from practices.models import Practice, Region
from practices.search.facets.registry import CSV_COLUMNS, FACETS, FIELD

# The columns that are a model field of another name, or no field at all.
_PRACTICE_FIELD_OF = {"updated": "updated_at"}
_REGION_FIELD_OF = {"region_code": "code", "region_name": "name"}
_WRITTEN = {
    "country_name": ("The country's name in English.", "text"),
    "url": ("The practice's page on this site.", "an address (https://...)"),
}


@dataclass(frozen=True)
class Column:
    name: str
    meaning: str
    values: str  # what a cell may hold, in words
    options: list = field(default_factory=list)  # the allowed values, when there is a list


def columns() -> list[Column]:
    """Every column of the CSV and Excel exports, in their order."""
    facets = {spec.csv_column: spec for spec in FACETS if spec.csv_column}
    named = {spec.csv_names_column: spec for spec in FACETS if spec.csv_names_column}
    return [_column(name, facets, named) for name in CSV_COLUMNS]


def _column(name, facets, named) -> Column:
    if name in facets:
        return _facet_column(name, facets[name])
    if name in named:
        spec = named[name]
        return Column(
            name,
            f"The names of the {spec.label.lower()}s, in the order of their codes in "
            f"'{spec.csv_column}'. Written for readers; the import ignores it.",
            f"names, separated by '{LIST_SEPARATOR}'",
            [tag.name for tag in spec.model.objects.all()],
        )
    if name in _WRITTEN:
        meaning, values = _WRITTEN[name]
        if name in DERIVED_COLUMNS:
            meaning += " Written for readers; the import ignores it."
        return Column(name, meaning, values)
    if name in _REGION_FIELD_OF:
        model_field = Region._meta.get_field(_REGION_FIELD_OF[name])
        return Column(name, f"The region's {model_field.verbose_name}.", "text; empty: none")
    model_field = Practice._meta.get_field(_PRACTICE_FIELD_OF.get(name, name))
    meaning = str(model_field.verbose_name).capitalize() + "."
    if model_field.help_text:
        meaning += f" {model_field.help_text}"
    if name in YEAR_COLUMNS:
        values = "a year (four digits); empty: unknown"
    elif name == "updated":
        values = "a date, YYYY-MM-DD (UTC)"
    elif name in ("link", "source_id"):
        values = "an address; may be empty"
    elif model_field.blank:
        values = "text; may be empty"
    else:
        values = "text"
    return Column(name, meaning, values)


def _facet_column(name, spec) -> Column:
    values, options = spec.kind.column_values(spec)
    if spec.kind == FIELD:  # the country
        meaning = f"{spec.label}: its ISO 3166-1 alpha-2 code; EU for the European Union itself."
    elif spec.kind.derived:  # the country groups
        meaning = (
            f"{spec.label}s of the practice's country (the European Union's own measures "
            "count in the EU-27). Written for readers; the import ignores it."
        )
    else:
        meaning = f"{spec.label}."
    return Column(name, meaning, values, options)
