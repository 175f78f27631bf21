"""Give the named demo accounts their password and print them.

The password is FAZHI_DEMO_PASSWORD when that is set; otherwise one generated once with
`secrets` and kept in VAR_DIR/demo_password (mode 0600), so every run prints the same
one. No password is written in the code.
"""

from __future__ import annotations

import os
import secrets
import unicodedata
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from fazhi.core.demo import DEMO_ACCOUNTS
from fazhi.core.models import User

ENV_VAR = "FAZHI_DEMO_PASSWORD"


def password_file() -> Path:
    return Path(settings.VAR_DIR) / "demo_password"


def demo_password() -> str:
    """The demo password: from the environment, else the stored one (made on first use)."""
    if password := os.environ.get(ENV_VAR, "").strip():
        return password
    path = password_file()
    if path.exists():
        stored = path.read_text(encoding="utf-8").strip()
        if stored:
            return stored
        path.unlink()  # an empty file is no password: make a new one
    path.parent.mkdir(parents=True, exist_ok=True)
    password = secrets.token_urlsafe(12)
    # Created with mode 0600 from the start: never readable by others, not even briefly.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(password + "\n")
    return password


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _row(cells: list[str], widths: list[int]) -> str:
    return "  ".join(cell + " " * (w - _width(cell)) for cell, w in zip(cells, widths,
                                                                         strict=True)).rstrip()


class Command(BaseCommand):
    help = "Set the password of the demo accounts and print them (演示账号)."

    def handle(self, *args: Any, **options: Any) -> None:
        users = {u.username: u for u in User.objects
                 .select_related("agency", "enterprise", "supervised_jurisdiction")
                 .filter(username__in=DEMO_ACCOUNTS)}
        missing = [name for name in DEMO_ACCOUNTS if name not in users]
        if missing:
            raise CommandError(
                f"演示账号不存在：{'、'.join(missing)}。请先运行 python manage.py load_demo")
        password = demo_password()
        with transaction.atomic():
            for username in DEMO_ACCOUNTS:
                user = users[username]
                user.set_password(password)
                user.is_active = True
                user.save(update_fields=["password", "is_active"])
        source = (f"环境变量 {ENV_VAR}" if os.environ.get(ENV_VAR, "").strip()
                  else str(password_file()))
        rows = [["用户名", "角色", "所属单位", "密码"]]
        for username in DEMO_ACCOUNTS:
            user = users[username]
            unit = (user.enterprise.name if user.enterprise_id
                    else user.agency.name if user.agency_id
                    else user.supervised_jurisdiction.name if user.supervised_jurisdiction_id
                    else "")
            rows.append([username, str(user.get_role_display()), unit, password])
        widths = [max(_width(row[i]) for row in rows) for i in range(4)]
        self.stdout.write(_row(rows[0], widths))
        self.stdout.write("  ".join("-" * w for w in widths))
        for row in rows[1:]:
            self.stdout.write(_row(row, widths))
        self.stdout.write(f"（密码来源：{source}）")
