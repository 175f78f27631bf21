"""The statistics page (统计指标): every registered indicator for a period (year,
quarter, month) and a jurisdiction the user may see, beside the same period a year
earlier, with its definition (口径) and a link to the records behind it (钻取).
The annual report page (年度法治政府建设工作报告): the consistency checks of the year's
figures, the .docx and .xlsx downloads (each recorded with its SHA-256) and the editor of
the year's template (leaders and legal reviewers of the report's own bureau; others read).
Staff only; a jurisdiction outside the user's: 404."""

from __future__ import annotations

from dataclasses import replace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from fazhi.core.models import Jurisdiction, User
from fazhi.core.selectors import jurisdiction_get
from fazhi.core.xlsx import XLSX
from fazhi.reports import selectors, services
from fazhi.reports.annual import report_figures
from fazhi.reports.consistency import find_contradictions
from fazhi.reports.registry import list_url

FIRST_YEAR = 2015
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


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


def _staff(request: HttpRequest) -> User:
    user = request.user
    if not getattr(user, "is_staff_role", False) or user.jurisdiction is None:
        raise PermissionDenied(_("只有执法机关人员可以查看统计指标"))
    return user


@require_GET
@login_required
def indicator_list(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    area = _area(user, request.GET.get("jurisdiction"))
    this_year = timezone.localdate().year
    year = _number(request.GET.get("year"), this_year, FIRST_YEAR, this_year)
    kind = request.GET.get("period") or "year"
    kind = kind if kind in selectors.PERIOD_KINDS else "year"
    n = _number(request.GET.get("q"), 1, 1, 4 if kind == "quarter" else 12)
    period = selectors.period_of(year, kind, n)
    groups = selectors.indicator_groups(period, area)
    for group in groups:
        for i, row in enumerate(group.rows):
            if row.drill_url and (not row.value or row.indicator.caveat):
                # nothing to list (a year-filtered list might list others)
                group.rows[i] = replace(row, drill_url=None)
    return render(request, "reports/indicator_list.html", {
        "groups": groups, "area": area, "areas": _area_choices(user, area),
        "year": year, "years": list(range(this_year, FIRST_YEAR - 1, -1)),
        "kind": kind, "n": n, "quarters": range(1, 5), "months": range(1, 13),
        "period": period, "period_label": selectors.period_label(period, kind, n),
        "previous_label": selectors.period_label(period.previous_year(), kind, n),
    })


# --- the annual report ---------------------------------------------------------------------

def _annual_context(user: User, year: int, area: Jurisdiction, *, title: str | None = None,
                    body: str | None = None, errors: list[str] | None = None) -> dict:
    figures = report_figures(year, area)
    draft = selectors.annual_template_draft(year, area)
    this_year = timezone.localdate().year
    return {
        "area": area, "areas": _area_choices(user, area), "year": year,
        "years": list(range(this_year, FIRST_YEAR - 1, -1)),
        "problems": find_contradictions({f.id: f.value for f in figures},
                                        {f.id: f.label for f in figures}),
        "pending": [f for f in figures if f.caveat],
        "draft": draft, "title": draft.title if title is None else title,
        "body": draft.body if body is None else body, "errors": errors or [],
        "may_edit": services.may_edit_template(user, area),
        "indicators_url": list_url("reports:indicator_list", year=year,
                                   jurisdiction=area.code),
    }


@require_GET
@login_required
def annual_report(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    area = _area(user, request.GET.get("jurisdiction"))
    this_year = timezone.localdate().year
    year = _number(request.GET.get("year"), this_year - 1, FIRST_YEAR, this_year)
    return render(request, "reports/annual_report.html", _annual_context(user, year, area))


@require_POST
@login_required
def annual_template_save(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    area = _area(user, request.POST.get("jurisdiction"))
    this_year = timezone.localdate().year
    year = _number(request.POST.get("year"), 0, FIRST_YEAR, this_year)
    if not year:
        raise Http404(_("报告年度无效"))
    title, body = request.POST.get("title", ""), request.POST.get("body", "")
    try:
        services.annual_template_save(actor=user, year=year, jurisdiction=area, title=title,
                                      body=body)
    except ValidationError as refusal:
        context = _annual_context(user, year, area, title=title, body=body,
                                  errors=refusal.messages)
        return render(request, "reports/annual_report.html", context, status=400)
    messages.success(request, _("%(year)s年度报告模板已保存") % {"year": year})
    return redirect(list_url("reports:annual_report", year=year, jurisdiction=area.code)
                    + "#template")


@require_GET
@login_required
def annual_report_download(request: HttpRequest, fmt: str) -> HttpResponse:
    user = _staff(request)
    area = _area(user, request.GET.get("jurisdiction"))
    this_year = timezone.localdate().year
    year = _number(request.GET.get("year"), 0, FIRST_YEAR, this_year)
    if not year or fmt not in services.FORMATS:
        raise Http404(_("报告年度或文件格式无效"))
    name, data = services.annual_report_download(actor=user, year=year, jurisdiction=area,
                                                 fmt=fmt)
    response = HttpResponse(data, content_type=DOCX if fmt == "docx" else XLSX)
    response["Content-Disposition"] = content_disposition_header(True, name)
    response["Content-Length"] = str(len(data))
    return response
