"""Whole-page caching of public pages that a take-down empties at once.

`cache_page` keeps a page until its timeout, so a post withdrawn or a penalty decision
taken off publicity (credit repair, a decision set aside) would stay on the portal for up
to that long. Here the pages of a namespace are cached under a key prefix carrying the
namespace's generation; `pages_changed(namespace)` moves to a new generation once the
writing transaction commits, so every page cached before is missed from then on (and
expires unread). A page rendered before the commit is stored under the old generation,
never the new one, so it cannot come back.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import suppress
from functools import wraps
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import cache_page

PUBLIC_PAGES = "public"  # the portal (/public/): what the other apps mark as public


def _key(namespace: str) -> str:
    return f"fazhi:pagecache:{namespace}"


def generation(namespace: str) -> int:
    """The namespace's current generation. A missing (or evicted) counter starts anew
    from the clock, so it never falls back onto a generation already used."""
    key = _key(namespace)
    value = cache.get(key)
    if value is None:
        cache.add(key, time.time_ns(), timeout=None)
        value = cache.get(key, time.time_ns())
    return int(value)


def pages_changed(namespace: str) -> None:
    """Empty the namespace's cached pages once the current transaction commits (at once
    outside one): before the commit a new render would still read the old rows."""
    def bump() -> None:
        # No counter yet (ValueError): the next read starts one from the clock.
        with suppress(ValueError):
            cache.incr(_key(namespace))
    transaction.on_commit(bump)


def cache_public_page(seconds: int, namespace: str) -> Callable[[Callable], Callable]:
    """`cache_page(seconds)` whose entries `pages_changed(namespace)` empties."""
    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        by_generation: dict[int, Callable[..., HttpResponse]] = {}

        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            current = generation(namespace)
            cached_view = by_generation.get(current)
            if cached_view is None:
                by_generation.clear()  # older generations are never read again
                cached_view = cache_page(seconds, key_prefix=f"{namespace}.{current}")(view)
                by_generation[current] = cached_view
            return cached_view(request, *args, **kwargs)
        return wrapped
    return decorator
