"""The home pages' list of hazardous-chemicals permit applications past their statutory
deadline (危化品许可申请逾期提醒), as an inclusion tag, so the core home templates need
one include line and no view data.

The deadlines are the ones the application page shows and the services keep on the
record: `acceptance_due` (受理期限, 第三十二条) while received, `decision_due` (作出决定
期限, 第四十二条, moved by extensions and excluded periods) once accepted. Both are
working-day periods (《行政许可法》第八十二条), so the days overdue are working days,
counted on the loaded calendar."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django import template
from django.db.models import Case, Count, F, When, Window
from django.utils import timezone

from fazhi.core import calendar
from fazhi.core.models import User
from fazhi.licensing.models_permits import PermitApplication
from fazhi.licensing.selectors_permits import applications_overdue

register = template.Library()


@dataclass(frozen=True)
class OverdueRow:
    app: PermitApplication
    deadline: str  # "acceptance" (受理期限) or "decision" (作出决定期限)
    due: datetime.date
    working_days_late: int  # working days in (due, today]; 0 when only rest days passed


def overdue_rows(user: User, today: datetime.date, limit: int
                 ) -> tuple[list[OverdueRow], int, calendar.CountResult]:
    """The first `limit` overdue applications, longest overdue first, and the total, in
    one query (the total is a window count); and the calendar years assumed (weekends
    only) in counting the days late, for one warning under the list."""
    received = PermitApplication.Status.RECEIVED
    apps = list(applications_overdue(user=user, today=today)
                .annotate(due=Case(When(status=received, then=F("acceptance_due")),
                                   default=F("decision_due")),
                          total=Window(Count("id")))
                .order_by("due", "pk")[:limit])
    if not apps:
        return [], 0, calendar.CountResult(0)
    schedule = calendar.load_schedule()  # once for all rows
    rows: list[OverdueRow] = []
    assumed: set[int] = set()
    for app in apps:
        late = calendar.count_working_days(app.due, today, schedule=schedule)
        assumed |= late.assumed_years
        rows.append(OverdueRow(app, "acceptance" if app.status == received else "decision",
                               app.due, late.days))
    return rows, apps[0].total, calendar.CountResult(0, frozenset(assumed))


@register.inclusion_tag("licensing/partials/home_overdue_applications_card.html",
                        takes_context=True)
def overdue_permit_applications(context: Any, limit: int = 8) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_staff_role:
        return {"show": False}
    rows, total, assumed = overdue_rows(user, timezone.localdate(), limit)
    return {"show": True, "rows": rows, "total": total, "more": total > len(rows),
            "assumed": assumed}
