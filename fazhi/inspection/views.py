"""Pages of the inspection app: inspections (list, the phone-width draft form, the draft's
detail with its checklist results, findings, evidence, hazards and case leads), hazards
(list with the overdue filters, detail with the rectification report, re-inspection and
supervision listing), assistance visits and key assisted enterprises, and plans with
their random draws.

Reads go through the scoped selectors (an object outside the user's scope answers 404,
so its existence is not revealed); writes call the services, whose Chinese
ValidationError is shown on the form with nothing saved. A social supervisor (社会监督员)
reads every page of the area it oversees and is shown no form: each write answers it
403 before its form is read, and evidence files are not served to it (`rules.access`).
Free texts reach the templates unmasked and are masked there (`ids_shown`); the event
details are masked here. Every form works as a plain
POST (success: redirect; refusal: the page again, status 400); with htmx the forms of a
detail page post in place and only the form is replaced on a refusal."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from fazhi.cases import services as case_services
from fazhi.cases.selectors import case_list
from fazhi.core.history import HistoryEntry, history
from fazhi.core.models import Event, Role, User
from fazhi.inspection import selectors
from fazhi.inspection import services as inspection_services
from fazhi.inspection.forms import (
    MAX_CANDIDATES,
    AssistanceVisitForm,
    CaseLeadForm,
    EvidenceForm,
    FindingForm,
    FinishForm,
    HazardFilterForm,
    HazardForm,
    InspectionEditForm,
    InspectionFilterForm,
    InspectionForm,
    KeyAssistedForm,
    ReinspectionForm,
    ReportForm,
    ResultForm,
    SupervisionForm,
    YearForm,
    add_service_errors,
)
from fazhi.inspection.models import (
    EvidenceFile,
    Finding,
    Hazard,
    HazardLevel,
    HazardSupervision,
    Inspection,
    InspectionPlan,
)
from fazhi.inspection.rules.access import (
    can_check_draw,
    can_download_files,
    can_inspect,
    can_plan,
    can_report_rectification,
)
from fazhi.inspection.rules.hazards import REINSPECTION
from fazhi.reports.drill import area_filter, filter_badges
from fazhi.subjects.rules.masking import shown_text
from fazhi.subjects.selectors import enterprise_list

# --- shared helpers ----------------------------------------------------------------------


def _partial_only(request: HttpRequest) -> bool:
    # htmx restoring history after a cache miss needs the whole page.
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", None))


def _page(request: HttpRequest, qs: QuerySet[Any]) -> Any:
    return Paginator(qs, settings.FAZHI_PAGE_SIZE).get_page(request.GET.get("page"))


def _years(qs: QuerySet[Any], field: str) -> list[int]:
    """The years that have records and the last few (newest first), for a year filter."""
    this_year = timezone.localdate().year
    years = {d.year for d in qs.order_by().dates(field, "year")}
    years.update(range(this_year - 5, this_year + 1))
    return sorted(years, reverse=True)


def _done(request: HttpRequest, url: str, message: str) -> HttpResponse:
    messages.success(request, message)
    if _is_htmx(request):
        return HttpResponseClientRedirect(url)
    return redirect(url)


def _refused(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    """The page again with the refused form. htmx swaps only 2xx answers (and picks the
    form out of the page with hx-select), so it gets 200; a plain POST gets 400."""
    return render(request, template, context, status=200 if _is_htmx(request) else 400)


def _writer(allowed: bool) -> None:
    """Refuse a write before its form is read, so a role without the right (a social
    supervisor, a reviewer) never gets a form back; the service checks again."""
    if not allowed:
        raise PermissionDenied(_("您的角色无权进行此项操作"))


def _run(form: Any, action: Callable[[], Any]) -> Any:
    """Call the service when the form is valid; its refusal goes onto the form. Returns
    what the service returned, or None when refused."""
    if not form.is_valid():
        return None
    try:
        return action()
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None


# --- the event record --------------------------------------------------------------------

ACTION_LABELS: dict[str, str] = {
    "inspection.created": "创建检查记录",
    "inspection.results_recorded": "记录检查事项结果",
    "inspection.finding_added": "记录检查发现问题",
    "inspection.evidence_attached": "上传证据",
    "inspection.finished": "完成检查记录",
    "inspection.finding_to_case": "问题转为案件线索",
    "hazard.registered": "登记事故隐患",
    "hazard.ordered": "下达责令限期整改指令书",
    "hazard.reported": "报告整改情况",
    "hazard.reinspected": "整改复查",
    "hazard.closed": "隐患销号",
    "hazard.supervision_listed": "挂牌督办",
    "hazard.supervision_closed": "督办摘牌",
    "hazard.escalated": "整改不合格，移交立案",
    "random_draw.run": "双随机抽取",
    "random_draw.rerun_checked": "复核抽取结果",
    "random_draw.published": "公示抽取结果",
}


def _details(event: Event) -> list[str]:
    p = event.payload or {}
    a = event.action
    if a == "inspection.created":
        return [f"{p.get('enterprise_name', '')} · {p.get('date', '')} · "
                f"{'、'.join(p.get('officer_names') or [])}"]
    if a == "inspection.finding_added":
        return [str(p.get("description", ""))[:80]]
    if a == "inspection.evidence_attached":
        return [f"{p.get('name', '')}（SHA-256 {str(p.get('sha256', ''))[:12]}…）"]
    if a == "inspection.finished":
        return [_("签字人：%(n)s") % {"n": p["signed_by"]} if p.get("signed_by")
                else _("拒绝签字：%(r)s") % {"r": p.get("refusal_reason", "")}]
    if a == "hazard.ordered":
        return [_("文书编号%(n)s，整改期限%(d)s，复查期限%(r)s")
                % {"n": p.get("number"), "d": p.get("deadline"), "r": p.get("reinspection_due")}]
    if a == "hazard.reported":
        return [_("报告日期%(d)s") % {"d": p.get("report_date")}]
    if a == "hazard.reinspected":
        return [_("文书编号%(n)s，%(r)s") % {
            "n": p.get("number"), "r": _("合格") if p.get("passed") else _("不合格")}]
    if a == "hazard.supervision_listed":
        return [f"{p.get('agency', '')} · {p.get('listed_on', '')}"]
    return []


def _history(user: User, events: QuerySet[Event]) -> list[HistoryEntry]:
    # The payloads keep what was typed (a finding, a refusal to sign): ID numbers in
    # them are masked for the roles that may not see them whole.
    return history(events, ACTION_LABELS,
                   lambda event: [shown_text(user, line) for line in _details(event)])


# --- the enterprise picker ---------------------------------------------------------------

@require_GET
@login_required
def enterprise_search(request: HttpRequest) -> HttpResponse:
    """The candidates of the enterprise picker while typing (htmx). `name` is the name of
    the picker's radio field; the text is in `<name>_q`."""
    user = request.user
    if not (can_inspect(user) or can_plan(user)):
        raise PermissionDenied(_("您的角色无权选择被检查单位"))
    name = request.GET.get("name", "enterprise")
    if not name.endswith("enterprise") or len(name) > 40:
        name = "enterprise"
    q = (request.GET.get(f"{name}_q") or request.GET.get("q") or "").strip()
    candidates = (list(enterprise_list(user=user, q=q).order_by("name", "id")[:MAX_CANDIDATES])
                  if q else [])
    return render(request, "inspection/partials/enterprise_choices.html",
                  {"candidates": candidates, "name": name, "q": q, "searched": bool(q)})


