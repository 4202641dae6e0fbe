from django.apps import AppConfig
from django.db import connections
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
        post_migrate.connect(
            restore_search_index, sender=self, dispatch_uid="practices.restore_search_index"
        )


def ensure_data_version(using="default", **kwargs):
    """The single row the write triggers raise (a flush empties the table), and a trigger on
    every table the search reads (see ``practices.search.facet_index.triggers``)."""
    from practices.models import DataVersion
    from practices.search.facet_index.triggers import ensure_change_triggers, ensure_triggers

    ensure_triggers(using)
    ensure_change_triggers(using)
    if "practices_dataversion" in connections[using].introspection.table_names():
        DataVersion.objects.using(using).get_or_create(pk=1)


def restore_search_index(using="default", **kwargs):
    """SQLite's FTS5 index whole again after a migration that remade the practices table."""
    from practices.search.fulltext.sqlite import restore_index

    restore_index(connections[using])
