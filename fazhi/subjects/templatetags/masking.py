"""`{{ text|ids_shown:user }}`: a free text of a record as `user` may read it
(`fazhi.subjects.rules.masking.shown_text`: resident ID numbers masked unless the role
needs them whole). Apply it before `truncatechars` / `linebreaksbr`, so no cut number
escapes and the result is still escaped."""

from __future__ import annotations

from typing import Any

from django import template

from fazhi.subjects.rules.masking import shown_text

register = template.Library()


@register.filter
def ids_shown(value: Any, user: Any) -> str:
    # Without a user nothing is assumed safe: no role, so the numbers are masked.
    return shown_text(user, value)
