"""The portal's columns (栏目) are refreshed every half month (每半月更新): a column is
stale when its newest published post is older than STALE_AFTER_DAYS days, or when it has
none. A bureau practice (the government-website rule of refreshing columns regularly),
not a statute."""

from __future__ import annotations

import datetime

STALE_AFTER_DAYS = 15


def column_stale(latest: datetime.date | None, today: datetime.date) -> bool:
    return latest is None or (today - latest).days > STALE_AFTER_DAYS


def days_since(latest: datetime.date | None, today: datetime.date) -> int | None:
    return None if latest is None else (today - latest).days
