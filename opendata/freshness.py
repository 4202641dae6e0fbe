"""When the published data last changed: one answer for every page that says so (the home
page's "Last updated", the data page's "Last changed", the catalogue record's modified date),
so they never disagree."""

import datetime

from django.db.models import Max
from django.utils import timezone

from factsheets.models import CountryFactsheet
from practices.models import Practice


def last_change() -> datetime.datetime:
    """A published practice's or a factsheet's last save (our records' change, not the date
    of their sources' facts); now when nothing is published yet."""
    moments = [
        Practice.objects.published().aggregate(last=Max("updated_at"))["last"],
        CountryFactsheet.objects.aggregate(last=Max("updated_at"))["last"],
    ]
    known = [moment for moment in moments if moment]
    return max(known) if known else timezone.now()
