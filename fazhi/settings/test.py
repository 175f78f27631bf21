"""The test suite: SQLite in memory unless DATABASE_URL names PostgreSQL."""

import os

from .base import *  # noqa: F403
from .base import DATABASES

SECRET_KEY = "test-only-not-secret"
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast tests
AXES_FAILURE_LIMIT = 3
# Background jobs run inline, so a test sees the finished job (fazhi.core.jobs).
FAZHI_JOBS_MODE = "sync"
# Fixed test-only keys for the informant identities (fazhi.oversight.crypto) and the
# certificate signatures (fazhi.licensing.signing), so tests never write key files in var/.
FAZHI_CERT_SIGNING_KEY = "Ghn4mNG04A3yNCixfI7thqSAJGdpj7wrDYAayvwDkm0="
FAZHI_TIP_KEY = "z02OrHt3uen5-oZtPGyXMP12OX2tsALDdsmGxbkGQQc="
if "DATABASE_URL" not in os.environ:
    DATABASES["default"] = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": ":memory:",
        "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
    }

# Static files come straight from the finders (no collectstatic in tests).
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
