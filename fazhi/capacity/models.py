"""Tables of the capacity app (法治能力建设): the agencies' legal units (法制机构) and
their standing in the report's rates, the people doing legal work with their roles,
legal qualifications (法律职业资格) and public-lawyer licences (公职律师证), external
legal advisers (常年法律顾问); study sessions (集中学法) with attendance, materials and
exams; outreach (普法): bases with their visitor counts, works with awards, campaigns.

Everything that a rate counts "as of" a day carries the dates that decide it (a role's
start and end, a qualification's grant date, a licence's validity, a unit's setup and
dissolution), so a rate can be recomputed for any past day from the records.
"""

from __future__ import annotations

import datetime
import hashlib

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from fazhi.core.models import Agency, Department, Jurisdiction, User


def _ends_after(start: str, end: str, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        name=name, condition=Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": F(start)}))


def active_on(day: datetime.date, start: str = "start", end: str = "end") -> Q:
    """Rows whose [start, end) interval holds `day` (end None: still running; the end
    day itself no longer counts: a role ended on 1 July is not held on 1 July)."""
    return Q(**{f"{start}__lte": day}) & (Q(**{f"{end}__isnull": True})
                                          | Q(**{f"{end}__gt": day}))


# --- agencies ------------------------------------------------------------------------------

class AgencyProfile(models.Model):
    """What the capacity rates need to know about an agency beyond core's `Agency`.

    `lawyer_coverage_exempt`: the report computes public-lawyer coverage "经开、港区除外":
    the functional zones' bureaus (功能区) are left out of that rate. Kept as data on the
    agency (set by whoever maintains the agencies), never as names in code."""

    agency = models.OneToOneField(Agency, verbose_name=_("执法机关"), on_delete=models.CASCADE,
                                  related_name="capacity_profile")
    lawyer_coverage_exempt = models.BooleanField(
        _("不计入公职律师覆盖率"), default=False,
        help_text=_("功能区（如经开区、港区）应急管理部门按报告口径不计入公职律师覆盖率"))
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("机关法治建设档案")
        verbose_name_plural = _("机关法治建设档案")

    def __str__(self) -> str:
        return str(self.agency)


class LegalUnit(models.Model):
    """An agency's legal unit (法制机构): a separate office, or a department designated
    to do the legal work. In place from `established_on` until `dissolved_on`."""

    class Form(models.TextChoices):
        SEPARATE = "separate", _("单独设置")
        DESIGNATED = "designated", _("明确科室承担")

    agency = models.ForeignKey(Agency, verbose_name=_("执法机关"), on_delete=models.PROTECT,
                               related_name="legal_units")
    department = models.ForeignKey(Department, verbose_name=_("承担处室"), null=True,
                                   blank=True, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("名称"), max_length=100)
    form = models.CharField(_("设置方式"), max_length=20, choices=Form.choices)
    established_on = models.DateField(_("设立日期"))
    dissolved_on = models.DateField(_("撤销日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("法制机构")
        verbose_name_plural = _("法制机构")
        ordering = ["agency__jurisdiction__code", "established_on"]
        constraints = [_ends_after("established_on", "dissolved_on", "legalunit_dates")]

    def __str__(self) -> str:
        return f"{self.agency.name}{self.name}"

    def clean(self) -> None:
        if self.department_id and self.agency_id and self.department.agency_id != self.agency_id:
            raise ValidationError({"department": _("承担处室须属于本机关")})
        if self.dissolved_on and self.established_on and self.dissolved_on < self.established_on:
            raise ValidationError({"dissolved_on": _("撤销日期不能早于设立日期")})


# --- people --------------------------------------------------------------------------------

class StaffMember(models.Model):
    """A person doing legal work in an agency (法治工作人员), with or without a login.

    `id_number` (居民身份证号) is shown masked unless the viewer's role needs it
    (`fazhi.subjects.rules.masking`). `jurisdiction_path` copies the agency's, so the
    scoped lists are one prefix match."""

    agency = models.ForeignKey(Agency, verbose_name=_("所在机关"), on_delete=models.PROTECT,
                               related_name="staff_members")
    department = models.ForeignKey(Department, verbose_name=_("处室"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    user = models.OneToOneField(User, verbose_name=_("系统账号"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="staff_member")
    name = models.CharField(_("姓名"), max_length=50)
    id_number = models.CharField(_("身份证号"), max_length=18, blank=True)
    position = models.CharField(_("职务"), max_length=50, blank=True)
    is_leader = models.BooleanField(_("领导班子成员"), default=False)
    joined_on = models.DateField(_("到岗日期"))
    left_on = models.DateField(_("离岗日期"), null=True, blank=True)
    jurisdiction_path = models.CharField(max_length=255, editable=False, db_index=True)

    class Meta:
        verbose_name = _("法治工作人员")
        verbose_name_plural = _("法治工作人员")
        ordering = ["agency__jurisdiction__code", "name", "pk"]
        constraints = [_ends_after("joined_on", "left_on", "staffmember_dates")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.jurisdiction_path = self.agency.jurisdiction.path
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if self.department_id and self.agency_id and self.department.agency_id != self.agency_id:
            raise ValidationError({"department": _("处室须属于所在机关")})


class StaffRole(models.Model):
    """A role a person holds from `start` until `end` (法制审核员, 执法人员 ...). Being a
    public lawyer (公职律师) is the licence (`PublicLawyerLicence`), not a role row."""

    class Kind(models.TextChoices):
        REVIEWER = "reviewer", _("法制审核员")
        OFFICER = "officer", _("执法人员")
        UNIT_HEAD = "unit_head", _("法制机构负责人")
        LEGAL_STAFF = "legal_staff", _("法制工作人员")

    person = models.ForeignKey(StaffMember, verbose_name=_("人员"), on_delete=models.CASCADE,
                               related_name="roles")
    kind = models.CharField(_("岗位"), max_length=20, choices=Kind.choices)
    start = models.DateField(_("起始日期"))
    end = models.DateField(_("终止日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("岗位")
        verbose_name_plural = _("岗位")
        ordering = ["person", "start"]
        constraints = [_ends_after("start", "end", "staffrole_dates")]

    def __str__(self) -> str:
        return f"{self.person.name} {self.get_kind_display()}"


class LegalQualification(models.Model):
    """法律职业资格 (or the earlier 律师资格 / 司法考试 certificate): number and date."""

    class Kind(models.TextChoices):
        A = "A", _("法律职业资格证书（A类）")
        B = "B", _("法律职业资格证书（B类）")
        C = "C", _("法律职业资格证书（C类）")
        LEGACY = "legacy", _("律师资格/国家司法考试合格证书")

    person = models.OneToOneField(StaffMember, verbose_name=_("人员"), on_delete=models.CASCADE,
                                  related_name="qualification")
    kind = models.CharField(_("类别"), max_length=10, choices=Kind.choices, default=Kind.A)
    certificate_number = models.CharField(_("证书编号"), max_length=40, unique=True)
    granted_on = models.DateField(_("取得日期"))

    class Meta:
        verbose_name = _("法律职业资格")
        verbose_name_plural = _("法律职业资格")

    def __str__(self) -> str:
        return self.certificate_number


class PublicLawyerLicence(models.Model):
    """公职律师证: the person is a public lawyer while the licence is valid."""

    person = models.ForeignKey(StaffMember, verbose_name=_("人员"), on_delete=models.CASCADE,
                               related_name="lawyer_licences")
    number = models.CharField(_("执业证号"), max_length=40, unique=True)
    issued_on = models.DateField(_("颁证日期"))
    revoked_on = models.DateField(_("注销日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("公职律师证")
        verbose_name_plural = _("公职律师证")
        ordering = ["issued_on"]
        constraints = [_ends_after("issued_on", "revoked_on", "lawyerlicence_dates")]

    def __str__(self) -> str:
        return self.number


class LegalAdviser(models.Model):
    """An external legal adviser (常年法律顾问) retained by an agency for a contract
    period."""

    agency = models.ForeignKey(Agency, verbose_name=_("聘请机关"), on_delete=models.PROTECT,
                               related_name="legal_advisers")
    name = models.CharField(_("顾问（律师）姓名"), max_length=50)
    law_firm = models.CharField(_("律师事务所"), max_length=100)
    contract_start = models.DateField(_("聘期起"))
    contract_end = models.DateField(_("聘期止"))

    class Meta:
        verbose_name = _("常年法律顾问")
        verbose_name_plural = _("常年法律顾问")
        ordering = ["-contract_start"]
        constraints = [models.CheckConstraint(
            name="adviser_contract_range", condition=Q(contract_end__gte=F("contract_start")))]

    def __str__(self) -> str:
        return f"{self.name}（{self.law_firm}）"

    def clean(self) -> None:
        if self.contract_start and self.contract_end and self.contract_end < self.contract_start:
            raise ValidationError({"contract_end": _("聘期止不能早于聘期起")})


# --- study and training ---------------------------------------------------------------------

class StudySession(models.Model):
    """A study session (集中学法) or a training."""

    class Form(models.TextChoices):
        CENTRAL_GROUP = "central_group", _("党委理论学习中心组学法")
        WEDNESDAY = "wednesday", _("周三夜学")
        YOUTH = "youth", _("青年讲堂")
        MEETING = "meeting", _("局务会会前学法")
        TRAINING = "training", _("培训")
        LECTURE = "lecture", _("专题讲座")
        OTHER = "other", _("其他")

    agency = models.ForeignKey(Agency, verbose_name=_("组织机关"), on_delete=models.PROTECT,
                               related_name="study_sessions")
    date = models.DateField(_("日期"))
    form = models.CharField(_("形式"), max_length=20, choices=Form.choices)
    topic = models.CharField(_("主题"), max_length=200)
    speaker = models.CharField(_("主讲人"), max_length=50, blank=True)
    laws = models.ManyToManyField("legal.Law", verbose_name=_("学习的法律法规"), blank=True,
                                  related_name="study_sessions")
    laws_text = models.CharField(_("其他学习内容"), max_length=300, blank=True,
                                 help_text=_("法律法规库中没有的学习内容"))
    jurisdiction_path = models.CharField(max_length=255, editable=False, db_index=True)

    class Meta:
        verbose_name = _("学法活动")
        verbose_name_plural = _("学法活动")
        ordering = ["-date", "-pk"]
        constraints = [models.UniqueConstraint(fields=["agency", "date", "topic"],
                                               name="studysession_unique")]

    def __str__(self) -> str:
        return f"{self.date} {self.topic}"

    def save(self, *args, **kwargs) -> None:
        self.jurisdiction_path = self.agency.jurisdiction.path
        super().save(*args, **kwargs)


class StudyAttendance(models.Model):
    """Who was expected at a session, and whether they came (leaders' attendance)."""

    session = models.ForeignKey(StudySession, on_delete=models.CASCADE,
                                related_name="attendances")
    person = models.ForeignKey(StaffMember, verbose_name=_("人员"), on_delete=models.CASCADE,
                               related_name="attendances")
    present = models.BooleanField(_("出席"), default=True)
    absence_reason = models.CharField(_("缺席原因"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("参学人员")
        verbose_name_plural = _("参学人员")
        constraints = [models.UniqueConstraint(fields=["session", "person"],
                                               name="attendance_unique")]

    def __str__(self) -> str:
        return f"{self.session_id}:{self.person_id}"


def material_path(instance: StudyMaterial, filename: str) -> str:
    suffix = filename.rsplit(".", 1)[-1].lower()[:10] if "." in filename else "bin"
    return f"capacity/materials/{instance.sha256[:2]}/{instance.sha256}.{suffix}"


class StudyMaterial(models.Model):
    session = models.ForeignKey(StudySession, on_delete=models.CASCADE,
                                related_name="materials")
    title = models.CharField(_("材料名称"), max_length=200)
    file = models.FileField(_("文件"), upload_to=material_path, max_length=200)
    sha256 = models.CharField(_("SHA-256"), max_length=64)

    class Meta:
        verbose_name = _("学习材料")
        verbose_name_plural = _("学习材料")

    def __str__(self) -> str:
        return self.title

    @staticmethod
    def digest(data: bytes) -> str:
        return hashlib.sha256(data).hexdigest()


class Exam(models.Model):
    """A law exam (学法用法考试 / 执法人员法律知识考试)."""

    agency = models.ForeignKey(Agency, verbose_name=_("组织机关"), on_delete=models.PROTECT,
                               related_name="exams")
    date = models.DateField(_("考试日期"))
    title = models.CharField(_("考试名称"), max_length=200)
    pass_mark = models.PositiveSmallIntegerField(_("合格分数"), default=60)
    jurisdiction_path = models.CharField(max_length=255, editable=False, db_index=True)

    class Meta:
        verbose_name = _("考试")
        verbose_name_plural = _("考试")
        ordering = ["-date"]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        self.jurisdiction_path = self.agency.jurisdiction.path
        super().save(*args, **kwargs)


class ExamResult(models.Model):
    exam = models.ForeignKey(Exam, on_delete=models.CASCADE, related_name="results")
    person = models.ForeignKey(StaffMember, verbose_name=_("人员"), on_delete=models.CASCADE,
                               related_name="exam_results")
    score = models.PositiveSmallIntegerField(_("成绩"))

    class Meta:
        verbose_name = _("考试成绩")
        verbose_name_plural = _("考试成绩")
        constraints = [models.UniqueConstraint(fields=["exam", "person"],
                                               name="examresult_unique")]

    def __str__(self) -> str:
        return f"{self.exam_id}:{self.person_id} {self.score}"

    @property
    def passed(self) -> bool:
        return self.score >= self.exam.pass_mark


# --- outreach --------------------------------------------------------------------------------

class OutreachBase(models.Model):
    """An outreach base (应急普法基地 / 安全宣传教育基地), named at a level."""

    class Level(models.TextChoices):
        PROVINCIAL = "provincial", _("省级")
        CITY = "city", _("市级")
        COUNTY = "county", _("县级")

    name = models.CharField(_("名称"), max_length=100, unique=True)
    level = models.CharField(_("级别"), max_length=20, choices=Level.choices)
    jurisdiction = models.ForeignKey(Jurisdiction, verbose_name=_("所在地"),
                                     on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, verbose_name=_("主管机关"), on_delete=models.PROTECT,
                               related_name="outreach_bases")
    opened_on = models.DateField(_("开放（命名）日期"))
    closed_on = models.DateField(_("撤销日期"), null=True, blank=True)
    jurisdiction_path = models.CharField(max_length=255, editable=False, db_index=True)

    class Meta:
        verbose_name = _("普法基地")
        verbose_name_plural = _("普法基地")
        ordering = ["level", "name"]
        constraints = [_ends_after("opened_on", "closed_on", "outreachbase_dates")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.jurisdiction_path = self.jurisdiction.path
        super().save(*args, **kwargs)


class BaseVisitCount(models.Model):
    """Visitors (服务人次) of a base in one month (`month`: its first day)."""

    base = models.ForeignKey(OutreachBase, on_delete=models.CASCADE, related_name="visits")
    month = models.DateField(_("月份"))
    visitors = models.PositiveIntegerField(_("服务人次"))

    class Meta:
        verbose_name = _("基地服务人次")
        verbose_name_plural = _("基地服务人次")
        ordering = ["base", "month"]
        constraints = [
            models.UniqueConstraint(fields=["base", "month"], name="basevisit_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.base_id} {self.month:%Y-%m} {self.visitors}"

    def clean(self) -> None:
        if self.month and self.month.day != 1:
            raise ValidationError({"month": _("月份请填该月1日")})


class OutreachWork(models.Model):
    """An outreach work (普法作品): a video, a comic, a booklet ..."""

    class Kind(models.TextChoices):
        VIDEO = "video", _("短视频/微电影")
        ANIMATION = "animation", _("动漫")
        POSTER = "poster", _("海报/漫画")
        BOOK = "book", _("读本/手册")
        DRAMA = "drama", _("情景剧/曲艺")
        OTHER = "other", _("其他")

    agency = models.ForeignKey(Agency, verbose_name=_("制作机关"), on_delete=models.PROTECT,
                               related_name="outreach_works")
    title = models.CharField(_("作品名称"), max_length=200)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    published_on = models.DateField(_("发布日期"))
    jurisdiction_path = models.CharField(max_length=255, editable=False, db_index=True)

    class Meta:
        verbose_name = _("普法作品")
        verbose_name_plural = _("普法作品")
        ordering = ["-published_on", "title"]
        constraints = [models.UniqueConstraint(fields=["agency", "title"],
                                               name="outreachwork_unique")]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        self.jurisdiction_path = self.agency.jurisdiction.path
        super().save(*args, **kwargs)

    @property
    def year(self) -> int:
        return self.published_on.year


class WorkAward(models.Model):
    class Level(models.TextChoices):
        NATIONAL = "national", _("全国")
        PROVINCIAL = "provincial", _("省级")
        CITY = "city", _("市级")

    work = models.ForeignKey(OutreachWork, on_delete=models.CASCADE, related_name="awards")
    name = models.CharField(_("奖项"), max_length=200)
    level = models.CharField(_("级别"), max_length=20, choices=Level.choices)
    awarded_on = models.DateField(_("获奖日期"))

    class Meta:
        verbose_name = _("作品获奖")
        verbose_name_plural = _("作品获奖")
        ordering = ["awarded_on"]

    def __str__(self) -> str:
        return self.name


class Campaign(models.Model):
    """An outreach campaign (安全生产月, 宪法宣传周 ...) and the people it reached."""

    class Kind(models.TextChoices):
        SAFETY_MONTH = "safety_month", _("安全生产月")
        CONSTITUTION_WEEK = "constitution_week", _("宪法宣传周")
        DISASTER_DAY = "disaster_day", _("防灾减灾日")
        FIVE_INTO = "five_into", _("安全宣传“五进”")
        CIVIL_CODE = "civil_code", _("民法典宣传月")
        OTHER = "other", _("其他")

    agency = models.ForeignKey(Agency, verbose_name=_("组织机关"), on_delete=models.PROTECT,
                               related_name="campaigns")
    kind = models.CharField(_("活动类别"), max_length=30, choices=Kind.choices)
    title = models.CharField(_("活动名称"), max_length=200)
    start = models.DateField(_("开始日期"))
    end = models.DateField(_("结束日期"))
    reach = models.PositiveIntegerField(_("覆盖人次"), default=0)
    jurisdiction_path = models.CharField(max_length=255, editable=False, db_index=True)

    class Meta:
        verbose_name = _("普法宣传活动")
        verbose_name_plural = _("普法宣传活动")
        ordering = ["-start"]
        constraints = [
            models.CheckConstraint(name="campaign_dates", condition=Q(end__gte=F("start"))),
            models.UniqueConstraint(fields=["agency", "title", "start"], name="campaign_unique"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        self.jurisdiction_path = self.agency.jurisdiction.path
        super().save(*args, **kwargs)
