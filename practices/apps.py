from django.apps import AppConfig
from django.db.models.signals import post_migrate


class PracticesConfig(AppConfig):
    name = "practices"
    verbose_name = "Cluster-policy practices"

    def ready(self):
        from practices.roles import ensure_roles

        # After auth's own post_migrate has created the permissions; also after a test flush.
        post_migrate.connect(ensure_roles, sender=self, dispatch_uid="practices.ensure_roles")
        post_migrate.connect(
            ensure_data_version, sender=self, dispatch_uid="practices.ensure_data_version"
        )


def ensure_data_version(using="default", **kwargs):
    """The single row the write triggers raise (a flush empties the table)."""
    from practices.models import DataVersion

    DataVersion.objects.using(using).get_or_create(pk=1)
