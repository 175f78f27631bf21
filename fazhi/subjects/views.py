"""Pages of the registry of regulated subjects: the enterprise list (search, filters,
pagination, htmx refresh), an enterprise's detail with its event record, and the Excel
import. Everything needs a login; an enterprise outside the user's scope answers 404,
so its existence is not revealed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from fazhi.core.models import Event, Jurisdiction, Role, User
from fazhi.core.selectors import jurisdiction_list
from fazhi.core.xlsx import xlsx_response
from fazhi.subjects import imports
from fazhi.subjects.models import (
    Enterprise,
    ResponsiblePerson,
    RiskLevel,
    SupervisionCategory,
)
from fazhi.subjects.rules.access import can_edit_subjects
from fazhi.subjects.rules.masking import can_see_id_numbers, shown_id_number
from fazhi.subjects.selectors import (
    LIST_COLUMNS,
    enterprise_events,
    enterprise_get,
    park_list,
)
from fazhi.subjects.selectors import (
    enterprise_list as select_enterprises,
)

# An import with thousands of bad rows still shows a readable page.
MAX_ERRORS_SHOWN = 1000

_INDENT = {Jurisdiction.Level.TOWN: "\u3000\u3000", Jurisdiction.Level.COUNTY: "\u3000",
           Jurisdiction.Level.ZONE: "\u3000"}


class EnterpriseFilterForm(forms.Form):
    """The list's search box and filters; the choices come from the user's scope."""

    q = forms.CharField(
        label=_("关键词"), required=False, max_length=100,
        widget=forms.TextInput(attrs={
            "class": "form-control", "type": "search",
            "placeholder": _("单位名称、统一社会信用代码或地址"),
        }),
    )
    jurisdiction = forms.ChoiceField(label=_("属地"), required=False)
    category = forms.ChoiceField(
        label=_("监管类别"), required=False,
        choices=[("", _("全部监管类别")), *SupervisionCategory.choices],
    )
    risk_level = forms.ChoiceField(
        label=_("安全风险等级"), required=False,
        choices=[("", _("全部风险等级")), *RiskLevel.choices],
    )
    park = forms.TypedChoiceField(label=_("化工园区"), required=False, coerce=int,
                                  empty_value=None)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        places = (jurisdiction_list(user=user).select_related(None)
                  .only("code", "name", "level").order_by("path"))
        self.fields["jurisdiction"].choices = [("", _("全部属地"))] + [
            (j.code, f"{_INDENT.get(j.level, '')}{j.name}") for j in places
        ]
        parks = park_list(user=user).select_related(None).only("id", "name").order_by("name")
        self.fields["park"].choices = [("", _("全部园区"))] + [(p.pk, p.name) for p in parks]
        for name in ("jurisdiction", "category", "risk_level", "park"):
            self.fields[name].widget.attrs["class"] = "form-select"

    def filters(self) -> dict[str, Any]:
        """The valid filters (an invalid one is dropped and shown as an error)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "q": data.get("q") or "",
            "jurisdiction": data.get("jurisdiction") or None,
            "category": data.get("category") or None,
            "risk_level": data.get("risk_level") or None,
            "park_id": data.get("park") or None,
        }


def _partial_only(request: HttpRequest) -> bool:
    # htmx restoring history after a cache miss needs the whole page.
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request


@require_GET
@login_required
def enterprise_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = EnterpriseFilterForm(request.GET, user=user)
    enterprises = select_enterprises(user=user, **form.filters()).only(*LIST_COLUMNS)
    page = Paginator(enterprises, settings.FAZHI_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "show_filters": user.role != Role.ENTERPRISE,
        "can_import": can_edit_subjects(user),
    }
    template = ("subjects/partials/enterprise_results.html" if _partial_only(request)
                else "subjects/enterprise_list.html")
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@dataclass(frozen=True)
class HistoryEntry:
    event: Event
    label: str
    details: list[str]


ACTION_LABELS = {
    "enterprise.created": _("登记"),
    "enterprise.updated": _("修改"),
    "enterprise.person_set": _("登记责任人员"),
}


def _field_label(field: str) -> str:
    try:
        return str(Enterprise._meta.get_field(field).verbose_name)
    except Exception:
        return field


def _choice_label(field: str, value: Any) -> str:
    choices = {"supervision_category": SupervisionCategory, "risk_level": RiskLevel}.get(field)
    if choices is not None and value in choices.values:
        return str(choices(value).label)
    return "—" if value in (None, "") else str(value)


def _history(events: list[Event]) -> list[HistoryEntry]:
    """Events with a Chinese label and one line per detail (payloads hold masked IDs)."""
    entries = []
    for event in events:
        payload = event.payload or {}
        details: list[str] = []
        if event.action == "enterprise.created":
            if payload.get("source") == "import":
                details.append(str(_("Excel 批量导入")))
        elif event.action == "enterprise.updated":
            for field, change in (payload.get("changes") or {}).items():
                details.append(
                    f"{_field_label(field)}：{_choice_label(field, change.get('from'))}"
                    f" → {_choice_label(field, change.get('to'))}")
        elif event.action == "enterprise.person_set":
            kind = payload.get("kind")
            kind_label = (ResponsiblePerson.Kind(kind).label
                          if kind in ResponsiblePerson.Kind.values else kind)
            details.append(f"{kind_label}：{payload.get('name', '')}"
                           f"（{payload.get('id_number', '')}）")
        entries.append(HistoryEntry(event, str(ACTION_LABELS.get(event.action, event.action)),
                                    details))
    return entries


@require_GET
@login_required
def enterprise_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    enterprise = enterprise_get(user=user, pk=pk)
    if enterprise is None:
        raise Http404(_("未找到该生产经营单位"))
    people = [
        {"person": person, "id_number": shown_id_number(user, person.id_number)}
        for person in enterprise.people.all()
    ]
    events = list(enterprise_events(user=user, enterprise=enterprise))
    return render(request, "subjects/enterprise_detail.html", {
        "enterprise": enterprise,
        "people": people,
        "ids_whole": can_see_id_numbers(user),
        "history": _history(events),
    })


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Excel 文件（.xlsx）"),
        widget=forms.ClearableFileInput(attrs={
            "class": "form-control",
            "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }),
    )


def _require_importer(user: User) -> None:
    if not can_edit_subjects(user) or user.jurisdiction is None:
        raise PermissionDenied(_("只有执法人员和管理员可以导入生产经营单位"))


@require_http_methods(["GET", "POST"])
@login_required
def enterprise_import(request: HttpRequest) -> HttpResponse:
    user = request.user
    _require_importer(user)
    result: imports.ImportResult | None = None
    rejected = ""
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                result = imports.enterprise_import(actor=user, file=form.cleaned_data["file"])
            except ValidationError as exc:
                rejected = " ".join(exc.messages)
    else:
        form = ImportForm()
    # A refused file or a bad row is not a success: say so in the status code too.
    status = 400 if rejected or form.errors else 422 if result and not result.ok else 200
    return render(request, "subjects/enterprise_import.html", {
        "form": form,
        "result": result,
        "rejected": rejected,
        "errors_shown": result.errors[:MAX_ERRORS_SHOWN] if result else [],
        "jurisdiction": user.jurisdiction,
        "max_rows": imports.MAX_ROWS,
    }, status=status)


@require_GET
@login_required
def enterprise_template(request: HttpRequest) -> HttpResponse:
    user = request.user
    _require_importer(user)
    parks = park_list(user=user).values_list("name", flat=True)
    return xlsx_response(imports.enterprise_template(parks=parks), "生产经营单位导入模板.xlsx")

