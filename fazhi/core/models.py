"""Core data: jurisdictions (行政区划), agencies (执法机关), users and roles, enforcement
certificates (执法证), the working-day calendar, the event record (执法全过程记录) and
document-number counters (文号)."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def yuan_field(verbose: str, *, max_digits: int = 14, **kwargs) -> models.DecimalField:
    """Money in yuan to the fen (Decimal, never float)."""
    return models.DecimalField(verbose, max_digits=max_digits, decimal_places=2, **kwargs)


class Jurisdiction(models.Model):
    """A node of the 行政区划 tree, coded after GB/T 2260 (towns: 9-digit statistical codes).

    `path` is the chain of codes from the root ("330000/330400/330402/"): scoping a
    query to a jurisdiction and everything below it is one indexed prefix match.
    """

    class Level(models.TextChoices):
        PROVINCE = "province", _("省")
        CITY = "city", _("市")
        COUNTY = "county", _("县（市、区）")
        ZONE = "zone", _("功能区")
        TOWN = "town", _("镇（街道）")

    code = models.CharField(_("区划代码"), max_length=12, unique=True)
    name = models.CharField(_("名称"), max_length=50)
    level = models.CharField(_("层级"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=255, unique=True, editable=False)

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.path = f"{self.parent.path if self.parent else ''}{self.code}/"
        super().save(*args, **kwargs)

    def contains(self, other: Jurisdiction) -> bool:
        """True when `other` is this jurisdiction or lies below it."""
        return other.path.startswith(self.path)


class Agency(models.Model):
    """An enforcement agency (执法机关): the city bureau, a county bureau, or a town
    应急消防管理站 exercising delegated powers."""

    class Kind(models.TextChoices):
        CITY_BUREAU = "city_bureau", _("市应急管理局")
        COUNTY_BUREAU = "county_bureau", _("县（市、区）应急管理局")
        TOWN_STATION = "town_station", _("镇（街道）应急消防管理站")

    name = models.CharField(_("名称"), max_length=100, unique=True)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    jurisdiction = models.ForeignKey(
        Jurisdiction, verbose_name=_("辖区"), on_delete=models.PROTECT, related_name="agencies"
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("上级机关"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="children",
    )
    # The agency's abbreviation in document numbers, e.g. 嘉应急 in 嘉应急罚〔2024〕12号.
    doc_prefix = models.CharField(_("文号机关代字"), max_length=20)
    delegated = models.BooleanField(
        _("受委托/赋权执法"), default=False,
        help_text=_("镇（街道）依委托或赋权行使部分行政执法权"),
    )

    class Meta:
        verbose_name = _("执法机关")
        verbose_name_plural = _("执法机关")
        ordering = ["jurisdiction__code", "name"]

    def __str__(self) -> str:
        return self.name


class Department(models.Model):
    """A department (处室 / 科室) of an agency."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("执法机关"), on_delete=models.PROTECT, related_name="departments"
    )
    name = models.CharField(_("名称"), max_length=100)

    class Meta:
        verbose_name = _("处室")
        verbose_name_plural = _("处室")
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="department_unique_name")
        ]

    def __str__(self) -> str:
        return f"{self.agency.name}{self.name}"


class Role(models.TextChoices):
    OFFICER = "officer", _("执法人员")
    LEADER = "leader", _("负责人")
    REVIEWER = "reviewer", _("法制审核员")
    ADMIN = "admin", _("管理员")
    ENTERPRISE = "enterprise", _("企业")
    SUPERVISOR = "supervisor", _("社会监督员")


