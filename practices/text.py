"""Text as the search reads it: folded (lower case, no accents) so that "Innovationsnetværk"
matches "innovationsnetvaerk". A leaf: the models store ``search_document`` with each practice,
and the search (``search.keywords``) folds queries the same way."""

import re
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


# Titles written in capitals (as the STIP Compass writes most of its initiatives' names). The
# functions below tell such a title and propose how to write it; nothing changes a title by
# itself: a curator confirms the proposal.

# Acronyms and initialisms a cluster-policy title keeps in capitals, whatever surrounds them.
KNOWN_ACRONYMS = frozenset(
    """
    AI ARC BBMRI CEO CERN CIBER CO DIH EDA EEC EIT ERIC EU EUREKA FDI GDP HPC ICT IP IOT IT
    KIC NASA NCBR NRC OECD RD RDI SFI SME STEM STI UK UN US USA
    I II III IV V VI VII VIII IX X XI XII
    """.split()
)
# Written in lower case inside a title (never as its first word).
SMALL_WORDS = frozenset(
    "a an and as at but by for from in into of on or per the through to via vs with".split()
)
_WORD = re.compile(r"[^\W\d_]+(?:['’&][^\W\d_]+)*")  # letters, with R&D and GERMANY'S whole
_ORDINAL = re.compile(r"(?<=\d)(?:ST|ND|RD|TH)\b")  # 1ST, 11TH
_STARTS_A_PHRASE = re.compile(r"(?:^|[:(\[\"“'‘]|\s[-–—]\s)\W*$")


def _is_name(word: str) -> bool:
    """A word in mixed case on purpose ("AplusB", "MoIT", "TECHGarden"), as opposed to one
    in capitals, in lower case or capitalised."""
    rest = word[1:]
    return any(char.isupper() for char in rest) and any(char.islower() for char in word)


def is_all_caps(title: str) -> bool:
    """Whether ``title`` is written in capitals: at least three quarters of its words are in
    capitals, and there are two such words of two letters or more, or one of six letters or
    more (so an acronym alone, "LRM" or "H2USA", is no title in capitals). Known acronyms
    (``KNOWN_ACRONYMS``) count only towards those two words ("STEM HUB" is in capitals, "EU
    SME" is not), names in mixed case on purpose ("AplusB", "TECHGarden.kz") not at all.

    ``is_all_caps("10-10 MYSTIE FRAMEWORK")`` and ``is_all_caps("AplusB SCALE UP")`` are
    True; ``is_all_caps("NRC Supercluster Support Programs")`` and ``is_all_caps("SME")`` are
    False. A curator is asked about a title when this is True and
    ``proposed_capitalisation`` offers something else."""
    capitals, acronyms, others = [], [], 0
    for word in _WORD.findall(title):
        if word in KNOWN_ACRONYMS:
            acronyms.append(word)
            continue
        if _is_name(word):
            continue
        if word.isupper():
            capitals.append(word)
        else:
            others += 1
    counted = [word for word in [*capitals, *acronyms] if len(word) >= 2]
    enough = len(counted) >= 2 or any(len(word) >= 6 for word in counted)
    return bool(capitals) and enough and len(capitals) >= 3 * others


def acronyms_in(text: str) -> set[str]:
    """The words of ``text`` written in capitals, of two letters or more, e.g. the acronyms of
    a responsible organisation: "Department of Industry (DISER)" -> {"DISER"}. A text in
    capitals throughout gives none (its capitals say nothing)."""
    if is_all_caps(text):
        return set()
    return {word for word in _WORD.findall(text) if len(word) >= 2 and word.isupper()}


def proposed_capitalisation(title: str, *, acronyms=()) -> str:
    """How a title written in capitals would read in the toolkit's style (the one curators
    use for the sample practices): each word capitalised, small words ("of", "and", "the")
    in lower case unless they begin the title or a phrase; a word not in capitals kept as it
    is ("AplusB SCALE UP" -> "AplusB Scale Up"); acronyms kept in capitals: the
    known ones (``KNOWN_ACRONYMS``: EU, SME, ICT, R&D, ...), the ``acronyms`` given (e.g.
    ``acronyms_in(practice.organisation)``), any word with "&", one of three letters or fewer
    with no vowel (NRC), a word alone in brackets of five letters or fewer ("(DIH)"), and
    letters beside digits (CO2, 5G, H2USA); ordinals in lower case (11TH -> 11th).

    A proposal for a curator to confirm, never applied by itself; a title not in capitals
    (``is_all_caps``) is returned as it is.
    ``proposed_capitalisation("10-10 MYSTIE FRAMEWORK")`` -> ``"10-10 Mystie Framework"``;
    ``proposed_capitalisation("GRANTS FOR COLLABORATIVE R&D PROJECTS")`` ->
    ``"Grants for Collaborative R&D Projects"``."""
    if not is_all_caps(title):
        return title
    kept = KNOWN_ACRONYMS | {acronym.upper() for acronym in acronyms}

    def recased(match):
        word, start, end = match.group(), match.start(), match.end()
        before, after = title[:start], title[end:]
        if not word.isupper() or word in kept or "&" in word:  # as written on purpose
            return word
        if word.endswith("S") and word[:-1] in kept and len(word) > 2:
            return word[:-1] + "s"  # SMES -> SMEs
        if before[-1:].isdigit() and _ORDINAL.match(title, start):
            return word.lower()
        if len(word) == 1:
            return word.lower() if word == "A" and start else word
        if (before[-1:].isdigit() or after[:1].isdigit()) and len(word) <= 3:
            return word
        if len(word) <= 3 and not set(word) & set("AEIOU"):
            return word
        if len(word) <= 5 and re.search(r"[(\[]$", before) and re.match(r"[)\]]", after):
            return word
        lower = word.lower()
        if lower in SMALL_WORDS and start and not _STARTS_A_PHRASE.search(before):
            return lower
        return lower[:1].upper() + lower[1:]

    return _WORD.sub(recased, title)
