"""API bearer tokens (接口令牌): issue, authenticate, revoke.

The raw token is shown to the client once; only its SHA-256 is stored, so a leaked
database does not leak usable tokens. Issue and revoke write the event record.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from fazhi.core.models import ApiToken, User
from fazhi.core.services.events import record_event

# last_used_at is informational: writing it on every request would turn every read
# into a write, so it is refreshed at most once per this interval.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def token_issue(*, user: User) -> tuple[str, ApiToken]:
    """A new token for `user`, valid for FAZHI_API_TOKEN_DAYS. Returns the raw token
    (never stored) and the saved ApiToken."""
    raw = secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic():
        token = ApiToken(
            user=user,
            key_hash=token_hash(raw),
            created_at=now,
            expires_at=now + datetime.timedelta(days=settings.FAZHI_API_TOKEN_DAYS),
        )
        token.full_clean()
        token.save()
        record_event(actor=user, obj=token, action="api_token.issued",
                     payload={"user_id": user.pk, "expires_at": token.expires_at})
    return raw, token


def token_lookup(raw: str) -> ApiToken | None:
    """The live token with this raw value (not expired, active user), else None.

    The user comes with what scoping needs (agency, jurisdictions), so an API request
    costs one query for authentication."""
    if not raw:
        return None
    token = (
        ApiToken.objects.select_related(
            "user", "user__agency__jurisdiction", "user__supervised_jurisdiction"
        )
        .filter(key_hash=token_hash(raw))
        .first()
    )
    if token is None or token.expires_at <= timezone.now() or not token.user.is_active:
        return None
    return token


def token_authenticate(raw: str) -> User | None:
    """The user a raw token belongs to, or None when it is unknown, expired or its
    user is inactive."""
    token = token_lookup(raw)
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        with transaction.atomic():
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token.user


def token_revoke(*, token: ApiToken, actor: User | None = None) -> None:
    """Revoke `token` (delete it, so its hash no longer authenticates)."""
    with transaction.atomic():
        record_event(actor=actor or token.user, obj=token, action="api_token.revoked",
                     payload={"user_id": token.user_id})
        token.delete()
