"""The drill-down filters (钻取条件) a figure's link sets on a record list, shown on the
list as removable badges so the officer sees why the list holds what it holds (and that
it matches the figure), and can widen it one filter at a time."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _

from fazhi.core.models import User
from fazhi.core.selectors import jurisdiction_get, path_filter

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class FilterBadge:
    param: str
    label: str  # Chinese, e.g. "区域：南湖区"
    remove_url: str  # this list without the filter (back to its first page)


def filter_badges(request: HttpRequest, labels: dict[str, str]) -> list[FilterBadge]:
    """A badge for each GET parameter in `labels` (param -> its Chinese label; the caller
    leaves out parameters that are absent or ignored)."""
    badges = []
    for param, label in labels.items():
        query = request.GET.copy()
        query.pop(param, None)
        query.pop("page", None)
        encoded = query.urlencode()
        badges.append(FilterBadge(param, label,
                                  f"{request.path}?{encoded}" if encoded else request.path))
    return badges


def area_filter(user: User, raw: str | None, qs: QuerySet[M], *,
                field: str = "jurisdiction_path") -> tuple[QuerySet[M], dict[str, str]]:
    """The `jurisdiction` filter of a record list (a drill from a figure of an area): the
    rows at or below a jurisdiction the user may see; a code the user may not see (or
    that does not exist) lists nothing, as the case list does. Returns the rows and the
    filter's badge label ({} when no filter was asked for)."""
    code = (raw or "").strip()[:12]
    if not code:
        return qs, {}
    area = jurisdiction_get(user=user, code=code)
    if area is None:
        return qs.none(), {"jurisdiction": _("区域：%(c)s（不在您的管辖范围内）") % {"c": code}}
    return (qs.filter(path_filter(area.path, field=field)),
            {"jurisdiction": _("区域：%(name)s") % {"name": area.name}})
