"""What the workspace and the ``tagging`` command call: train, load and ask the suggester."""

from django.core.files.storage import default_storage

from curation.tagging import store
from curation.tagging.definitions import SUGGESTED
from curation.tagging.documents import document_of, for_suggesting, published_documents
from curation.tagging.suggester import MAPPING_PRECISION_UNKNOWN, Suggested, Suggester
from practices.models import Practice

_loaded: dict = {}  # per process: the saved suggester and when it was saved


def train() -> Suggester:
    """Learn from every published practice and save the result in place of the last one."""
    suggester = Suggester().fit(published_documents())
    store.save(suggester)
    _loaded.clear()
    return suggester


def current() -> Suggester | None:
    """The saved suggester, loaded once a process until it is trained again; None if none."""
    if not default_storage.exists(store.MODEL_NAME):
        return None
    saved_at = default_storage.get_modified_time(store.MODEL_NAME)
    if _loaded.get("saved_at") != saved_at:
        _loaded.update(suggester=store.load(), saved_at=saved_at)
    return _loaded["suggester"]


def suggestions_for(practice: Practice, suggester: Suggester | None = None) -> dict:
    """{parameter: [Suggested, ...]} for a practice: the trained suggester's, or the STIP
    mapping's alone when none was trained. ``practice`` is read again with what the suggester
    reads; one already fetched with ``for_suggesting`` goes to ``suggestions_of``."""
    return suggestions_of(for_suggesting(Practice.objects.filter(pk=practice.pk)).get(), suggester)


def suggestions_of(practice: Practice, suggester: Suggester | None = None) -> dict:
    """``suggestions_for`` a practice fetched with ``for_suggesting``."""
    document = document_of(practice)
    suggester = suggester or current()
    if suggester is None:
        return {
            param: [
                Suggested(value, MAPPING_PRECISION_UNKNOWN, reason)
                for value, reason in sorted(values.items())
            ]
            for param, values in mapping_only(document).items()
        }
    return suggester.suggest(document)


def mapping_only(document) -> dict:
    """{parameter: {slug: reason}} of what the STIP mapping alone proposes."""
    return {param: document.mapping.get(param, {}) for param in SUGGESTED}
