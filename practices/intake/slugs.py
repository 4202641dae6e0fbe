"""A free slug for a new practice, whoever makes it (an import, the public form)."""

from django.utils.text import slugify

from practices.models import Practice


def free_slug(text: str, *, fallback: str, suffix: str = "", taken: set | None = None) -> str:
    """``text`` slugified (at most 150 characters, ``fallback`` when nothing is left), then
    ``suffix``, then -2, -3, ... until no practice has it. ``taken``, when given, holds the
    slugs already in use (read once for a whole import) and receives the new one."""
    base = (slugify(text)[:150] or fallback) + suffix
    candidate, number = base, 2
    while _is_taken(candidate, taken):
        candidate, number = f"{base}-{number}", number + 1
    if taken is not None:
        taken.add(candidate)
    return candidate


def _is_taken(slug, taken) -> bool:
    if taken is not None:
        return slug in taken
    return Practice.objects.filter(slug=slug).exists()