# --- inspections -------------------------------------------------------------------------

@require_GET
@login_required
def inspection_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = InspectionFilterForm(request.GET,
                                years=_years(selectors.inspection_list(user=user), "date"))
    qs = selectors.inspection_list(user=user, **form.filters()).prefetch_related("officers")
    qs, labels = area_filter(user, request.GET.get("jurisdiction"), qs)
    context = {"form": form, "page": _page(request, qs), "can_create": can_inspect(user),
               "badges": filter_badges(request, labels),
               "drill_params": [(key, request.GET[key]) for key in labels]}
    template = ("inspection/partials/inspection_results.html" if _partial_only(request)
                else "inspection/inspection_list.html")
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_http_methods(["GET", "POST"])
@login_required
def inspection_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not can_inspect(user):
        raise PermissionDenied(_("只有执法人员可以记录执法检查"))
    form = InspectionForm(request.POST or None, user=user)
    if request.method == "POST":
        inspection = _run(form, lambda: inspection_services.inspection_create(
            actor=user, **form.service_kwargs()))
        if inspection is not None:
            return _done(request, reverse("inspection:inspection_detail", args=[inspection.pk]),
                         _("检查记录草稿已保存，可继续记录检查结果和发现的问题"))
        return render(request, "inspection/inspection_form.html", {"form": form}, status=400)
    return render(request, "inspection/inspection_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
@login_required
def inspection_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    inspection = _inspection_or_404(user, pk)
    if not can_inspect(user) or inspection.status != Inspection.Status.DRAFT:
        raise PermissionDenied(_("只能由执法人员修改检查记录草稿"))
    form = InspectionEditForm(request.POST or None, user=user, inspection=inspection)
    context = {"form": form, "inspection": inspection}
    if request.method == "POST":
        if _run(form, lambda: inspection_services.inspection_update(
                actor=user, inspection=inspection, **form.service_kwargs())) is not None:
            return _done(request, _detail_url(inspection), _("检查记录草稿已修改"))
        return render(request, "inspection/inspection_form.html", context, status=400)
    return render(request, "inspection/inspection_form.html", context)


def _inspection_or_404(user: User, pk: int) -> Inspection:
    inspection = selectors.inspection_get(user=user, pk=pk)
    if inspection is None:
        raise Http404(_("未找到该检查记录"))
    return inspection


def _finding_or_404(user: User, pk: int) -> tuple[Inspection, Finding]:
    inspection_id = Finding.objects.filter(pk=pk).values_list("inspection_id", flat=True).first()
    if inspection_id is None:
        raise Http404(_("未找到该问题"))
    inspection = _inspection_or_404(user, inspection_id)
    finding = next(f for f in inspection.findings.all() if f.pk == pk)
    return inspection, finding


@dataclass
class FindingRow:
    finding: Finding
    hazard: Hazard | None
    leads: list[Any]
    evidence_form: EvidenceForm


def _inspection_context(request: HttpRequest, inspection: Inspection,
                        **forms: Any) -> dict[str, Any]:
    user = request.user
    writable = can_inspect(user) and inspection.status == Inspection.Status.DRAFT
    hazards = {h.finding_id: h for h in selectors.hazard_list(user=user)
               .filter(inspection=inspection)}
    leads: dict[int, list[Any]] = {}
    for case in case_list(user=user).filter(finding__inspection=inspection).order_by("id"):
        leads.setdefault(case.finding_id, []).append(case)
    evidence_forms = forms.pop("evidence_forms", {})
    rows = [
        FindingRow(f, hazards.get(f.pk), leads.get(f.pk, []),
                   evidence_forms.get(f.pk) or EvidenceForm(prefix=f"evidence-{f.pk}"))
        for f in inspection.findings.all()
    ]
    return {
        "inspection": inspection,
        "officers": list(inspection.officers.all()),
        "results": list(inspection.results.all()),
        "rows": rows,
        "writable": writable,
        "can_act_on_findings": can_inspect(user),
        "result_form": forms.get("result_form") or (ResultForm() if writable else None),
        "finding_form": forms.get("finding_form") or (FindingForm() if writable else None),
        "finish_form": forms.get("finish_form") or (FinishForm() if writable else None),
        "may_download": can_download_files(user),
        "history": _history(user, selectors.inspection_events(user=user, inspection=inspection)),
    }


DETAIL = "inspection/inspection_detail.html"


@require_GET
@login_required
def inspection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _inspection_or_404(request.user, pk)
    return render(request, DETAIL, _inspection_context(request, inspection))


def _detail_url(inspection: Inspection, anchor: str = "") -> str:
    url = reverse("inspection:inspection_detail", args=[inspection.pk])
    return f"{url}#{anchor}" if anchor else url


@require_POST
@login_required
def results_record(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    inspection = _inspection_or_404(user, pk)
    _writer(can_inspect(user))
    form = ResultForm(request.POST)
    done = _run(form, lambda: inspection_services.inspection_record_results(
        actor=user, inspection=inspection,
        results=[(form.item_obj(), form.cleaned_data["outcome"], form.cleaned_data["note"])]))
    if done is not None:
        return _done(request, _detail_url(inspection, "results"), _("检查事项结果已记录"))
    return _refused(request, DETAIL, _inspection_context(request, inspection, result_form=form))


@require_POST
@login_required
def finding_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    inspection = _inspection_or_404(user, pk)
    _writer(can_inspect(user))
    form = FindingForm(request.POST)
    finding = _run(form, lambda: inspection_services.finding_add(
        actor=user, inspection=inspection, description=form.cleaned_data["description"],
        item=form.item_obj()))
    if finding is not None:
        return _done(request, _detail_url(inspection, f"finding-{finding.pk}"),
                     _("检查发现的问题已记录"))
    return _refused(request, DETAIL, _inspection_context(request, inspection, finding_form=form))


@require_POST
@login_required
def evidence_upload(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    inspection, finding = _finding_or_404(user, pk)
    _writer(can_inspect(user))
    form = EvidenceForm(request.POST, request.FILES, prefix=f"evidence-{finding.pk}")
    evidence = _run(form, lambda: inspection_services.evidence_attach(
        actor=user, finding=finding, upload=form.cleaned_data["file"]))
    if evidence is not None:
        return _done(request, _detail_url(inspection, f"finding-{finding.pk}"),
                     _("证据文件已上传"))
    return _refused(request, DETAIL, _inspection_context(
        request, inspection, evidence_forms={finding.pk: form}))


@require_GET
@login_required
def evidence_file(request: HttpRequest, pk: int) -> FileResponse:
    """An evidence file, to whoever may see its inspection, except a social supervisor
    (`rules.access.can_download_files`)."""
    if not can_download_files(request.user):
        raise PermissionDenied(_("社会监督员可查看证据清单，不能下载证据文件"))
    evidence = EvidenceFile.objects.select_related("finding").filter(pk=pk).first()
    if evidence is None:
        raise Http404(_("未找到该证据文件"))
    _inspection_or_404(request.user, evidence.finding.inspection_id)
    return FileResponse(evidence.file.open("rb"), filename=evidence.original_name,
                        content_type=evidence.content_type)


@require_POST
@login_required
def inspection_finish(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    inspection = _inspection_or_404(user, pk)
    _writer(can_inspect(user))
    form = FinishForm(request.POST)
    done = _run(form, lambda: inspection_services.inspection_finish(
        actor=user, inspection=inspection, signed_by=form.cleaned_data["signed_by"],
        refusal_reason=form.cleaned_data["refusal_reason"]))
    if done is not None:
        return _done(request, _detail_url(inspection), _("检查记录已完成"))
    return _refused(request, DETAIL, _inspection_context(request, inspection, finish_form=form))


@require_http_methods(["GET", "POST"])
@login_required
def hazard_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Register a finding as a hazard (and issue its rectification order)."""
    user = request.user
    inspection, finding = _finding_or_404(user, pk)
    if not can_inspect(user):
        raise PermissionDenied(_("只有执法人员可以登记事故隐患"))
    if selectors.hazard_list(user=user).filter(finding=finding).exists():
        return redirect(_detail_url(inspection, f"finding-{finding.pk}"))
    initial = {"criterion": finding.item_id} if finding.item_id else {}
    form = HazardForm(request.POST or None, initial=initial)
    if request.method == "POST":
        hazard = _run(form, lambda: inspection_services.hazard_register(
            actor=user, finding=finding, **form.service_kwargs()))
        if hazard is not None:
            order = hazard.orders.order_by("-id").first()
            message = (_("事故隐患已登记，已下达责令限期整改指令书（%(n)s）") % {"n": order.number}
                       if order else _("事故隐患已登记（当场整改，已销号）"))
            return _done(request, reverse("inspection:hazard_detail", args=[hazard.pk]),
                         message)
    context = {"inspection": inspection, "finding": finding, "form": form}
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "inspection/hazard_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def case_lead_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Turn a finding into a penalty-case lead with the catalogue items it suggests."""
    user = request.user
    inspection, finding = _finding_or_404(user, pk)
    if not can_inspect(user):
        raise PermissionDenied(_("只有执法人员可以登记案件线索"))
    form = CaseLeadForm(request.POST or None, on=inspection.date)
    if request.method == "POST":
        case = _run(form, lambda: case_services.case_lead_from_finding(
            actor=user, finding=finding, item_codes=form.codes(),
            facts=form.cleaned_data["facts"]))
        if case is not None:
            return _done(request, _detail_url(inspection, f"finding-{finding.pk}"),
                         _("已登记案件线索（编号%(pk)s），证据随线索移转") % {"pk": case.pk})
    context = {"inspection": inspection, "finding": finding, "form": form}
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "inspection/case_lead_form.html", context, status=status)


# --- hazards -----------------------------------------------------------------------------

def _hazards(user: User, filters: dict[str, Any]) -> QuerySet[Hazard]:
    today = timezone.localdate()
    overdue = filters.pop("overdue", None)
    if overdue == "orders":
        qs = selectors.hazards_overdue_orders(user=user, today=today)
    elif overdue == "reinspections":
        qs = selectors.hazards_overdue_reinspections(user=user, today=today)
    else:
        return selectors.hazard_list(user=user, **filters)
    if filters.get("level"):
        qs = qs.filter(level=filters["level"])
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("year"):
        qs = qs.filter(found_on__year=filters["year"])
    return qs


@require_GET
@login_required
def hazard_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = HazardFilterForm(request.GET,
                            years=_years(selectors.hazard_list(user=user), "found_on"))
    qs, labels = area_filter(user, request.GET.get("jurisdiction"), _hazards(user, form.filters()))
    ledger_query = request.GET.copy()
    ledger_query.pop("page", None)
    context = {
        "form": form, "page": _page(request, qs), "today": timezone.localdate(),
        "ledger_query": ledger_query.urlencode(), "is_enterprise": user.role == Role.ENTERPRISE,
        "badges": filter_badges(request, labels),
        "drill_params": [(key, request.GET[key]) for key in labels],
    }
    template = ("inspection/partials/hazard_results.html" if _partial_only(request)
                else "inspection/hazard_list.html")
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _hazard_or_404(user: User, pk: int) -> Hazard:
    hazard = selectors.hazard_get(user=user, pk=pk)
    if hazard is None:
        raise Http404(_("未找到该事故隐患"))
    return hazard


def _supervision(hazard: Hazard) -> HazardSupervision | None:
    try:
        return hazard.supervision
    except HazardSupervision.DoesNotExist:
        return None


def _hazard_context(request: HttpRequest, hazard: Hazard, **forms: Any) -> dict[str, Any]:
    user = request.user
    supervision = _supervision(hazard)
    open_ = hazard.status in (Hazard.Status.ORDERED, Hazard.Status.REPORTED)
    may_report = (hazard.status == Hazard.Status.ORDERED
                  and can_report_rectification(user, hazard.enterprise_id))
    may_reinspect = open_ and can_inspect(user)
    may_supervise = (open_ and supervision is None and hazard.level == HazardLevel.MAJOR
                     and can_plan(user))
    orders = list(hazard.orders.all())
    today = timezone.localdate()
    return {
        "hazard": hazard,
        "supervision": supervision,
        "orders": orders,
        "current_order": orders[-1] if orders else None,
        "today": today,
        "overdue_order": hazard.order_overdue(today),
        "overdue_reinspection": hazard.reinspection_overdue(today),
        "leads": list(case_list(user=user).filter(finding_id=hazard.finding_id)),
        "rule": REINSPECTION,
        "report_form": forms.get("report_form") or (ReportForm() if may_report else None),
        "reinspection_form": forms.get("reinspection_form")
        or (ReinspectionForm(user=user) if may_reinspect else None),
        "supervision_form": forms.get("supervision_form")
        or (SupervisionForm(hazard=hazard) if may_supervise else None),
        "history": _history(user, selectors.hazard_events(user=user, hazard=hazard)),
    }


HAZARD_DETAIL = "inspection/hazard_detail.html"


@require_GET
@login_required
def hazard_detail(request: HttpRequest, pk: int) -> HttpResponse:
    hazard = _hazard_or_404(request.user, pk)
    return render(request, HAZARD_DETAIL, _hazard_context(request, hazard))


def _hazard_url(hazard: Hazard) -> str:
    return reverse("inspection:hazard_detail", args=[hazard.pk])


@require_POST
@login_required
def hazard_report(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    hazard = _hazard_or_404(user, pk)
    _writer(can_report_rectification(user, hazard.enterprise_id))
    form = ReportForm(request.POST)
    done = _run(form, lambda: inspection_services.rectification_report(
        actor=user, hazard=hazard, report_date=form.cleaned_data["report_date"],
        text=form.cleaned_data["text"]))
    if done is not None:
        return _done(request, _hazard_url(hazard), _("整改情况报告已提交，等待复查"))
    return _refused(request, HAZARD_DETAIL, _hazard_context(request, hazard, report_form=form))


@require_POST
@login_required
def hazard_reinspect(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    hazard = _hazard_or_404(user, pk)
    _writer(can_inspect(user))
    form = ReinspectionForm(request.POST, user=user)
    reinspection = _run(form, lambda: inspection_services.reinspection_record(
        actor=user, hazard=hazard, **form.service_kwargs()))
    if reinspection is not None:
        hazard.refresh_from_db()
        if reinspection.passed:
            message = _("复查合格，隐患已销号（%(n)s）") % {"n": reinspection.number}
        elif hazard.status == Hazard.Status.ESCALATED:
            message = _("复查不合格，已移交立案（%(n)s）") % {"n": reinspection.number}
        else:
            order = hazard.orders.order_by("-id").first()
            message = _("复查不合格，已重新下达责令限期整改指令书（%(n)s）") % {"n": order.number}
        return _done(request, _hazard_url(hazard), message)
    return _refused(request, HAZARD_DETAIL,
                    _hazard_context(request, hazard, reinspection_form=form))


@require_POST
@login_required
def hazard_supervise(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    hazard = _hazard_or_404(user, pk)
    _writer(can_plan(user))
    form = SupervisionForm(request.POST, hazard=hazard)
    done = _run(form, lambda: inspection_services.supervision_list(
        actor=user, hazard=hazard, **form.service_kwargs()))
    if done is not None:
        return _done(request, _hazard_url(hazard), _("已挂牌督办"))
    return _refused(request, HAZARD_DETAIL,
                    _hazard_context(request, hazard, supervision_form=form))


# --- assistance --------------------------------------------------------------------------

@require_http_methods(["GET", "POST"])
@login_required
def assistance_visits(request: HttpRequest) -> HttpResponse:
    user = request.user
    year = YearForm(request.GET).year_value()
    may_write = can_plan(user)
    form = AssistanceVisitForm(request.POST or None, user=user) if may_write else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied(_("您的角色无权记录帮扶指导"))
        visit = _run(form, lambda: inspection_services.assistance_visit_record(
            actor=user, enterprise=form.cleaned_data["enterprise_obj"],
            date=form.cleaned_data["date"], expert=form.cleaned_data["expert"],
            expert_field=form.cleaned_data["expert_field"],
            problems=form.cleaned_data["problems"], advice=form.cleaned_data["advice"]))
        if visit is not None:
            return _done(request, f"{reverse('inspection:assistance_visits')}?year="
                         f"{visit.date.year}", _("帮扶指导记录已保存"))
    qs = selectors.assistance_visit_list(user=user, year=year)
    status = 400 if form is not None and form.is_bound and form.errors else 200
    return render(request, "inspection/assistance_visits.html", {
        "year": year, "page": _page(request, qs), "form": form,
        "years": _years(selectors.assistance_visit_list(user=user), "date"),
    }, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def key_assisted(request: HttpRequest) -> HttpResponse:
    user = request.user
    year = YearForm(request.GET).year_value()
    may_write = can_plan(user)
    form = KeyAssistedForm(request.POST or None, user=user, year=year) if may_write else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied(_("您的角色无权确定重点帮扶企业"))
        row = _run(form, lambda: inspection_services.key_assisted_add(
            actor=user, enterprise=form.cleaned_data["enterprise_obj"],
            year=form.cleaned_data["year"], reason=form.cleaned_data["reason"]))
        if row is not None:
            return _done(request, f"{reverse('inspection:key_assisted')}?year={row.year}",
                         _("已列入%(y)s年度重点帮扶企业") % {"y": row.year})
    qs = selectors.key_assisted_list(user=user, year=year)
    status = 400 if form is not None and form.is_bound and form.errors else 200
    return render(request, "inspection/key_assisted.html", {
        "year": year, "page": _page(request, qs), "form": form,
        "years": sorted({*selectors.key_assisted_list(user=user).order_by()
                         .values_list("year", flat=True).distinct(),
                         timezone.localdate().year}, reverse=True),
    }, status=status)


# --- plans and draws ---------------------------------------------------------------------

@require_GET
@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    qs = selectors.plan_list(user=user).prefetch_related("draws")
    return render(request, "inspection/plan_list.html", {"page": _page(request, qs)})


def _plan_context(request: HttpRequest, plan: InspectionPlan,
                  checks: dict[int, Any] | None = None) -> dict[str, Any]:
    draws = list(selectors.draw_list(user=request.user).filter(plan=plan)
                 .prefetch_related("picks__enterprise", "picks__officers"))
    return {"plan": plan, "draws": draws, "checks": checks or {},
            "may_check": can_check_draw(request.user)}


@require_GET
@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_list(user=request.user).filter(pk=pk).first()
    if plan is None:
        raise Http404(_("未找到该检查计划"))
    return render(request, "inspection/plan_detail.html", _plan_context(request, plan))


@require_POST
@login_required
def draw_check(request: HttpRequest, pk: int) -> HttpResponse:
    """复核: re-run the draw from its stored seed and pool and compare (recorded)."""
    user = request.user
    draw = selectors.draw_get(user=user, pk=pk)
    if draw is None:
        raise Http404(_("未找到该抽取"))
    error = ""
    try:
        check = inspection_services.draw_rerun_check(actor=user, draw=draw)
    except ValidationError as exc:
        check, error = None, " ".join(exc.messages)
    if _partial_only(request):
        return render(request, "inspection/partials/draw_check.html",
                      {"draw": draw, "check": check, "check_error": error})
    context = _plan_context(request, draw.plan, {draw.pk: check})
    context["check_error"] = error
    return render(request, "inspection/plan_detail.html", context)
