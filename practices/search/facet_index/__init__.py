"""An in-memory index of published practices for facet counts: one bitset per facet value.

Counting a facet option is then an AND and a popcount on 100,000-bit integers (microseconds)
instead of a GROUP BY over joins. The index belongs to one process and is brought up to date
when the database's data version (raised by triggers on every write; see DataVersion) has
moved, so it is never stale: the version is read before the data, so a write during an
update only causes one more. Its bitsets are those of the facets of ``registry.FACETS``.

Each published practice has a bit position (a slot). A build gives the slots in title order,
so a page in title order is a walk along the bits. On PostgreSQL, after a write the index
applies only the practices the change log names (``PracticeChange``, kept by triggers): their
bits are cleared and set again from their rows, at a cost that follows the size of the change,
not of the database. A practice published (or imported) since the build takes the next free
slot, one unpublished or deleted leaves its slot empty, and one that moved in title order (new
or retitled) is "late": its place in title order is kept beside the slots, as the slot it
follows (``late``), placed by the database so that its collation decides. A region's change,
more than ``MOST_CHANGES_APPLIED`` practices at once, more than ``MOST_LATE`` late practices,
or an index made inside a transaction (which may yet roll back what it read) rebuild the index
instead. SQLite keeps no log and rebuilds.
"""
