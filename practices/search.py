"""Keyword matching that ignores case and accents the same way on every database.

Each practice keeps a folded copy of its searchable text (``Practice.search_document``);
a query is folded the same way and every word must occur in it.
"""

import re
import unicodedata

# Letters that Unicode does not decompose into a base letter plus an accent.
_LIGATURES = str.maketrans(
    {"æ": "ae", "ø": "o", "œ": "oe", "ß": "ss", "đ": "d", "ł": "l", "ı": "i", "þ": "th", "ð": "d"}
)
_WORD = re.compile(r"\w+", re.UNICODE)


def fold(text: str) -> str:
    """Lower-case ``text`` and strip its accents: "Innovationsnetværk" -> "innovationsnetvaerk"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_LIGATURES))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def keyword_terms(query: str) -> list[str]:
    """The distinct folded words of a keyword query, in the order typed."""
    return list(dict.fromkeys(_WORD.findall(fold(query))))


def search_document(*parts: str) -> str:
    """The folded text stored with a practice, one space between its parts."""
    return " ".join(fold(part) for part in parts if part)
