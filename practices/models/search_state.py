"""What the database's triggers keep for the in-memory search index: the data version every
cache key carries, and the log of the practices each write touched."""

from django.db import models
from django.db.models.functions import Now


class DataVersion(models.Model):
    """A token that database triggers replace with a new random value on every write to
    practices, their tags and regions (migration 0005). In-memory facet indexes compare it to
    know they are current."""

    version = models.BigIntegerField(default=0)

    def __str__(self):
        return f"data version {self.version}"


class PracticeChange(models.Model):
    """A practice that a write touched, recorded by database triggers (``data_version``) on
    the practice table and its tag tables; a row without a practice means "anything may have
    changed" (a region, a truncation). An in-memory index applies only these practices
    instead of rebuilding itself after a write."""

    practice_id = models.BigIntegerField(null=True)
    # PostgreSQL: the writing transaction's id, so a reader can tell which writes its
    # snapshot may not have seen yet (see ``search.index``); SQLite writes one at a time.
    transaction = models.BigIntegerField(null=True)
    created_at = models.DateTimeField(db_default=Now(), db_index=True)

    class Meta:
        indexes = [models.Index(fields=["transaction"], name="practicechange_transaction")]

    def __str__(self):
        return f"change of practice {self.practice_id or 'any'}"
