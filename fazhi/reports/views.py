"""The statistics page (统计指标): every registered indicator for a period (year,
quarter, month) and a jurisdiction the user may see, beside the same period a year
earlier, with its definition (口径) and a link to the records behind it (钻取).
Staff only; a jurisdiction outside the user's: 404."""

from __future__ import annotations

from dataclasses import replace

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from fazhi.core.models import Jurisdiction, User
from fazhi.core.selectors import jurisdiction_get
from fazhi.reports import selectors

# Their record lists filter by the user's own area only (no area filter): a link from a
# figure of another area would list more than the figure counts, so none is offered.
AREA_BLIND_DRILLS = frozenset({"inspections.count", "hazards.found", "hazards.major.found"})
FIRST_YEAR = 2015


def _area(user: User, raw: str | None) -> Jurisdiction:
    code = (raw or "").strip()
    if not code:
        return user.jurisdiction
    found = jurisdiction_get(user=user, code=code) if code.isdigit() and len(code) <= 12 else None
    if found is None:
        raise Http404(_("未找到该行政区划"))
    return found


def _number(raw: str | None, default: int, low: int, high: int) -> int:
    text = (raw or "").strip()
    value = int(text) if text.isdigit() and len(text) <= 4 else default
    return value if low <= value <= high else default


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
def indicator_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not getattr(user, "is_staff_role", False) or user.jurisdiction is None:
        raise PermissionDenied(_("只有执法机关人员可以查看统计指标"))
    area = _area(user, request.GET.get("jurisdiction"))
    this_year = timezone.localdate().year
    year = _number(request.GET.get("year"), this_year, FIRST_YEAR, this_year)
    kind = request.GET.get("period") or "year"
    kind = kind if kind in selectors.PERIOD_KINDS else "year"
    n = _number(request.GET.get("q"), 1, 1, 4 if kind == "quarter" else 12)
    period = selectors.period_of(year, kind, n)
    groups = selectors.indicator_groups(period, area)
    own_area = area.pk == user.jurisdiction.pk
    for group in groups:
        for i, row in enumerate(group.rows):
            if row.drill_url and (not row.value or (
                    row.indicator.id in AREA_BLIND_DRILLS and not own_area)):
                # nothing to list, or a list that cannot be narrowed to the area
                group.rows[i] = replace(row, drill_url=None)
    return render(request, "reports/indicator_list.html", {
        "groups": groups, "area": area, "areas": _area_choices(user, area),
        "year": year, "years": list(range(this_year, FIRST_YEAR - 1, -1)),
        "kind": kind, "n": n, "quarters": range(1, 5), "months": range(1, 13),
        "period": period, "period_label": selectors.period_label(period, kind, n),
        "previous_label": selectors.period_label(period.previous_year(), kind, n),
    })
