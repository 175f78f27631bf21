"""Pages of certificates (资格证书): the list with filters, a certificate (dates, QR code,
reviews, revocation, event record), the reminders (复审/到期提醒), the exam-result import
with its progress bar and template, the suspected-fake lookups; and the public
verification page with the published key (no login).

Reads go through the scoped selectors (outside the scope: 404); writes through
`services_certificates`, whose Chinese refusal is shown with nothing changed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from fazhi.core.feedback import refused
from fazhi.core.history import history
from fazhi.core.jobs import job_progress, job_submit
from fazhi.core.models import Event, Job, User
from fazhi.core.selectors import object_events
from fazhi.core.xlsx import MAX_BYTES, ImportRejected, read_xlsx_upload, xlsx_response
from fazhi.licensing import selectors_certificates as sel
from fazhi.licensing import services_certificates as services
from fazhi.licensing import signing
from fazhi.licensing.imports_certificates import certificate_template
from fazhi.licensing.models_certificates import (
    Certificate,
    CertificateImport,
    CertificateKind,
    CertificateStatus,
)
from fazhi.licensing.rules import certificates as rules
from fazhi.subjects.rules.masking import can_see_id_numbers, shown_id_number

DATE = {"type": "date", "class": "form-control form-control-sm"}
SELECT = {"class": "form-select form-select-sm"}
TEXT = {"class": "form-control form-control-sm"}

ACTION_LABELS = {
    "certificate.issued": gettext_lazy("发证"),
    "certificate.reviewed": gettext_lazy("复审"),
    "certificate.revoked": gettext_lazy("撤销"),
}


def _partial_only(request: HttpRequest) -> bool:
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request


def _staff(request: HttpRequest) -> None:
    if not getattr(request.user, "is_staff_role", False) and request.user.role != "enterprise":
        raise PermissionDenied(_("无权查看资格证书"))


# --- list --------------------------------------------------------------------------------

class FilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("关键词"), required=False, max_length=50,
                        widget=forms.TextInput(attrs={**TEXT, "placeholder": gettext_lazy(
                            "证号、姓名或单位")}))
    kind = forms.ChoiceField(label=gettext_lazy("证书类别"), required=False,
                             widget=forms.Select(attrs=SELECT))
    status = forms.ChoiceField(label=gettext_lazy("状态"), required=False,
                               widget=forms.Select(attrs=SELECT))
    category = forms.ChoiceField(label=gettext_lazy("作业类别"), required=False,
                                 widget=forms.Select(attrs=SELECT))
    year = forms.TypedChoiceField(label=gettext_lazy("发证年度"), required=False, coerce=int,
                                  empty_value=None, widget=forms.Select(attrs=SELECT))
    issued_from = forms.DateField(label=gettext_lazy("发证日期起"), required=False,
                                  widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"))
    issued_to = forms.DateField(label=gettext_lazy("发证日期止"), required=False,
                                widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"))
    jurisdiction = forms.CharField(label=gettext_lazy("区划代码"), required=False,
                                   max_length=12, widget=forms.TextInput(attrs=TEXT))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("全部")), (sel.MANAGERS, _("负责人和安管员合格证")),
                                       *CertificateKind.choices]
        self.fields["status"].choices = [("", _("全部")), *CertificateStatus.choices]
        self.fields["category"].choices = [("", _("全部")),
                                           *rules.OPERATION_CATEGORIES.items()]
        this_year = timezone.localdate().year
        self.fields["year"].choices = [("", _("全部"))] + [
            (y, str(y)) for y in range(this_year, 2009, -1)]

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {k: (data.get(k) or None) for k in
                ("q", "kind", "status", "category", "year", "issued_from", "issued_to",
                 "jurisdiction")}


@require_GET
@login_required
def certificate_list(request: HttpRequest) -> HttpResponse:
    _staff(request)
    form = FilterForm(request.GET or None)
    qs = sel.certificate_list(user=request.user, **form.filters()).order_by("-issued_on", "-id")
    page = Paginator(qs, settings.FAZHI_PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    rows = [(c, c.status_on(today), shown_id_number(request.user, c.holder.id_number))
            for c in page.object_list]
    context = {"form": form, "page": page, "rows": rows,
               "can_import": services.can_write_certificates(request.user)}
    template = ("licensing/certificates/partials/results.html" if _partial_only(request)
                else "licensing/certificates/list.html")
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


# --- detail, review, revoke ---------------------------------------------------------------------

class ReviewForm(forms.Form):
    renewal = forms.TypedChoiceField(
        label=gettext_lazy("类型"), coerce=lambda v: v == "1", widget=forms.Select(attrs=SELECT),
        choices=[("0", gettext_lazy("复审")), ("1", gettext_lazy("延期复审/延期"))])
    reviewed_on = forms.DateField(label=gettext_lazy("复审日期"),
                                  widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"))
    passed = forms.TypedChoiceField(
        label=gettext_lazy("结论"), coerce=lambda v: v == "1", widget=forms.Select(attrs=SELECT),
        choices=[("1", gettext_lazy("合格")), ("0", gettext_lazy("不合格"))])
    training_hours = forms.IntegerField(label=gettext_lazy("培训学时"), required=False,
                                        min_value=0, max_value=1000,
                                        widget=forms.NumberInput(attrs=TEXT))
    continuous_years_in_trade = forms.IntegerField(
        label=gettext_lazy("连续从事本工种年限"), required=False, min_value=0, max_value=60,
        widget=forms.NumberInput(attrs=TEXT))
    extension_approved = forms.BooleanField(label=gettext_lazy("同意复审时间延长至每6年1次"),
                                            required=False)
    note = forms.CharField(label=gettext_lazy("说明"), required=False, max_length=500,
                           widget=forms.TextInput(attrs=TEXT))


class RevokeForm(forms.Form):
    ground = forms.ChoiceField(label=gettext_lazy("撤销情形"),
                               choices=list(rules.REVOCATION_GROUNDS.items()),
                               widget=forms.Select(attrs=SELECT))
    reason = forms.CharField(label=gettext_lazy("撤销理由"), max_length=1000,
                             widget=forms.Textarea(attrs={**TEXT, "rows": 2}))
    revoked_on = forms.DateField(label=gettext_lazy("撤销日期"),
                                 widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"))


def _certificate_or_404(user: User, pk: int) -> Certificate:
    cert = sel.certificate_get(user=user, pk=pk)
    if cert is None:
        raise Http404(_("未找到该证书"))
    return cert


def _details(event: Event) -> list[str]:
    p = event.payload or {}
    if event.action == "certificate.reviewed":
        due, exp = p.get("review_due") or {}, p.get("expires_on") or {}
        return [_("%(r)s · %(ok)s · 应复审 %(a)s → %(b)s · 有效期 %(c)s → %(d)s") % {
            "r": p.get("reviewed_on", ""), "ok": _("合格") if p.get("passed") else _("不合格"),
            "a": due.get("from") or "—", "b": due.get("to") or "—",
            "c": exp.get("from", ""), "d": exp.get("to", "")}]
    if event.action == "certificate.revoked":
        return [rules.REVOCATION_GROUNDS.get(p.get("ground", ""), ""),
                _("理由：%(r)s") % {"r": p.get("reason", "")}]
    if event.action == "certificate.issued":
        return [_("发证日期 %(d)s%(src)s") % {
            "d": p.get("issued_on", ""), "src": _("（考试成绩导入）") if p.get("source") == "import"
            else ""}]
    return []


def _detail_context(request: HttpRequest, cert: Certificate, **forms_: Any) -> dict[str, Any]:
    user = request.user
    writer = services.can_write_certificates(user)
    today = timezone.localdate()
    payload = signing.certificate_payload(cert)
    context = {
        "cert": cert, "status": cert.status_on(today), "today": today,
        "id_number": shown_id_number(user, cert.holder.id_number),
        "number": cert.number if can_see_id_numbers(user)
        else services.mask_certificate_number(cert.number),
        "qr_svg": signing.qr_svg(payload), "payload": payload, "writer": writer,
        "reviews": list(cert.reviews.all()),
        "history": history(object_events(cert), ACTION_LABELS, _details),
        "version_watch": rules.VERSION_WATCH, "date_convention": rules.DATE_CONVENTION,
        "revocation_citation": rules.revocation_citation(cert.rule_kind),
    }
    if writer and cert.status != CertificateStatus.REVOKED:
        context["review_form"] = forms_.get("review_form") or ReviewForm(
            initial={"reviewed_on": today, "renewal": "0" if cert.kind ==
                     CertificateKind.SPECIAL_OPERATION else "1"})
        context["revoke_form"] = forms_.get("revoke_form") or RevokeForm(
            initial={"revoked_on": today})
    return context


@require_GET
@login_required
def certificate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _staff(request)
    cert = _certificate_or_404(request.user, pk)
    return render(request, "licensing/certificates/detail.html", _detail_context(request, cert))


@require_GET
@login_required
def certificate_qr(request: HttpRequest, pk: int) -> HttpResponse:
    _staff(request)
    cert = _certificate_or_404(request.user, pk)
    return HttpResponse(signing.qr_svg(signing.certificate_payload(cert), scale=6),
                        content_type="image/svg+xml")


@require_POST
@login_required
def certificate_review(request: HttpRequest, pk: int) -> HttpResponse:
    cert = _certificate_or_404(request.user, pk)
    form = ReviewForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.certificate_review(
                actor=request.user, certificate=cert, reviewed_on=data["reviewed_on"],
                passed=data["passed"], renewal=data["renewal"],
                training_hours=data["training_hours"],
                continuous_years_in_trade=data["continuous_years_in_trade"] or 0,
                extension_approved=data["extension_approved"], note=data["note"])
        except (ValidationError, PermissionDenied) as exc:
            refused(request, exc)
        else:
            messages.success(request, _("复审已登记"))
            return redirect(reverse("licensing:certificate_detail", args=[pk]) + "#reviews")
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    cert = _certificate_or_404(request.user, pk)
    return render(request, "licensing/certificates/detail.html",
                  _detail_context(request, cert, review_form=form), status=400)


@require_POST
@login_required
def certificate_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    cert = _certificate_or_404(request.user, pk)
    form = RevokeForm(request.POST)
    if form.is_valid():
        try:
            services.certificate_revoke(actor=request.user, certificate=cert,
                                        ground=form.cleaned_data["ground"],
                                        reason=form.cleaned_data["reason"],
                                        revoked_on=form.cleaned_data["revoked_on"])
        except (ValidationError, PermissionDenied) as exc:
            refused(request, exc)
        else:
            messages.success(request, _("证书已撤销"))
            return redirect("licensing:certificate_detail", pk=pk)
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    cert = _certificate_or_404(request.user, pk)
    return render(request, "licensing/certificates/detail.html",
                  _detail_context(request, cert, revoke_form=form), status=400)


# --- reminders and suspected fakes ------------------------------------------------------------

@require_GET
@login_required
def certificate_reminders(request: HttpRequest) -> HttpResponse:
    _staff(request)
    what = "expired" if request.GET.get("what") == "expired" else "due"
    try:
        within = min(max(int(request.GET.get("within_days", 60)), 1), 366)
    except ValueError:
        within = 60
    today = timezone.localdate()
    qs = (sel.certificates_expired(user=request.user, today=today) if what == "expired"
          else sel.certificates_due(user=request.user, within_days=within, today=today))
    page = Paginator(qs, settings.FAZHI_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = []
    for c in page.object_list:
        label, day = sel.due_date(c, today)
        rows.append((c, c.status_on(today), label, day, (day - today).days))
    return render(request, "licensing/certificates/reminders.html", {
        "what": what, "within": within, "page": page, "rows": rows, "today": today})


@require_GET
@login_required
def suspected_fakes(request: HttpRequest) -> HttpResponse:
    if not getattr(request.user, "is_staff_role", False):
        raise PermissionDenied(_("只有执法人员可以查看疑似假证记录"))
    page = Paginator(sel.suspected_fakes(user=request.user),
                     settings.FAZHI_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "licensing/certificates/fakes.html", {"page": page})


# --- import -----------------------------------------------------------------------------------

class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("考试成绩（.xlsx）"),
                           widget=forms.ClearableFileInput(attrs={
                               "class": "form-control", "accept": ".xlsx"}))


@require_http_methods(["GET", "POST"])
@login_required
def certificate_import(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not services.can_write_certificates(user):
        raise PermissionDenied(_("只有考核发证机关的执法人员和管理员可以导入考试成绩"))
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            data = read_xlsx_upload(upload)
        except ImportRejected as exc:
            form.add_error("file", exc.messages)
        else:
            source = CertificateImport.objects.create(
                file_name=upload.name[:255], data=data, agency=user.agency, created_by=user)
            job = job_submit(actor=user, kind="licensing.cert_import",
                             label=_("考试成绩导入发证：%(f)s") % {"f": upload.name[:100]},
                             target="fazhi.licensing.imports_certificates:run_import",
                             params={"import_id": source.pk})
            CertificateImport.objects.filter(pk=source.pk).update(job=job)
            return redirect("licensing:certificate_import_detail", pk=source.pk)
    recent = CertificateImport.objects.filter(created_by=user).select_related("job")[:10]
    return render(request, "licensing/certificates/import.html", {
        "form": form, "recent": recent, "max_mb": MAX_BYTES // 1024 // 1024},
        status=400 if form.is_bound and form.errors else 200)


@require_GET
@login_required
def certificate_import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    source = get_object_or_404(CertificateImport.objects.select_related("job"), pk=pk)
    if source.created_by_id != request.user.pk and request.user.role != "admin":
        raise Http404(_("未找到该导入"))
    job: Job | None = source.job
    return render(request, "licensing/certificates/import_detail.html", {
        "source": source, "job": job, "progress": job_progress(job) if job else None,
        "list_url": reverse("licensing:certificate_list")})


@require_GET
@login_required
def certificate_import_template(request: HttpRequest) -> HttpResponse:
    if not services.can_write_certificates(request.user):
        raise PermissionDenied(_("只有考核发证机关的执法人员和管理员可以导入考试成绩"))
    return xlsx_response(certificate_template(), _("考试成绩导入模板.xlsx"))


# --- public -----------------------------------------------------------------------------------

class VerifyForm(forms.Form):
    number = forms.CharField(label=gettext_lazy("证书编号"), max_length=40,
                             widget=forms.TextInput(attrs={
                                 "class": "form-control", "autocomplete": "off",
                                 "inputmode": "text", "placeholder": "T330402198001011234"}))
    name = forms.CharField(label=gettext_lazy("持证人姓名"), max_length=50,
                           widget=forms.TextInput(attrs={"class": "form-control",
                                                         "autocomplete": "off"}))


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """证书真伪核验: public, no login. GET with number & name works too (a QR link)."""
    from fazhi.core.ratelimit import client_address

    data = request.POST if request.method == "POST" else (
        request.GET if "number" in request.GET else None)
    form = VerifyForm(data)
    result, status = None, 200
    if form.is_bound and form.is_valid():
        try:
            result = services.public_verify(number=form.cleaned_data["number"],
                                            name=form.cleaned_data["name"],
                                            client=client_address(request))
        except services.RateLimited as exc:
            form.add_error(None, str(exc))
            status = 429
        except ValidationError as exc:
            form.add_error(None, exc.messages)
            status = 400
    elif form.is_bound:
        status = 400
    if result is not None:
        form = VerifyForm()  # the answer shows the number masked: don't echo it whole
    return render(request, "licensing/certificates/verify.html",
                  {"form": form, "result": result}, status=status)


@require_GET
def public_key(request: HttpRequest) -> HttpResponse:
    if request.GET.get("format") == "pem":
        return HttpResponse(signing.public_key_pem(), content_type="application/x-pem-file")
    return render(request, "licensing/certificates/public_key.html", {
        "pem": signing.public_key_pem(), "key_id": signing.current_key_id(),
        "raw": signing.public_key_raw_b64(), "recipe": signing.recipe()})
