"""What a draft must have before it is published: the rules of the review queue, in one place
for the admin's form, its publish action and its list."""

MIN_DESCRIPTION_LENGTH = 150
# The tag relations a public page must have a value of: what a list that checks the rules
# prefetches (``problems_of``).
REQUIRED_TAGS = ("challenges", "support_types")


def publication_problems(*, description, challenges, support_types, tags_proposed) -> list[str]:
    """What keeps a practice with these values from being published; empty when nothing does."""
    problems = []
    if len(description.strip()) < MIN_DESCRIPTION_LENGTH:
        problems.append(f"the description is shorter than {MIN_DESCRIPTION_LENGTH} characters")
    if not challenges:
        problems.append("no strategic challenge")
    if not support_types:
        problems.append("no type of cluster support")
    if tags_proposed:
        problems.append("its proposed tags are not confirmed")
    return problems


def problems_of(practice) -> list[str]:
    """``publication_problems`` of a saved practice (its tags read from the database, or from
    the ``REQUIRED_TAGS`` prefetched)."""
    return publication_problems(
        description=practice.description,
        challenges=practice.challenges.all(),
        support_types=practice.support_types.all(),
        tags_proposed=practice.tags_proposed,
    )
