"""Practices side by side: which practices an address chooses, and what the comparison shows.

The choice lives in the address (``?p=<slug>&p=<slug>``, 2 to 4 practices), never in a cookie
or a session: a comparison can be bookmarked and shared, and the search page keeps the choice
in its own links while one pages and filters (its search ignores ``p``). The comparison lays
out each practice's facts row by row, the values of a facet linked to their search (as on a
practice's page), marks the values every practice shares and the rows whose values differ.
"""
