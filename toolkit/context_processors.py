from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language


def language_alternates(request):
    """The current page in each switched-on language, for hreflang links and the switcher.

    Empty while English is the only language, so a one-language site shows neither. The
    address keeps its query string, so switching keeps the current search.
    """
    if len(settings.LANGUAGES) < 2 or request.resolver_match is None:
        return {"language_alternates": []}
    current = get_language()
    path = request.get_full_path()
    alternates = [
        {
            "code": code,
            "name": name,
            "url": translate_url(path, code),
            "absolute_url": request.build_absolute_uri(translate_url(path, code)),
            "current": code == current,
        }
        for code, name in settings.LANGUAGES
    ]
    return {"language_alternates": alternates}
