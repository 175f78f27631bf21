"""The home pages' list of overdue tasks owned by the user's units (任务督办逾期提醒),
as an inclusion tag, so the core home templates need one include line and no view data."""

from __future__ import annotations

from typing import Any

from django import template

from fazhi.tasks.selectors import overdue_for_user

register = template.Library()


@register.inclusion_tag("tasks/partials/home_overdue_card.html", takes_context=True)
def overdue_tasks(context: Any, limit: int = 8) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_staff_role:
        return {"show": False}
    rows, total = overdue_for_user(user, limit=limit)
    return {"show": True, "rows": rows, "total": total, "more": total > len(rows)}
