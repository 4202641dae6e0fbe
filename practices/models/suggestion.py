"""Who suggested a practice through the public form."""

from django.db import models
from django.utils import timezone

from practices.models.practice import Practice


class Suggestion(models.Model):
    """Who suggested a practice through the public form: kept for curators only, never on a
    public page, in an export or in the API."""

    practice = models.OneToOneField(Practice, on_delete=models.CASCADE, related_name="suggestion")
    name = models.CharField(max_length=200)
    email = models.EmailField()
    may_contact = models.BooleanField("may be contacted", default=False)
    submitted_at = models.DateTimeField(default=timezone.now, editable=False)

    def __str__(self):
        return f"suggested by {self.name}"
