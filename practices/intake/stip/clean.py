"""STIP Compass text made fit to read: pure functions from the text of a cell to the text a
practice stores, used by the import and by the one-off cleaning of records imported before.

What the survey's export writes, and why each function undoes it:

- lists of several values in one cell are joined by ``¬`` (the responsible organisations of
  66 of the 2021 file's 278 cluster-policy initiatives): split into their values;
- an organisation is written "Name (ACRONYM;Name in its own language)" with either part
  often empty: "Luxinnovation (;)", "Business Finland (BF;)", "BELVAL funds (;Fonds
  Belval)"; empty brackets go, a dangling ``;`` goes, and a part that only repeats the name
  ("FedDev Ontario (FedDev Ontario;FedDev Ontario)") goes;
- quotes inside a cell come doubled twice over (``""ASTANA HUB""``): written once;
- runs of spaces, tabs and no-break spaces: one space.

Nothing here drops a word of the source; every function gives the same text when applied
again (a test holds both), so cleaning a record twice changes nothing the second time.
"""

import re

LIST_SEPARATOR = "¬"
ELLIPSIS = "…"

_SPACES = re.compile(r"[^\S\n]+")  # any whitespace but a line break
_EMPTY_BRACKETS = re.compile(r"\s*\(\s*(?:[;,]\s*)*\)")
_DANGLING_OPENING = re.compile(r"\(\s*[;,]\s*")
_DANGLING_CLOSING = re.compile(r"\s*[;,]\s*\)")
_SEPARATOR_BEFORE_BRACKET = re.compile(r"\s*;\s*(?=\()")  # "Activities; (DGAE;…)"
_BRACKETS = re.compile(r"\(([^()]*)\)")
_BLANK_LINES = re.compile(r"\n{3,}")


def _undouble_quotes(text: str) -> str:
    while '""' in text:
        text = text.replace('""', '"')
    return text


def clean_line(text: str) -> str:
    """One line of STIP text as a reader should see it: doubled quotes written once, a ``¬``
    list joined by "; ", empty brackets ("()", "(;)") dropped, a separator left dangling
    inside brackets dropped ("(BF;)" -> "(BF)"), whitespace collapsed to single spaces.

    ``clean_line('INTERNATIONAL TECHNOPARK ""ASTANA HUB""')`` ->
    ``'INTERNATIONAL TECHNOPARK "ASTANA HUB"'``."""
    text = _undouble_quotes(text).replace(LIST_SEPARATOR, "; ")
    text = " ".join(text.split())
    text = _EMPTY_BRACKETS.sub("", text)
    text = _DANGLING_OPENING.sub("(", text)
    text = _DANGLING_CLOSING.sub(")", text)
    return text.strip(" ;,")


def clean_paragraphs(text: str) -> str:
    """Text of several lines (a description): each line cleaned as ``clean_line``, its line
    breaks kept (the page shows them), and at most one blank line between paragraphs."""
    lines = [clean_line(line) for line in text.replace("\r\n", "\n").split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip("\n")


def split_list(text: str) -> list[str]:
    """The values of a STIP list cell ("a¬b"), or of a stored list (one value a line), each
    cleaned, empty ones left out: ``split_list("Enterprise Ireland (EI;)¬IDA Ireland (;)")``
    -> ``["Enterprise Ireland (EI)", "IDA Ireland"]``."""
    values = (clean_line(value) for value in re.split(rf"[{LIST_SEPARATOR}\n]", text))
    return [value for value in values if value]


def clean_organisation(name: str) -> str:
    """One organisation's name with its "(acronym;name in its own language)" tidied: empty
    parts, placeholders ("-") and parts that repeat the name dropped, the rest joined by
    "; ", and the brackets dropped when nothing is left in them.

    ``"Ministry of the Economy (MECO;Ministère de l'Économie)"`` ->
    ``"Ministry of the Economy (MECO; Ministère de l'Économie)"``;
    ``"Department of Defence (;)"`` -> ``"Department of Defence"``."""
    name = _SEPARATOR_BEFORE_BRACKET.sub(" ", clean_line(name))

    def tidied(match):
        before = name[: match.start()].strip().casefold()
        parts = []
        for part in match.group(1).split(";"):
            part = part.strip()
            if (
                any(char.isalnum() for char in part)  # not empty, nor a "-" for none
                and part.casefold() != before
                and part.casefold() not in map(str.casefold, parts)
            ):
                parts.append(part)
        return f"({'; '.join(parts)})" if parts else ""

    return " ".join(_BRACKETS.sub(tidied, name).split()).strip(" ;,")


def organisations(text: str) -> list[str]:
    """The organisations of a ``NameResponsibleOrganisation`` cell (or of a stored list, one
    a line), each whole and cleaned by ``clean_organisation``, each once, in their order."""
    names = []
    for value in split_list(text):
        name = clean_organisation(value)
        if name and name not in names:
            names.append(name)
    return names


def organisation_lines(text: str) -> str:
    """What a practice stores of ``text``'s organisations: one a line."""
    return "\n".join(organisations(text))


def shorten(text: str, limit: int) -> str:
    """``text`` whole when it fits in ``limit`` characters; otherwise cut before the last
    word that fits, never inside a word, and ended with "…" so that a reader sees it was
    shortened (the source keeps the whole text)."""
    if len(text) <= limit:
        return text
    space = text.rfind(" ", 0, limit)  # the words before it fit, with the ellipsis
    head = text[:space] if space > 0 else text[: limit - len(ELLIPSIS)]  # one long word
    return head.rstrip(" ,;:.-–") + ELLIPSIS


# The cleaning of each text field a STIP import writes, by field name: what the import
# applies to the file's cells, and the one-off cleaning (``clean_stip_text``, migration
# 0014) to practices imported before it did.
CLEANERS = {
    "title": clean_line,
    "original_title": clean_line,
    "description": clean_paragraphs,
    "organisation": organisation_lines,
}


def cleaned_fields(values: dict) -> dict:
    """The fields of ``values`` (field name -> text) that cleaning changes, cleaned."""
    changed = {}
    for name, clean in CLEANERS.items():
        text = values.get(name)
        if isinstance(text, str) and clean(text) != text:
            changed[name] = clean(text)
    return changed