class User(AbstractUser):
    """A person who logs in. Staff roles belong to an agency; an enterprise user to
    one enterprise; a social supervisor to the jurisdiction they oversee."""

    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    full_name = models.CharField(_("姓名"), max_length=50, blank=True)
    agency = models.ForeignKey(
        Agency, verbose_name=_("执法机关"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="users",
    )
    department = models.ForeignKey(
        Department, verbose_name=_("处室"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="users",
    )
    enterprise = models.ForeignKey(
        "subjects.Enterprise", verbose_name=_("所属企业"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="users",
    )
    supervised_jurisdiction = models.ForeignKey(
        Jurisdiction, verbose_name=_("监督辖区"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="supervisors",
    )
    phone = models.CharField(_("手机号"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        constraints = [
            models.CheckConstraint(
                name="user_enterprise_role_has_enterprise",
                condition=~models.Q(role="enterprise") | models.Q(enterprise__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    @property
    def jurisdiction(self) -> Jurisdiction | None:
        """The jurisdiction whose data this user may read (None: nothing)."""
        if self.role == Role.ENTERPRISE:
            return None  # enterprise users are scoped to their enterprise, not an area
        if self.role == Role.SUPERVISOR:
            return self.supervised_jurisdiction
        return self.agency.jurisdiction if self.agency_id else None

    @property
    def is_staff_role(self) -> bool:
        return self.role in {Role.OFFICER, Role.LEADER, Role.REVIEWER, Role.ADMIN}


class EnforcementCertificate(models.Model):
    """An officer's enforcement certificate (行政执法证). Only an officer holding a valid
    certificate may be assigned enforcement work (《行政处罚法》第四十二条)."""

    holder = models.ForeignKey(
        User, verbose_name=_("持证人"), on_delete=models.PROTECT, related_name="certificates"
    )
    number = models.CharField(_("执法证号"), max_length=30, unique=True)
    valid_from = models.DateField(_("有效期起"))
    valid_to = models.DateField(_("有效期止"))
    issuer = models.CharField(_("发证机关"), max_length=100, default="浙江省人民政府")
    revoked_at = models.DateTimeField(_("注销时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("执法证")
        verbose_name_plural = _("执法证")
        constraints = [
            models.CheckConstraint(
                name="certificate_valid_range",
                condition=models.Q(valid_to__gte=models.F("valid_from")),
            )
        ]

    def __str__(self) -> str:
        return self.number

    def is_valid_on(self, day: datetime.date) -> bool:
        return self.revoked_at is None and self.valid_from <= day <= self.valid_to


class CalendarYear(models.Model):
    """A year whose official holiday schedule (国务院办公厅放假安排) is loaded.

    Working-day arithmetic that reaches a year without a row here falls back to
    weekends only and says so."""

    class Source(models.TextChoices):
        PACKAGE = "chinese_calendar", _("chinese-calendar 数据包")
        ADMIN = "admin", _("管理员录入")

    year = models.PositiveIntegerField(_("年度"), unique=True)
    source = models.CharField(_("来源"), max_length=20, choices=Source.choices)
    loaded_at = models.DateTimeField(_("载入时间"), default=timezone.now)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("节假日安排年度")
        verbose_name_plural = _("节假日安排年度")
        ordering = ["year"]

    def __str__(self) -> str:
        return str(self.year)


class CalendarDay(models.Model):
    """A day that differs from the Monday–Friday rule: a public holiday (休) on a
    weekday, or an adjusted working day (班) on a weekend."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("休息日")
        WORKDAY = "workday", _("调休上班")

    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("节日"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("节假日调整")
        verbose_name_plural = _("节假日调整")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()}"


class EventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("执法全过程记录只可追加，不可修改")

    def delete(self):
        raise PermissionError("执法全过程记录只可追加，不可删除")


class Event(models.Model):
    """One entry of the append-only, hash-chained event record (执法全过程记录).

    Written by `core.services.events.record_event` in the transaction of the change it
    records. `seq` is a gap-free global sequence; `prev_hash` is the hash of the
    previous event of the same object; `hash` covers every field and `prev_hash`.
    """

    seq = models.BigIntegerField(unique=True, editable=False)
    at = models.DateTimeField(default=timezone.now, editable=False)
    actor = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    actor_name = models.CharField(max_length=150, blank=True, editable=False)
    object_type = models.CharField(max_length=60, editable=False)  # "app_label.model"
    object_id = models.CharField(max_length=64, editable=False)
    action = models.CharField(max_length=60, editable=False)
    payload = models.JSONField(default=dict, editable=False)
    prev_hash = models.CharField(max_length=64, blank=True, editable=False)
    hash = models.CharField(max_length=64, editable=False)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("执法全过程记录")
        verbose_name_plural = _("执法全过程记录")
        ordering = ["seq"]
        indexes = [models.Index(fields=["object_type", "object_id", "seq"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.object_type}:{self.object_id} {self.action}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise PermissionError("执法全过程记录只可追加，不可修改")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("执法全过程记录只可追加，不可删除")


class EventChainHead(models.Model):
    """The newest event of each object, and the global head (object_type ""), kept in
    the same transaction as the events: deleting the latest event of an object, or
    the latest event overall, leaves a head pointing at a missing event."""

    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=64)
    last_seq = models.BigIntegerField()
    last_hash = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["object_type", "object_id"], name="event_head_unique")
        ]

    def __str__(self) -> str:
        return f"{self.object_type}:{self.object_id} → #{self.last_seq}"


class DocumentCounter(models.Model):
    """The last document number (文号) issued per agency, document type and year.

    Allocation locks this row inside the caller's transaction, so numbers are
    gap-free: a rolled-back document returns its number."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    doc_type = models.CharField(max_length=30)
    year = models.PositiveIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("文号计数")
        verbose_name_plural = _("文号计数")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "doc_type", "year"], name="document_counter_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.doc_type}/{self.year}: {self.last_number}"


class ApiToken(models.Model):
    """A bearer token for the JSON API. Only the SHA-256 of the token is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")

    def __str__(self) -> str:
        return f"{self.user} {self.created_at:%Y-%m-%d}"


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("进行中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


class Job(models.Model):
    """A background job (后台任务): a long import or a batch run, with its progress.

    Run by `fazhi.core.jobs`; the row is what the progress bar polls."""

    id = models.UUIDField(primary_key=True, editable=False)
    kind = models.CharField(_("类型"), max_length=60)
    label = models.CharField(_("名称"), max_length=200)
    target = models.CharField(max_length=200)  # "module:function"
    params = models.JSONField(default=dict, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=JobStatus.choices,
                              default=JobStatus.QUEUED)
    total = models.PositiveIntegerField(_("总数"), default=0)
    done = models.PositiveIntegerField(_("已处理"), default=0)
    message = models.CharField(_("说明"), max_length=500, blank=True)
    result = models.JSONField(default=dict, blank=True)
    error = models.TextField(_("错误"), blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="jobs",
                                   null=True, blank=True)
    created_at = models.DateTimeField(_("提交时间"), default=timezone.now)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("后台任务")
        verbose_name_plural = _("后台任务")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["kind", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.label}（{self.get_status_display()}）"

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    @property
    def stalled(self) -> bool:
        """Running without a sign of life for 10 minutes: the process that ran it has
        gone (a restart); shown as 中断 so nobody waits for it."""
        if self.status not in (JobStatus.QUEUED, JobStatus.RUNNING):
            return False
        last = self.heartbeat_at or self.created_at
        return timezone.now() - last > datetime.timedelta(minutes=10)
