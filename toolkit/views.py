from django.conf import settings
from django.http import JsonResponse
from django.views import defaults


def page_not_found(request, exception):
    """Any unknown address under /api/ answers JSON, as every API error does; elsewhere the
    site's page."""
    if request.path.startswith(settings.API_PREFIX):
        return JsonResponse(
            {"detail": "Not found: no such address in the API. The endpoints are listed at /api/."},
            status=404,
        )
    return defaults.page_not_found(request, exception)
