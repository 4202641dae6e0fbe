"""The trained suggester, kept in Django's default storage with skops: a format that loads
only the types it is told to trust, unlike pickle, which runs whatever a file says."""

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from skops import io as skops_io

from curation.tagging.suggester import Suggester

MODEL_NAME = "tagging/suggester.skops"
# Beyond the builtins, NumPy and scikit-learn, which skops trusts itself: what a saved
# suggester holds.
TRUSTED = ["scipy.sparse._csr.csr_matrix"]


class UntrustedModel(Exception):
    """The saved file holds types a suggester never holds: it is not loaded."""


def save(suggester: Suggester) -> str:
    """Save ``suggester`` in place of the previous one; returns its storage name."""
    content = skops_io.dumps(suggester.state)
    if default_storage.exists(MODEL_NAME):
        default_storage.delete(MODEL_NAME)
    return default_storage.save(MODEL_NAME, ContentFile(content))


def load() -> Suggester | None:
    """The saved suggester, or None when none was trained."""
    if not default_storage.exists(MODEL_NAME):
        return None
    with default_storage.open(MODEL_NAME, "rb") as saved:
        content = saved.read()
    untrusted = set(skops_io.get_untrusted_types(data=content)) - set(TRUSTED)
    if untrusted:
        raise UntrustedModel(f"{MODEL_NAME} holds types it never should: {sorted(untrusted)}")
    return Suggester(skops_io.loads(content, trusted=TRUSTED))
