"""The facet index of each database, kept per process: built once, then brought up to date
when the data version has moved (``current_index``); and the lineage of the updates this
process applied, which a keyword's ranking follows (``changed_since``)."""

import threading

from django.db import connections

from practices.models import DataVersion
from practices.search.facet_index import build, changes
from practices.search.facet_index.structure import FacetIndex

_lock = threading.Lock()
_indexes: dict[str, FacetIndex] = {}
# (database, version) -> (the version it was applied to, that index's layout, the positions
# applied), for the indexes this process brought up to date by applying changes: how far a
# keyword's ranking made on an earlier version can follow (``changed_since``).
_lineage: dict[tuple, tuple] = {}
MOST_LINEAGE = 256


def data_version(using: str = "default") -> int | None:
    """The database's data version; None where the table's row is missing (a database that
    was never migrated with this app's post_migrate)."""
    return DataVersion.objects.using(using).filter(pk=1).values_list("version", flat=True).first()


def current_index(using: str = "default", version: int | None = None) -> FacetIndex:
    """The index for this database at ``version`` (read when not given), brought up to date
    if the data changed."""
    version = data_version(using) if version is None else version
    index = _indexes.get(using)
    if index is not None and index.version == version:
        return index
    with _lock:
        index = _indexes.get(using)
        if index is None or index.version != version:
            connection = connections[using]
            logged = connection.vendor == "postgresql" and not connection.in_atomic_block
            updated = None
            if logged and index is not None and index.read_changes_from is not None:
                updated = changes.applied(using, index, version)
            if updated is None:
                index = build.build_index(using, version, logged=logged)
            else:
                _lineage[(using, version)] = (index.version, index.layout, updated[1])
                while len(_lineage) > MOST_LINEAGE:
                    _lineage.pop(next(iter(_lineage)))
                index = updated[0]
            _indexes[using] = index
    return index


def changed_since(using: str, index: FacetIndex, wanted) -> tuple | None:
    """(the latest earlier version and its layout for which ``wanted(version, layout)`` is
    true, the positions changed from it to ``index``) when ``index`` came from it by applying
    changes only (in this process), else None. Its positions mean the same in ``index``:
    slots are only added."""
    version, changed = index.version, 0
    for _ in range(MOST_LINEAGE):
        step = _lineage.get((using, version))
        if step is None:
            return None
        version, layout, applied = step
        changed |= applied
        if wanted(version, layout):
            return version, layout, changed
    return None
