"""Keywords: reading a query once into a value, excerpts (text is folded by ``practices.text``).

The query syntax is PostgreSQL's ``websearch``: quoted phrases, ``-word`` to exclude, ``or``
between alternatives. ``Keywords.parse`` reads it once (the FilterSet's form does, when it
cleans ``q``), and every full-text engine (``fulltext_postgres``, ``fulltext_sqlite``,
``fulltext_like``), the excerpts and "did you mean" read the parsed value.
"""

import difflib
import html
import re
import shlex
from dataclasses import dataclass

from django.utils.safestring import mark_safe

from practices.text import fold

_WORD = re.compile(r"\w+", re.UNICODE)
SUGGESTIBLE_WORD = re.compile(r"\w{3,}")
HEADLINE_START, HEADLINE_STOP = "\x02", "\x03"
EXCERPT_WORDS = 30


@dataclass(frozen=True)
class Clause:
    """Part of a websearch query: any of ``alternatives`` must occur, or, when ``excluded``,
    none of them may."""

    alternatives: tuple[str, ...]
    excluded: bool = False


def parse_websearch(query: str) -> list[Clause]:
    """Read a query the way PostgreSQL's websearch_to_tsquery does, in folded words:
    ``"circular economy" -plastic skills or training`` gives the phrase, an exclusion and an
    alternative."""
    lexer = shlex.shlex(fold(query), posix=True)
    lexer.whitespace_split = True
    lexer.commenters = ""
    try:
        tokens = list(lexer)
    except ValueError:  # an unclosed quote: read the words as they are
        tokens = fold(query).replace('"', " ").split()
    clauses: list[Clause] = []
    join_next = False
    for token in tokens:
        if token == "or":  # noqa: S105 - a search operator, not a secret
            join_next = bool(clauses) and not clauses[-1].excluded
            continue
        excluded = token.startswith("-") and len(token) > 1
        phrase = " ".join(_WORD.findall(token))
        if not phrase:
            continue
        if join_next and not excluded:
            clauses[-1] = Clause((*clauses[-1].alternatives, phrase))
        else:
            clauses.append(Clause((phrase,), excluded))
        join_next = False
    return clauses


@dataclass(frozen=True)
class Keywords:
    """A keyword query as typed (``text``) and as read (``clauses``). False when nothing in it
    can be searched for, such as "-", "or" or punctuation."""

    text: str
    clauses: tuple[Clause, ...]

    @classmethod
    def parse(cls, text: str) -> "Keywords":
        return cls(text, tuple(parse_websearch(text)))

    @classmethod
    def of(cls, query: "str | Keywords") -> "Keywords":
        """``query`` itself when already parsed, else parsed."""
        return query if isinstance(query, Keywords) else cls.parse(query)

    def __bool__(self):
        return bool(self.clauses)

    def __str__(self):
        return self.text

    @property
    def wanted_phrases(self) -> list[str]:
        """The phrases a match may contain (those not excluded), in the order typed."""
        return [
            phrase
            for clause in self.clauses
            if not clause.excluded
            for phrase in clause.alternatives
        ]

    @property
    def websearch(self) -> str:
        """The query written anew from its clauses: quoted phrases, ``or`` and ``-`` only,
        folded. PostgreSQL's websearch_to_tsquery then reads what ``parse_websearch`` read, and
        never sees the runs of operators that make it fail ("tsquery stack too small" for 200
        dashes)."""
        parts = []
        for clause in self.clauses:
            alternatives = " or ".join(f'"{phrase}"' for phrase in clause.alternatives)
            parts.append(f"-{alternatives}" if clause.excluded else alternatives)
        return " ".join(parts)


def excerpt_html(description: str, query: "str | Keywords", headline: str | None = None) -> str:
    """A short excerpt of ``description`` with the matched words in <mark>, safe to render.

    ``headline`` is PostgreSQL's ts_headline output (with control-character markers) when
    available; otherwise the first match is found here.
    """
    if headline is not None:
        escaped = html.escape(headline)
        return mark_safe(  # noqa: S308 - escaped above; only our own markers become tags
            escaped.replace(HEADLINE_START, "<mark>").replace(HEADLINE_STOP, "</mark>")
        )
    terms = set(Keywords.of(query).wanted_phrases)
    words = description.split()
    folded = [fold(word) for word in words]
    first = next((i for i, word in enumerate(folded) if any(t in word for t in terms)), 0)
    start = max(0, first - EXCERPT_WORDS // 3)
    window = words[start : start + EXCERPT_WORDS]
    parts = []
    for word, folded_word in zip(window, folded[start : start + EXCERPT_WORDS], strict=True):
        escaped = html.escape(word)
        parts.append(f"<mark>{escaped}</mark>" if any(t in folded_word for t in terms) else escaped)
    prefix = "… " if start else ""
    suffix = " …" if start + EXCERPT_WORDS < len(words) else ""
    return mark_safe(prefix + " ".join(parts) + suffix)  # noqa: S308 - every word escaped


def highlight_html(text: str, query: "str | Keywords") -> str:
    """``text`` (a title) with the words matching the keywords in <mark>, safe to render."""
    terms = set(Keywords.of(query).wanted_phrases)
    parts = []
    for word in text.split(" "):
        escaped = html.escape(word)
        matched = terms and any(term in fold(word) for term in terms)
        parts.append(f"<mark>{escaped}</mark>" if matched else escaped)
    return mark_safe(" ".join(parts))  # noqa: S308 - every word escaped


def words_of(text: str) -> list[str]:
    """The folded words of ``text`` long enough to suggest (three letters or more)."""
    return SUGGESTIBLE_WORD.findall(fold(text))


def best_match(term: str, words) -> str | None:
    """The word of ``words`` closest to ``term``, if any is close."""
    matches = difflib.get_close_matches(term, list(words), n=1, cutoff=0.75)
    return matches[0] if matches else None
