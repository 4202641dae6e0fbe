"""Text as the search reads it: folded (lower case, no accents) so that "Innovationsnetværk"
matches "innovationsnetvaerk". A leaf: the models store ``search_document`` with each practice,
and the search (``search.keywords``) folds queries the same way."""

import unicodedata

# Letters that Unicode does not decompose into a base letter plus an accent.
_LIGATURES = str.maketrans(
    {"æ": "ae", "ø": "o", "œ": "oe", "ß": "ss", "đ": "d", "ł": "l", "ı": "i", "þ": "th", "ð": "d"}
)


def fold(text: str) -> str:
    """Lower-case ``text`` and strip its accents: "Innovationsnetværk" -> "innovationsnetvaerk"."""
    if text.isascii():  # nothing to decompose or strip
        return text.casefold()
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_LIGATURES))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def search_document(*parts: str) -> str:
    """The folded text stored with a practice, one space between its parts."""
    return " ".join(fold(part) for part in parts if part)
