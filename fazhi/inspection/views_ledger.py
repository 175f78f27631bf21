"""Download of the hazard ledger (隐患台账.xlsx) for staff: the hazards of the list page
(fazhi.inspection.views.hazard_list) with its filters — level, status, year and the
overdue choice — in the user's scope (fazhi.inspection.selectors)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from fazhi.core.models import User
from fazhi.core.xlsx import xlsx_response
from fazhi.inspection.ledger import hazard_ledger_workbook
from fazhi.inspection.models import Hazard, HazardLevel
from fazhi.inspection.selectors import (
    hazard_list,
    hazards_overdue_orders,
    hazards_overdue_reinspections,
)
from fazhi.reports.drill import area_filter

FILENAME = "隐患台账.xlsx"
YEARS = range(2000, 2101)
OVERDUE = {"orders": hazards_overdue_orders, "reinspections": hazards_overdue_reinspections}


def ledger_filters(params: Any) -> dict[str, Any]:
    """level / status / year / overdue ("orders" or "reinspections", as the list page's
    form) from the query string; an invalid or blank value is dropped, as the list
    page drops it, never an error."""
    level = params.get("level") or None
    status = params.get("status") or None
    overdue = params.get("overdue") or None
    year_text = (params.get("year") or "").strip()
    year = int(year_text) if len(year_text) == 4 and year_text.isdigit() else None
    return {
        "level": level if level in HazardLevel.values else None,
        "status": status if status in Hazard.Status.values else None,
        "year": year if year in YEARS else None,
        "overdue": overdue if overdue in OVERDUE else None,
    }


def ledger_hazards(user: User, params: Any) -> QuerySet[Hazard]:
    filters = ledger_filters(params)
    overdue = filters.pop("overdue")
    hazards = hazard_list(user=user, **filters)
    if overdue:
        late = OVERDUE[overdue](user=user, today=timezone.localdate())
        hazards = hazards.filter(pk__in=late.values("pk"))
    return area_filter(user, params.get("jurisdiction"), hazards)[0]  # as the list page


@require_GET
@login_required
def hazard_ledger_xlsx(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not getattr(user, "is_staff_role", False):
        raise PermissionDenied(_("只有执法人员、法制审核员、负责人和管理员可以导出隐患台账"))
    content = hazard_ledger_workbook(ledger_hazards(user, request.GET))
    return xlsx_response(content, FILENAME)
