"""The leaders' dashboard (领导驾驶舱): the key figures of a year beside the year before,
monthly trends, the areas below compared, and — as of today — the open cases by stage
and the overdue work, for a jurisdiction the user may see.

Staff only (enterprise users and social supervisors: 403). The area is the user's own
jurisdiction or one below it; any other code (another county, the city for a county
user) answers 404, as a missing one does. The year defaults to this year (Asia/Shanghai)
or, when this year has no records in the area yet, the latest year that has some."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from fazhi.core.models import Jurisdiction, User
from fazhi.core.selectors import jurisdiction_get
from fazhi.reports import dashboard
from fazhi.reports.registry import Period

FIRST_YEAR = 2015


def _area(user: User, raw: str | None) -> Jurisdiction:
    code = (raw or "").strip()
    if not code:
        return user.jurisdiction
    found = jurisdiction_get(user=user, code=code) if code.isdigit() and len(code) <= 12 else None
    if found is None:
        raise Http404(_("未找到该行政区划"))
    return found


def _year(raw: str | None, last: int) -> int | None:
    """The year asked for; None when none (or no valid one) was asked for."""
    text = (raw or "").strip()
    value = int(text) if text.isdigit() and len(text) == 4 else None
    return value if value is not None and FIRST_YEAR <= value <= last else None


def _area_choices(user: User, area: Jurisdiction) -> list[tuple[str, str]]:
    """The user's own jurisdiction and those directly below it (and the one asked for)."""
    own = user.jurisdiction
    areas = [(own.code, str(own.name))] + [
        (j.code, f"— {j.name}") for j in Jurisdiction.objects.filter(parent=own).order_by("code")]
    if area.code not in {code for code, _label in areas}:
        areas.append((area.code, f"— {area.name}"))
    return areas


@require_GET
@login_required
def dashboard_view(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not getattr(user, "is_staff_role", False) or user.jurisdiction is None:
        raise PermissionDenied(_("只有执法机关人员可以查看领导驾驶舱"))
    area = _area(user, request.GET.get("jurisdiction"))
    today = timezone.localdate()
    year = _year(request.GET.get("year"), today.year)
    fell_back = False
    if year is None:
        year = dashboard.default_year(area, today=today)
        fell_back = year != today.year
    period = Period.for_year(year)
    trends = dashboard.monthly_trends(year, area, today=today)
    pipeline = dashboard.case_pipeline(user, area)
    areas = dashboard.area_comparison(year, area)
    return render(request, "reports/dashboard.html", {
        "area": area, "areas": _area_choices(user, area), "year": year,
        "years": list(range(today.year, FIRST_YEAR - 1, -1)), "today": today,
        "fell_back": fell_back,
        "figures": dashboard.key_figures(period, area),
        "trends": trends, "pipeline": pipeline,
        "pipeline_total": sum(stage.count for stage in pipeline),
        "overdue": dashboard.overdue_items(user, area, today=today),
        "area_rows": areas, "area_level": area.level,
        "charts": dashboard.chart_data(trends, pipeline, areas),
    })
