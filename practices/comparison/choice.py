"""The practices an address chooses for comparison (``?p=<slug>``, 2 to 4), and the links that
carry that choice on the search page and a practice's page."""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext

from practices.models import Practice

PARAM = "p"
FEWEST = 2
MOST = 4
# The most slugs a message quotes of one value; an address can hold anything.
QUOTED_LENGTH = 60


def chosen_slugs(data) -> list[str]:
    """The practices ``data`` (a request's GET) chooses, in its order, repeats kept."""
    return [value.strip() for value in data.getlist(PARAM) if value.strip()]


def choice_query(slugs) -> str:
    """The address's part that carries a choice: ``p=a&p=b``."""
    return urlencode([(PARAM, slug) for slug in slugs])


def compare_href(slugs) -> str:
    return f"{reverse('compare:practices')}?{choice_query(slugs)}"


def search_href(slugs, search_query: str = "") -> str:
    """The search page (with ``search_query``, its own parameters) carrying the choice."""
    query = "&".join(part for part in (search_query, choice_query(slugs)) if part)
    return reverse("practices:list") + (f"?{query}" if query else "")


def quoted(slug: str) -> str:
    return f"“{slug[:QUOTED_LENGTH]}”"


# The search page: the choice it carries, in a tray above the results.


@dataclass
class Choice:
    """The published practices an address chooses (at most ``MOST``), with a notice for each
    value it had to leave out; what the search page's tray and cards show."""

    practices: list[Practice] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)

    @property
    def slugs(self) -> list[str]:
        return [practice.slug for practice in self.practices]

    @property
    def full(self) -> bool:
        return len(self.practices) >= MOST

    @property
    def query(self) -> str:
        return choice_query(self.slugs)

    @property
    def compare_href(self) -> str:
        return compare_href(self.slugs)

    most = MOST

    def with_practice(self, slug: str) -> str:
        return choice_query([*self.slugs, slug])

    def without_practice(self, slug: str) -> str:
        return choice_query([chosen for chosen in self.slugs if chosen != slug])


def choice_of(data) -> Choice:
    """The choice the search page's address carries: its published practices in order (one
    query, none without ``p``), each once, the first ``MOST``; a notice for what was left."""
    slugs = list(dict.fromkeys(chosen_slugs(data)))
    if not slugs:
        return Choice()
    notices = []
    if len(slugs) > MOST:
        notices.append(
            gettext(
                "At most %(most)d practices can be compared: the first %(most)d you chose are kept."
            )
            % {"most": MOST}
        )
        slugs = slugs[:MOST]
    found = {
        practice.slug: practice
        for practice in Practice.objects.published().filter(slug__in=slugs).only("slug", "title")
    }
    for slug in slugs:
        if slug not in found:
            notices.append(
                f"{quoted(slug)} is not a published practice: it was left out of your comparison."
            )
    return Choice([found[slug] for slug in slugs if slug in found], notices)


def mark_cards(practices, choice: Choice, here: str) -> None:
    """Give each result card of ``practices`` its link to add it to the choice, or to remove it,
    from the search page at ``here`` (its query string, page included): back to the same card."""
    for practice in practices:
        practice.compared = practice.slug in choice.slugs
        chosen = (
            choice.without_practice(practice.slug)
            if practice.compared
            else choice.with_practice(practice.slug)
        )
        query = "&".join(part for part in (here, chosen) if part)
        practice.compare_toggle_href = f"?{query}#practice-{practice.slug}"


def tray_links(choice: Choice, here: str) -> list[tuple[Practice, str]]:
    """(practice, the search page at ``here`` without it) for each chosen practice."""
    links = []
    for practice in choice.practices:
        query = "&".join(part for part in (here, choice.without_practice(practice.slug)) if part)
        links.append((practice, f"?{query}"))
    return links


# A practice's page: adding it to the choice of the search it was opened from.


def practice_page_choice(practice: Practice, back_to_search: str | None) -> dict:
    """What a practice's page offers for comparing it: back to the search it came from with it
    added (the choice carried in that search's address), or to the search page with it alone;
    and, once another is chosen, the comparison itself."""
    search = QueryDict(back_to_search.partition("?")[2] if back_to_search else "")
    slugs = list(dict.fromkeys(chosen_slugs(search)))[:MOST]
    others = [slug for slug in slugs if slug != practice.slug]
    without_choice = search.copy()
    without_choice.pop(PARAM, None)
    added = search_href([*others, practice.slug], without_choice.urlencode())
    return {
        "chosen": practice.slug in slugs,
        "full": len(others) >= MOST,
        "others": len(others),
        "most": MOST,
        "add_href": f"{added}#practice-{practice.slug}",
        "back_href": search_href(others, without_choice.urlencode()),
        "compare_href": compare_href([*others, practice.slug]) if others else "",
    }
