"""Download of the case ledger (案件台账.xlsx) for staff: the cases of the list page in
the user's scope (`selectors.case_list`), with the list's filters from the query
string — status, source, year of filing (立案年度), keyword and the overdue choice —
written by `fazhi.cases.ledger.case_ledger_workbook`."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from fazhi.cases import selectors
from fazhi.cases.ledger import case_ledger_workbook
from fazhi.cases.models import CaseSource, CaseStatus, PenaltyCase
from fazhi.core.models import User
from fazhi.core.xlsx import xlsx_response

YEARS = range(2000, 2101)
TRUE_VALUES = {"1", "true", "on", "yes"}
MAX_KEYWORD = 100


def ledger_filters(params: Any) -> dict[str, Any]:
    """status / source / year / q / overdue from the query string. An invalid or blank
    value is dropped, as the list page drops it, never an error (a download link)."""
    status = params.get("status") or None
    source = params.get("source") or None
    year_text = (params.get("year") or "").strip()
    year = int(year_text) if len(year_text) == 4 and year_text.isdigit() else None
    q = (params.get("q") or "").strip().replace("\x00", "")[:MAX_KEYWORD]
    overdue = (params.get("overdue") or "").strip().lower()
    return {
        "status": status if status in CaseStatus.values else None,
        "source": source if source in CaseSource.values else None,
        "year": year if year in YEARS else None,
        "q": q or None,
        "overdue": True if overdue in TRUE_VALUES else None,
    }


def ledger_cases(user: User, params: Any) -> QuerySet[PenaltyCase]:
    filters = ledger_filters(params)
    return selectors.filter_cases(
        selectors.case_list(user=user, status=filters.pop("status")), **filters)


def ledger_file_name() -> str:
    return _("案件台账_%(date)s.xlsx") % {"date": timezone.localdate().isoformat()}


@require_GET
@login_required
def case_ledger_xlsx(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not getattr(user, "is_staff_role", False):
        raise PermissionDenied(_("只有执法人员、法制审核员、负责人和管理员可以导出案件台账"))
    content = case_ledger_workbook(ledger_cases(user, request.GET))
    return xlsx_response(content, ledger_file_name())
