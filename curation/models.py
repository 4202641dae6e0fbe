"""What curators made of the suggested tags: the record acceptance is measured from."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from practices.models import Practice


class TagDecisionQuerySet(models.QuerySet):
    def recent(self, days: int = 90):
        return self.filter(decided_at__gte=timezone.now() - timezone.timedelta(days=days))

    def acceptance(self) -> list[dict]:
        """Per taxonomy and value: how many suggestions were accepted and rejected, and how
        many values curators added that were not suggested, taxonomy then value order."""
        counts = {}
        for taxonomy, value, outcome, number in self.values_list(
            "taxonomy", "value", "outcome"
        ).annotate(number=models.Count("id")):
            row = counts.setdefault(
                (taxonomy, value),
                {"taxonomy": taxonomy, "value": value, **dict.fromkeys(TagDecision.Outcome, 0)},
            )
            row[outcome] = number
        rows = sorted(counts.values(), key=lambda row: (row["taxonomy"], row["value"]))
        for row in rows:
            judged = row[TagDecision.Outcome.ACCEPTED] + row[TagDecision.Outcome.REJECTED]
            row["rate"] = row[TagDecision.Outcome.ACCEPTED] / judged if judged else None
        return rows


class TagDecision(models.Model):
    """One value of one taxonomy on one reviewed practice: a suggestion the curator accepted
    or rejected, or a value the curator added that nobody suggested."""

    class Outcome(models.TextChoices):
        ACCEPTED = "accepted"
        REJECTED = "rejected"
        ADDED = "added", "added (not suggested)"

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="tag_decisions")
    taxonomy = models.CharField(max_length=40, help_text="The search's parameter: challenge, …")
    value = models.SlugField(max_length=80)
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    confidence = models.FloatField(null=True, blank=True, help_text="None for an added value.")
    reason = models.TextField(blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    decided_at = models.DateTimeField(default=timezone.now)

    objects = TagDecisionQuerySet.as_manager()

    class Meta:
        ordering = ["-decided_at", "taxonomy", "value"]
        indexes = [models.Index(fields=["decided_at"], name="tag_decision_decided")]

    def __str__(self):
        return f"{self.taxonomy} {self.value}: {self.outcome}"
