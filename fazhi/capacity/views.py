"""Pages of the capacity app (法治能力建设): the overview with the report's staff rates
for any jurisdiction and day and each agency's facts; people (list with filters, detail
with roles, qualification and licences, forms for those who keep the records); study
sessions (list, detail with laws, attendance and materials, the new-session form); and
outreach (bases with visitors, works with awards, campaigns) for a year.

Reads go through the scoped selectors (outside the scope: 404). Forms appear only to
the roles that keep the records (`rules.access`); the services judge and refuse in
Chinese, nothing changed."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from fazhi.capacity import selectors, services
from fazhi.capacity.models import (
    BaseVisitCount,
    LegalQualification,
    StaffMember,
    StaffRole,
    StudySession,
)
from fazhi.capacity.rules.access import can_write
from fazhi.core.models import Jurisdiction, User
from fazhi.core.selectors import jurisdiction_get, jurisdiction_list, object_events
from fazhi.inspection.forms import add_service_errors
from fazhi.legal.models import Law
from fazhi.subjects.rules.masking import shown_id_number

DATE = forms.DateInput(attrs={"type": "date", "class": "form-control form-control-sm"},
                       format="%Y-%m-%d")
TEXT = {"class": "form-control form-control-sm"}
SELECT = {"class": "form-select form-select-sm"}
ROLE_CHOICES = [("", gettext_lazy("全部岗位")), *StaffRole.Kind.choices,
                ("public_lawyer", gettext_lazy("公职律师"))]


def _staff(request: HttpRequest) -> User:
    if not request.user.is_staff_role:
        raise PermissionDenied
    return request.user


def _day(raw: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(raw or "")
    except ValueError:
        return None


def _year(raw: str | None) -> int:
    try:
        year = int(raw or "")
    except ValueError:
        return timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


def _area(user: User, code: str | None) -> Jurisdiction:
    area = jurisdiction_get(user=user, code=code) if code else None
    area = area or user.jurisdiction
    if area is None:
        raise Http404
    return area


def _areas(user: User) -> list[Jurisdiction]:
    return list(jurisdiction_list(user=user).exclude(level=Jurisdiction.Level.TOWN)
                .exclude(level=Jurisdiction.Level.PROVINCE))


def _refused(request: HttpRequest, exc: ValidationError | PermissionDenied) -> None:
    text = "；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
    messages.error(request, text or _("无权执行此操作。"))


def _form_errors(request: HttpRequest, form: forms.Form) -> None:
    messages.error(request, "；".join(
        f"{form.fields[k].label}：{v[0]}" if k in form.fields else v[0]
        for k, v in form.errors.items()))


# --- overview ---------------------------------------------------------------------------------

@login_required
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    area = _area(user, request.GET.get("jurisdiction"))
    day = _day(request.GET.get("day")) or timezone.localdate()
    year = day.year
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    rates = selectors.staff_rates(area, day)
    return render(request, "capacity/overview.html", {
        "area": area, "areas": _areas(user), "day": day, "year": year, "rates": rates,
        "sessions": selectors.study_sessions_count(area, start, min(end, day)),
        "visitors": selectors.visitors(area, start, min(end, day)),
        "works": selectors.works(area, start, min(end, day)),
        "bases": {level: selectors.bases_count(area, day, level)
                  for level in ("provincial", "city", "county")},
        "can_write": can_write(user)})


# --- people ---------------------------------------------------------------------------------

class PersonForm(forms.Form):
    agency = forms.ModelChoiceField(label=gettext_lazy("所在机关"), queryset=None,
                                    widget=forms.Select(attrs=SELECT))
    name = forms.CharField(label=gettext_lazy("姓名"), max_length=50,
                           widget=forms.TextInput(attrs=TEXT))
    position = forms.CharField(label=gettext_lazy("职务"), max_length=50, required=False,
                               widget=forms.TextInput(attrs=TEXT))
    id_number = forms.CharField(label=gettext_lazy("身份证号"), max_length=18, required=False,
                                widget=forms.TextInput(attrs=TEXT))
    joined_on = forms.DateField(label=gettext_lazy("到岗日期"), widget=DATE)
    is_leader = forms.BooleanField(label=gettext_lazy("领导班子成员"), required=False)
    roles = forms.MultipleChoiceField(label=gettext_lazy("岗位"), choices=StaffRole.Kind.choices,
                                      required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = selectors.agency_list(user=user)


class RoleForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("岗位"), choices=StaffRole.Kind.choices,
                             widget=forms.Select(attrs=SELECT))
    start = forms.DateField(label=gettext_lazy("起始日期"), widget=DATE)


class EndForm(forms.Form):
    end = forms.DateField(label=gettext_lazy("终止日期"), widget=DATE)


class QualificationForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("类别"), choices=LegalQualification.Kind.choices,
                             widget=forms.Select(attrs=SELECT))
    certificate_number = forms.CharField(label=gettext_lazy("证书编号"), max_length=40,
                                         widget=forms.TextInput(attrs=TEXT))
    granted_on = forms.DateField(label=gettext_lazy("取得日期"), widget=DATE)


class LicenceForm(forms.Form):
    number = forms.CharField(label=gettext_lazy("公职律师证号"), max_length=40,
                             widget=forms.TextInput(attrs=TEXT))
    issued_on = forms.DateField(label=gettext_lazy("颁证日期"), widget=DATE)


class LeaveForm(forms.Form):
    left_on = forms.DateField(label=gettext_lazy("离岗日期"), widget=DATE)


@login_required
@require_GET
def person_list(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    area = _area(user, request.GET.get("jurisdiction"))
    role = request.GET.get("role", "")
    role = role if role in dict(ROLE_CHOICES) else ""
    day = _day(request.GET.get("day"))
    q = request.GET.get("q", "").strip()[:50]
    agency = None
    if request.GET.get("agency", "").isdigit():
        agency = selectors.agency_get(user=user, pk=int(request.GET["agency"]))
    rows = selectors.person_list(user=user, agency=agency, role=role, q=q, day=day).filter(
        jurisdiction_path__startswith=area.path)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    for person in page.object_list:
        person.shown_id = shown_id_number(user, person.id_number) if person.id_number else ""
    return render(request, "capacity/person_list.html", {
        "page": page, "area": area, "areas": _areas(user), "role": role, "roles": ROLE_CHOICES,
        "agency": agency,
        "day": day, "q": q, "can_write": can_write(user), "today": timezone.localdate()})


def _person_or_404(request: HttpRequest, pk: int) -> StaffMember:
    person = selectors.person_get(user=request.user, pk=pk)
    if person is None:
        raise Http404(_("未找到该人员"))
    return person


@login_required
@require_GET
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _staff(request)
    person = _person_or_404(request, pk)
    writer = can_write(user, person.jurisdiction_path)
    try:
        qualification = person.qualification
    except LegalQualification.DoesNotExist:
        qualification = None
    return render(request, "capacity/person_detail.html", {
        "person": person, "qualification": qualification, "can_write": writer,
        "shown_id": shown_id_number(user, person.id_number) if person.id_number else "",
        "role_form": RoleForm() if writer else None, "end_form": EndForm() if writer else None,
        "qualification_form": QualificationForm() if writer else None,
        "licence_form": LicenceForm() if writer else None,
        "leave_form": LeaveForm() if writer and not person.left_on else None,
        "events": object_events(person), "today": timezone.localdate()})


@login_required
@require_http_methods(["GET", "POST"])
def person_create(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    if not can_write(user):
        raise PermissionDenied
    form = PersonForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person = services.person_create(
                actor=user, agency=data["agency"], name=data["name"],
                joined_on=data["joined_on"], id_number=data["id_number"],
                position=data["position"], is_leader=data["is_leader"], roles=data["roles"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("人员已登记。"))
            return redirect("capacity:person_detail", pk=person.pk)
    return render(request, "capacity/person_form.html", {"form": form})


@login_required
@require_POST
def person_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user = _staff(request)
    person = _person_or_404(request, pk)
    form_class = {"role": RoleForm, "qualification": QualificationForm, "licence": LicenceForm,
                  "leave": LeaveForm, "end_role": EndForm, "revoke": EndForm}.get(action)
    if form_class is None:
        raise Http404
    form = form_class(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("capacity:person_detail", pk=person.pk)
    data = form.cleaned_data
    try:
        if action == "role":
            services.role_add(actor=user, person=person, kind=data["kind"], start=data["start"])
        elif action == "qualification":
            services.qualification_set(actor=user, person=person, kind=data["kind"],
                                       certificate_number=data["certificate_number"],
                                       granted_on=data["granted_on"])
        elif action == "licence":
            services.licence_add(actor=user, person=person, number=data["number"],
                                 issued_on=data["issued_on"])
        elif action == "leave":
            services.person_update(actor=user, person=person, left_on=data["left_on"])
        elif action == "end_role":
            role = person.roles.filter(pk=request.POST.get("role")).first()
            if role is None:
                raise Http404
            services.role_end(actor=user, role=role, end=data["end"])
        else:
            licence = person.lawyer_licences.filter(pk=request.POST.get("licence")).first()
            if licence is None:
                raise Http404
            services.licence_revoke(actor=user, licence=licence, on=data["end"])
        messages.success(request, _("已保存。"))
    except (ValidationError, PermissionDenied) as exc:
        _refused(request, exc)
    return redirect("capacity:person_detail", pk=person.pk)


# --- study -----------------------------------------------------------------------------------

class StudyForm(forms.Form):
    agency = forms.ModelChoiceField(label=gettext_lazy("组织机关"), queryset=None,
                                    widget=forms.Select(attrs=SELECT))
    date = forms.DateField(label=gettext_lazy("日期"), widget=DATE)
    form = forms.ChoiceField(label=gettext_lazy("形式"), choices=StudySession.Form.choices,
                             widget=forms.Select(attrs=SELECT))
    topic = forms.CharField(label=gettext_lazy("主题"), max_length=200,
                            widget=forms.TextInput(attrs=TEXT))
    speaker = forms.CharField(label=gettext_lazy("主讲人"), max_length=50, required=False,
                              widget=forms.TextInput(attrs=TEXT))
    laws = forms.ModelMultipleChoiceField(
        label=gettext_lazy("学习的法律法规"), required=False,
        queryset=Law.objects.filter(repealed__isnull=True).order_by("name"),
        widget=forms.SelectMultiple(attrs={**SELECT, "size": 6}))
    laws_text = forms.CharField(label=gettext_lazy("其他学习内容"), max_length=300,
                                required=False, widget=forms.TextInput(attrs=TEXT))
    present = forms.ModelMultipleChoiceField(
        label=gettext_lazy("出席人员"), required=False, queryset=None,
        widget=forms.SelectMultiple(attrs={**SELECT, "size": 8}))
    material = forms.FileField(label=gettext_lazy("学习材料"), required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = selectors.agency_list(user=user)
        self.fields["present"].queryset = selectors.person_list(user=user).filter(
            left_on__isnull=True)


@login_required
@require_GET
def study_list(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    year = _year(request.GET.get("year"))
    rows = selectors.study_list(user=user, year=year)
    own = request.GET.get("own", "")
    if own:
        rows = rows.filter(agency__jurisdiction__code=own)
    page = Paginator(rows.order_by("-date", "-pk"), 60).get_page(request.GET.get("page"))
    labels = dict(StudySession.Form.choices)
    by_form = [(labels.get(row["form"], row["form"]), row["n"]) for row in
               StudySession.objects.filter(pk__in=rows.values("pk")).values("form")
               .annotate(n=Count("id"))
               .order_by("-n")]
    return render(request, "capacity/study_list.html", {
        "page": page, "year": year, "own": own, "by_form": by_form,
        "exams": selectors.exam_list(user=user, year=year),
        "can_write": can_write(user), "years": range(timezone.localdate().year, 2019, -1)})


@login_required
@require_GET
def study_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _staff(request)
    session = selectors.study_get(user=request.user, pk=pk)
    if session is None:
        raise Http404(_("未找到该学法活动"))
    attendances = list(session.attendances.select_related("person").order_by(
        "-person__is_leader", "person__name"))
    leaders = [a for a in attendances if a.person.is_leader]
    return render(request, "capacity/study_detail.html", {
        "session": session, "attendances": attendances,
        "leaders_present": sum(1 for a in leaders if a.present), "leaders": len(leaders)})


@login_required
@require_http_methods(["GET", "POST"])
def study_create(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    if not can_write(user):
        raise PermissionDenied
    form = StudyForm(request.POST or None, request.FILES or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            session = services.study_session_create(
                actor=user, agency=data["agency"], date=data["date"], form=data["form"],
                topic=data["topic"], speaker=data["speaker"], laws=data["laws"],
                laws_text=data["laws_text"], present=data["present"])
            if data["material"]:
                services.study_material_add(actor=user, session=session,
                                            title=data["material"].name,
                                            name=data["material"].name,
                                            data=data["material"].read())
        except ValidationError as exc:
            form.add_error(None, list(exc.messages))
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("学法活动已登记。"))
            return redirect("capacity:study_detail", pk=session.pk)
    return render(request, "capacity/study_form.html", {"form": form})


# --- outreach --------------------------------------------------------------------------------

@login_required
@require_GET
def outreach(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    year = _year(request.GET.get("year"))
    bases = list(selectors.base_list(user=user))
    visits = dict(BaseVisitCount.objects.filter(base__in=bases, month__year=year)
                  .values("base_id").annotate(n=Sum("visitors")).values_list("base_id", "n"))
    for base in bases:
        base.year_visitors = visits.get(base.pk, 0)
    works = list(selectors.work_list(user=user, year=year))
    return render(request, "capacity/outreach.html", {
        "year": year, "bases": bases, "visitors": sum(visits.values()), "works": works,
        "awarded": sum(1 for w in works if any(a.level == "national" for a in w.awards.all())),
        "campaigns": selectors.campaign_list(user=user, year=year),
        "years": range(timezone.localdate().year, 2019, -1)})

