import datetime

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from fazhi.core import models
from fazhi.core.admin_events import EventRecordingAdmin
from fazhi.core.rules.calendar import (
    ScheduleParseError,
    day_problem,
    parse_year_schedule,
)
from fazhi.core.services.calendar import (
    MAX_YEAR,
    MIN_YEAR,
    calendar_day_remove,
    calendar_day_set,
    calendar_year_load,
)


@admin.register(models.Jurisdiction)
class JurisdictionAdmin(EventRecordingAdmin):
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]


class DepartmentInline(admin.TabularInline):
    model = models.Department
    extra = 0


@admin.register(models.Agency)
class AgencyAdmin(EventRecordingAdmin):
    list_display = ["name", "kind", "jurisdiction", "doc_prefix", "delegated"]
    list_filter = ["kind"]
    search_fields = ["name"]
    inlines = [DepartmentInline]


class CertificateInline(admin.TabularInline):
    model = models.EnforcementCertificate
    fk_name = "holder"
    extra = 0


@admin.register(models.User)
class UserAdmin(EventRecordingAdmin, DjangoUserAdmin):
    list_display = ["username", "full_name", "role", "agency", "is_active"]
    list_filter = ["role", "agency"]
    search_fields = ["username", "full_name"]
    autocomplete_fields = ["enterprise"]
    fieldsets = [
        *DjangoUserAdmin.fieldsets,
        (_("平台身份"), {"fields": ["role", "full_name", "phone", "agency", "department",
                                    "enterprise", "supervised_jurisdiction"]}),
    ]
    add_fieldsets = [
        *DjangoUserAdmin.add_fieldsets,
        (_("平台身份"), {"fields": ["role", "full_name", "agency", "department", "enterprise",
                                    "supervised_jurisdiction"]}),
    ]
    inlines = [CertificateInline]


