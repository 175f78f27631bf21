"""Production: every secret from the environment, HTTPS only."""

import os

from .base import *  # noqa: F403
from .base import env_bool

SECRET_KEY = os.environ["SECRET_KEY"]
# The informants' identities are encrypted with this key (Fernet; fazhi.oversight.crypto)
# and certificates signed with this one (Ed25519, base64; fazhi.licensing.signing).
FAZHI_TIP_KEY = os.environ["FAZHI_TIP_KEY"]
FAZHI_CERT_SIGNING_KEY = os.environ["FAZHI_CERT_SIGNING_KEY"]
DEBUG = False
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
