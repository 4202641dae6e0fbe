"""Test settings: the real settings module, read with development defaults.

pytest-django imports settings before any conftest runs, so the defaults are set here.
Production values (secure cookies, HTTPS redirect) are tested by overriding them per test
and by running ``check --deploy`` against the production configuration.
"""

import os
import tempfile

os.environ.setdefault("DEBUG", "true")

from toolkit.settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast logins in tests

# Tests make many requests from one address; the limit itself is tested with low rates.
RATE_LIMITS = {"api": "100000/minute", "export": "100000/minute", "suggest": "100000/minute"}

MEDIA_ROOT = tempfile.mkdtemp(prefix="toolkit-media-")

# Previewed imports wait in a folder of their own, away from the project's.
STORAGES = {
    **STORAGES,  # noqa: F405
    "imports": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": tempfile.mkdtemp(prefix="toolkit-pending-imports-")},
    },
}

# The tests' own data (tests/fixtures/): frozen_samples.json is the 15 hand-written practices
# as they stood when the tests were written, all published, so revising the product's sample
# content (fixtures/) never moves a test's expected results.
FIXTURE_DIRS = [*FIXTURE_DIRS, BASE_DIR / "tests" / "fixtures"]  # noqa: F405
