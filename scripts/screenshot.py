#!/usr/bin/env python
"""Screenshot a Fazhi page as a logged-in user, and fail on missing or outside assets.

    scripts/screenshot.py --user officer --path / --out var/shots/home.png --width 375

Runs against a server already started with the same settings and database (e.g.
`FAZHI_VAR_DIR=/tmp/fazhi-shots .venv/bin/python manage.py runserver 127.0.0.1:8765`).
A session for --user is written straight into the session store, so no password is
needed. The browser is Debian's chromium driven by Playwright (never a downloaded
browser). Exit status 1 when the page asked for a /static/ file that answered 4xx/5xx,
tried to reach any host but this server, or logged a JavaScript error.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}


def session_cookie(username: str) -> tuple[str, str]:
    """(cookie name, session key) of a fresh logged-in session for `username`."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings.local")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.sessions.backends.db import SessionStore

    user = get_user_model().objects.get(username=username)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return settings.SESSION_COOKIE_NAME, session.session_key


def shoot(*, base_url: str, path: str, out: Path, width: int, height: int,
          username: str | None, click: str | None = None) -> list[str]:
    """Take the screenshot; return the problems found (empty: all assets loaded)."""
    from playwright.sync_api import sync_playwright

    # Before Playwright starts: its event loop makes Django refuse database calls.
    cookie = session_cookie(username) if username else None
    problems: list[str] = []
    base_host = urlsplit(base_url).hostname

    def on_request(request) -> None:
        host = urlsplit(request.url).hostname
        if host and host not in LOCAL_HOSTS and host != base_host:
            problems.append(f"outside request: {request.url}")

    def on_response(response) -> None:
        if response.status >= 400 and "/static/" in response.url:
            problems.append(f"{response.status} {response.url}")

    def on_failed(request) -> None:
        problems.append(f"failed: {request.url} ({request.failure})")

    def on_console(message) -> None:
        if message.type == "error":
            problems.append(f"console error: {message.text}")

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"],
        )
        context = browser.new_context(viewport={"width": width, "height": height},
                                      locale="zh-CN", timezone_id="Asia/Shanghai")
        if cookie:
            name, key = cookie
            context.add_cookies([{"name": name, "value": key, "url": base_url}])
        # Nothing leaves this machine: an outside request is recorded, then refused.
        context.route(
            lambda url: (urlsplit(url).hostname or "") not in LOCAL_HOSTS | {base_host},
            lambda route: route.abort(),
        )
        page = context.new_page()
        page.on("request", on_request)
        page.on("response", on_response)
        page.on("requestfailed", on_failed)
        page.on("console", on_console)
        page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
        response = page.goto(base_url.rstrip("/") + path, wait_until="networkidle")
        if response is None or response.status >= 400:
            problems.append(f"page answered {response.status if response else 'nothing'}")
        if click:  # e.g. open the collapsed phone menu before the shot
            page.click(click)
            page.wait_for_timeout(500)
        out.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(out), full_page=True)
        browser.close()
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--user", help="username to log in as (omit: anonymous)")
    parser.add_argument("--path", default="/")
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=800)
    parser.add_argument("--click", help="CSS selector to click before the shot")
    parser.add_argument("--base-url", default=os.environ.get("FAZHI_BASE_URL",
                                                             "http://127.0.0.1:8765"))
    args = parser.parse_args(argv)
    problems = shoot(base_url=args.base_url, path=args.path, out=args.out, width=args.width,
                     height=args.height, username=args.user, click=args.click)
    for problem in problems:
        print(f"{args.out}: {problem}", file=sys.stderr)
    print(f"{args.out}: {'FAIL' if problems else 'ok'}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
