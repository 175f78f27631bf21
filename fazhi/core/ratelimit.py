"""Rate limits for the public pages and API (the tip form, tip tracking, certificate
verification): fixed-window counters in Django's cache, per client address.

The address is REMOTE_ADDR, never a header the client chooses: a reverse proxy in front
must set it itself (e.g. gunicorn's forwarded-allow-ips)."""

from __future__ import annotations

import time

from django.core.cache import cache
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def allow(key: str, limit: int, seconds: int) -> bool:
    """Count one hit on `key` in the current window of `seconds`; True while the window's
    count stays within `limit`. One cache call on the common path (the window exists)."""
    full = f"fazhi:rl:{key}:{int(time.time()) // seconds}"
    try:
        count = cache.incr(full)
    except ValueError:  # the window's first hit
        count = 1 if cache.add(full, 1, seconds + 5) else cache.incr(full)
    return count <= limit
