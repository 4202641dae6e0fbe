from django.contrib.admin.apps import AdminConfig


class ToolkitAdminConfig(AdminConfig):
    """The admin, whose site asks staff for a second factor (``toolkit.staff_auth``)."""

    default_site = "toolkit.staff_auth.ToolkitAdminSite"
