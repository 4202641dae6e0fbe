"""Finding practices: one registry of facets, keywords parsed once, one selector in front of
two engines (the in-memory index and SQL). ``selector.search`` is the way in; see its module.

Nothing is imported here, so that models can import ``keywords`` without loading the rest.
"""
