import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "toolkit.settings")
# Web requests get a statement timeout (settings.STATEMENT_TIMEOUT_MS); commands do not.
os.environ["TOOLKIT_SERVES_WEB_REQUESTS"] = "true"
application = get_wsgi_application()
