"""Roles as groups: curators keep practices and taxonomies current (they never delete: they
unpublish), viewers may only look. Give a person ``is_staff`` and one of these groups.

Kept in step after every migrate (and every test-database flush) by a post_migrate hook.
"""

from django.contrib.auth.models import Group, Permission

PRACTICE_MODELS = [
    "practice",
    "historicalpractice",
    "region",
    "territorialvalidity",
    "thematicpriority",
    "strategicchallenge",
    "supporttype",
    "pillar",
    "recommendation",
    "typology",
    "instrumenttype",
    "budgetrange",
    "targetgroup",
]
# Who suggested what is personal data: curators may read it (to thank or ask), not change it.
CURATOR_ONLY_VIEW = ["suggestion"]
ROLES = {"Curators": ["view", "add", "change"], "Viewers": ["view"]}


def ensure_roles(using="default", **kwargs):
    """Create the role groups, or reset their permissions to the ones defined here."""
    for name, actions in ROLES.items():
        group, _ = Group.objects.using(using).get_or_create(name=name)
        codenames = [f"{action}_{model}" for model in PRACTICE_MODELS for action in actions]
        if name == "Curators":
            codenames += [f"view_{model}" for model in CURATOR_ONLY_VIEW]
        group.permissions.set(
            Permission.objects.using(using).filter(
                content_type__app_label="practices", codename__in=codenames
            )
        )