@admin.register(models.Event)
class EventAdmin(admin.ModelAdmin):
    """Read-only: the event record is append-only."""

    list_display = ["seq", "at", "actor_name", "object_type", "object_id", "action"]
    list_filter = ["object_type", "action"]
    search_fields = ["object_id", "actor_name"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


# --- Working-day calendar (工作日历) ------------------------------------------------
# Every write goes through fazhi.core.services.calendar, which validates the schedule
# and writes the event record; the admin only collects input.




_WEEKDAYS = ("一", "二", "三", "四", "五", "六", "日")
CALENDAR_LOAD_PERMISSION = "core.add_calendaryear"


class CalendarYearLoadForm(forms.Form):
    """载入年度节假日安排: the State Council notice, one day (or holiday range) a line."""

    year = forms.IntegerField(label=_("年度"), min_value=MIN_YEAR, max_value=MAX_YEAR)
    schedule = forms.CharField(
        label=_("节假日安排"),
        widget=forms.Textarea(attrs={"rows": 18, "cols": 60, "spellcheck": "false"}),
        help_text=_("每行一日：日期、“休”或“班”、节日名称，例如“2027-01-01 休 元旦”、"
                    "“2027-02-07 班 春节”；放假区间可写作“2027-10-01至2027-10-07 休 国庆节”"
                    "（区间内的周末自动略过）。只需登记周一至周五的放假日和调休上班的周末。"),
    )
    note = forms.CharField(label=_("说明"), max_length=200, required=False,
                           help_text=_("例如：国办发明电〔2026〕×号"))

    def clean(self) -> dict:
        data = super().clean()
        year, text = data.get("year"), data.get("schedule")
        if year is not None and text:
            try:
                data["days"] = parse_year_schedule(year, text)
            except ScheduleParseError as exc:
                raise ValidationError(exc.errors) from exc
        return data


@admin.register(models.CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    """Loaded years, read-only: a year is (re)loaded as a whole through the load view."""

    list_display = ["year", "source", "holiday_count", "workday_count", "loaded_at", "note"]
    list_filter = ["source"]
    fields = ["year", "source", "loaded_at", "note", "days_table"]
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # an empty year would silently claim "no holidays": use the load view

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def _days(self, obj: models.CalendarYear):
        return models.CalendarDay.objects.filter(date__year=obj.year).order_by("date")

    @admin.display(description=_("放假日（工作日）"))
    def holiday_count(self, obj: models.CalendarYear) -> int:
        return self._days(obj).filter(kind=models.CalendarDay.Kind.HOLIDAY).count()

    @admin.display(description=_("调休上班日"))
    def workday_count(self, obj: models.CalendarYear) -> int:
        return self._days(obj).filter(kind=models.CalendarDay.Kind.WORKDAY).count()

    @admin.display(description=_("节假日调整"))
    def days_table(self, obj: models.CalendarYear) -> str:
        rows = format_html_join(
            "", "<tr><td>{}</td><td>星期{}</td><td>{}</td><td>{}</td></tr>",
            ((d.date.isoformat(), _WEEKDAYS[d.date.weekday()], d.get_kind_display(), d.name)
             for d in self._days(obj)),
        )
        return format_html(
            '<table data-testid="calendar-days"><thead><tr><th>{}</th><th>{}</th>'
            "<th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody></table>",
            _("日期"), _("星期"), _("类型"), _("节日"), rows,
        )

    def get_urls(self):
        return [
            path("load/", self.admin_site.admin_view(self.load_view),
                 name="core_calendaryear_load"),
            *super().get_urls(),
        ]

    def changelist_view(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        extra_context = {**(extra_context or {}),
                         "can_load_calendar": request.user.has_perm(CALENDAR_LOAD_PERMISSION)}
        return super().changelist_view(request, extra_context)

    def load_view(self, request: HttpRequest) -> HttpResponse:
        if not request.user.has_perm(CALENDAR_LOAD_PERMISSION):
            raise PermissionDenied
        if request.method == "POST":
            form = CalendarYearLoadForm(request.POST)
            if form.is_valid():
                year = form.cleaned_data["year"]
                try:
                    calendar_year = calendar_year_load(
                        actor=request.user, year=year, days=form.cleaned_data["days"],
                        source=models.CalendarYear.Source.ADMIN,
                        note=form.cleaned_data["note"],
                    )
                except ValidationError as exc:
                    form.add_error(None, exc)
                else:
                    messages.success(request, _("已载入%(year)s年节假日安排。") % {"year": year})
                    return redirect(reverse("admin:core_calendaryear_change",
                                            args=[calendar_year.pk]))
        else:
            try:
                initial_year = int(request.GET.get("year", ""))
            except ValueError:
                initial_year = timezone.localdate().year + 1
            form = CalendarYearLoadForm(initial={"year": initial_year})
        loaded = set(models.CalendarYear.objects.values_list("year", flat=True))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("载入年度节假日安排"),
            "form": form,
            "loaded_years": sorted(loaded),
        }
        return TemplateResponse(request, "admin/core/calendaryear/load_year.html", context)


class CalendarDayForm(forms.ModelForm):
    class Meta:
        model = models.CalendarDay
        fields = ["date", "kind", "name"]

    def clean(self) -> dict:
        data = super().clean()
        day: datetime.date | None = data.get("date") or (
            self.instance.date if self.instance.pk else None)
        kind = data.get("kind")
        if day and kind:
            if problem := day_problem(day.year, day, kind):
                raise ValidationError(problem)
            if not models.CalendarYear.objects.filter(year=day.year).exists():
                raise ValidationError(
                    _("尚未载入%(year)s年节假日安排，请先载入全年安排，再修改单日")
                    % {"year": day.year})
        return data

    def validate_unique(self) -> None:
        pass  # the service updates the existing row of a date instead of failing


@admin.register(models.CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    """Single-day corrections of a loaded year, through the calendar services."""

    form = CalendarDayForm
    list_display = ["date", "weekday", "kind", "name"]
    list_filter = ["kind"]
    date_hierarchy = "date"
    search_fields = ["name"]

    @admin.display(description=_("星期"))
    def weekday(self, obj: models.CalendarDay) -> str:
        return f"星期{_WEEKDAYS[obj.date.weekday()]}"

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        return ["date"] if obj is not None else []

    def save_model(self, request: HttpRequest, obj, form, change: bool) -> None:
        row = calendar_day_set(actor=request.user, day=obj.date, kind=obj.kind, name=obj.name)
        obj.pk = row.pk  # the admin logs and redirects with the saved row

    def delete_model(self, request: HttpRequest, obj) -> None:
        calendar_day_remove(actor=request.user, day=obj.date)

    def delete_queryset(self, request: HttpRequest, queryset) -> None:
        with transaction.atomic():
            for row in queryset:
                calendar_day_remove(actor=request.user, day=row.date)
