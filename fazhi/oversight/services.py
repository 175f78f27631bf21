"""Writes of the oversight app: tips (举报) from the portal or entered by staff, their
acceptance, extension, verification outcome (linked to the inspection or the penalty
case it led to), feedback and reward (computed, approved, paid); social supervisors'
appointments, remarks and the bureau's written answers; disclosure requests (依申请公开);
news posts.

Every function checks the actor first, runs in one transaction, calls `full_clean()`
before saving and writes its event (`oversight.<thing>.<verb>`). A refusal raises a
Chinese ValidationError / PermissionDenied before anything is saved.

Confidentiality: the tipster's identity is encrypted before it reaches the model
(`crypto.encrypt_identity`); no event payload, message or log line carries it, nor the
tip's text (its SHA-256 is recorded instead: the record proves what was received without
repeating it). Reading the identity (`tip_identity`) needs `oversight.view_tip_identity`
and is itself recorded."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import random
import re
import secrets
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from fazhi.cases.models import PartyDecision, PenaltyCase
from fazhi.core import calendar
from fazhi.core.models import Agency, Jurisdiction, Role, User
from fazhi.core.pagecache import PUBLIC_PAGES, pages_changed
from fazhi.core.rules.calendar import day_text
from fazhi.core.services.events import record_event
from fazhi.core.services.inputs import required_text
from fazhi.core.services.numbering import document_number_allocate
from fazhi.inspection.models import Inspection
from fazhi.inspection.rules.access import path_contains
from fazhi.oversight.crypto import Identity, decrypt_identity, encrypt_identity
from fazhi.oversight.models import (
    DisclosureRequest,
    Post,
    PostColumn,
    Supervisor,
    SupervisorRemark,
    Tip,
    TipKind,
    TipReward,
)
from fazhi.oversight.rules import disclosure as disclosure_rules
from fazhi.oversight.rules import rewards as reward_rules
from fazhi.oversight.rules import supervision as supervision_rules
from fazhi.oversight.rules import tips as tip_rules
from fazhi.subjects.models import Enterprise
from fazhi.subjects.rules.identifiers import IdentifierError, normalize_id_number

STAFF_ROLES = frozenset({Role.OFFICER, Role.LEADER, Role.REVIEWER, Role.ADMIN})
HANDLERS = frozenset({Role.OFFICER, Role.LEADER, Role.ADMIN})
HEADS = frozenset({Role.LEADER, Role.ADMIN})
IDENTITY_PERMISSION = "oversight.view_tip_identity"

CONTENT_MAX = 5000
SUBJECT_MAX = 200
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
_PHONE = re.compile(r"^[0-9+\-\s()]{7,20}$")


# --- helpers -------------------------------------------------------------------------


def _optional(value: str | None, field: str, label: str, max_length: int) -> str:
    return required_text(value, field, label, max_length) if (value or "").strip() else ""


def _day(value: datetime.date | None, field: str, label: str,
         not_before: datetime.date | None = None, since: str = "") -> datetime.date:
    day = value or timezone.localdate()
    if day > timezone.localdate():
        raise ValidationError({field: _("%(label)s不能晚于今天") % {"label": label}})
    if not_before is not None and day < not_before:
        raise ValidationError({field: _("%(label)s不能早于%(since)s（%(day)s）") % {
            "label": label, "since": since, "day": day_text(not_before)}})
    return day


def _active(actor: User | None) -> bool:
    return bool(actor is not None and actor.is_authenticated and actor.is_active)


def _require_staff(actor: User | None, path: str, what: str,
                   roles: frozenset[str] = HANDLERS) -> None:
    """Staff in `roles` of an agency whose jurisdiction contains `path` (属地管理)."""
    if not _active(actor) or actor.role not in roles or actor.agency_id is None:
        raise PermissionDenied(_("您的角色无权%(what)s") % {"what": what})
    if not path_contains(actor.agency.jurisdiction.path, path):
        raise PermissionDenied(_("该事项不在您的辖区内，您无权%(what)s") % {"what": what})


def can_view_identity(user: User | None) -> bool:
    """The tip desk: holders of `oversight.view_tip_identity` (a Django permission,
    given to the 举报受理岗 group), active staff only."""
    return _active(user) and user.role in STAFF_ROLES and user.has_perm(IDENTITY_PERMISSION)


def _saved(obj) -> None:
    obj.full_clean()
    obj.save()


def route_agency(jurisdiction: Jurisdiction) -> Agency:
    """The bureau that handles a tip located in `jurisdiction`: the county bureau above
    it, else the city bureau (属地管理、分级负责; town stations do not take tips)."""
    node: Jurisdiction | None = jurisdiction
    while node is not None:
        agency = (Agency.objects.filter(jurisdiction=node, kind__in=[
            Agency.Kind.COUNTY_BUREAU, Agency.Kind.CITY_BUREAU]).order_by("id").first())
        if agency is not None:
            return agency
        node = node.parent
    raise ValidationError({"jurisdiction": _("该地区没有可受理举报的应急管理部门")})


def _secret_hash(code: str, secret: str) -> str:
    return hashlib.sha256(f"{code}:{secret}".encode()).hexdigest()


def tip_secret_matches(tip: Tip, secret: str) -> bool:
    return hmac.compare_digest(tip.secret_hash, _secret_hash(tip.code, (secret or "").strip()))


def _new_code(received_on: datetime.date, rng: random.Random | None) -> str:
    choice = rng.choice if rng is not None else secrets.choice
    while True:
        code = f"JB{received_on:%y}" + "".join(choice(CODE_ALPHABET) for _ in range(8))
        if not Tip.objects.filter(code=code).exists():
            return code


def _identity(identity: Identity | None, anonymous: bool) -> Identity:
    if anonymous:
        return Identity()
    identity = identity or Identity()
    name = required_text(identity.name, "name", _("举报人姓名"), 50)
    phone = required_text(identity.phone, "phone", _("联系电话"), 20)
    if not _PHONE.match(phone):
        raise ValidationError({"phone": _("联系电话格式不正确")})
    id_number = ""
    if (identity.id_number or "").strip():
        try:
            id_number = normalize_id_number(identity.id_number)
        except IdentifierError as exc:
            raise ValidationError({"id_number": str(exc)}) from None
    contact = _optional(identity.contact, "contact", _("其他联系方式"), 200)
    return Identity(name=name, phone=phone, id_number=id_number, contact=contact)


def _tip_payload(tip: Tip) -> dict:
    return {"code": tip.code, "kind": tip.kind, "channel": tip.channel,
            "anonymous": tip.anonymous, "jurisdiction": tip.jurisdiction.code,
            "agency": tip.agency_id, "enterprise": tip.enterprise_id,
            "accept_due": tip.accept_due,
            "content_sha256": hashlib.sha256(tip.content.encode()).hexdigest()}


# --- tips ------------------------------------------------------------------------------

def tip_submit(
    *,
    actor: User | None,
    kind: str,
    channel: str,
    subject_name: str,
    content: str,
    jurisdiction: Jurisdiction,
    enterprise: Enterprise | None = None,
    place: str = "",
    anonymous: bool = False,
    identity: Identity | None = None,
    received_at: datetime.datetime | None = None,
    rng: random.Random | None = None,
) -> tuple[Tip, str]:
    """Register a tip: from the portal (`actor` None, channel portal) or entered by staff
    from a call, a letter or a visit. Returns the tip and its secret (shown once to the
    tipster with the tracking code; only its hash is kept). Routed to the bureau of the
    place (the enterprise's, when named). `rng`: the demo's seeded generator for the code
    and secret (real tips use `secrets`)."""
    if actor is None:
        if channel != Tip.Channel.PORTAL:
            raise PermissionDenied(_("只有工作人员可以登记电话、信件或来访举报"))
    elif not _active(actor) or actor.role not in STAFF_ROLES:
        raise PermissionDenied(_("您的角色无权登记举报"))
    if kind not in TipKind.values:
        raise ValidationError({"kind": _("请选择举报类别")})
    if channel not in Tip.Channel.values:
        raise ValidationError({"channel": _("请选择举报渠道")})
    subject_name = required_text(subject_name, "subject_name", _("被举报单位或场所"), SUBJECT_MAX)
    content = required_text(content, "content", _("举报内容"), CONTENT_MAX)
    place = _optional(place, "place", _("地点"), 200)
    who = _identity(identity, anonymous)
    if enterprise is not None:
        jurisdiction = enterprise.jurisdiction
    agency = route_agency(jurisdiction)
    received_at = received_at or timezone.now()
    received_on = timezone.localtime(received_at).date()
    if received_on > timezone.localdate():
        raise ValidationError({"received_at": _("收到时间不能晚于今天")})
    due = tip_rules.accept_due(calendar.load_schedule(), received_on)
    choice = rng.choice if rng is not None else secrets.choice
    secret = "".join(choice(CODE_ALPHABET) for _ in range(10))
    with transaction.atomic():
        code = _new_code(received_on, rng)
        tip = Tip(code=code, secret_hash=_secret_hash(code, secret), kind=kind, channel=channel,
                  anonymous=anonymous, identity_token=encrypt_identity(who),
                  enterprise=enterprise, subject_name=subject_name, place=place, content=content,
                  jurisdiction=jurisdiction, agency=agency, received_at=received_at,
                  received_on=received_on, entered_by=actor, accept_due=due.date,
                  citations=[c.as_dict() for c in tip_rules.citations()])
        _saved(tip)
        record_event(actor=actor, obj=tip, action="oversight.tip.received",
                     payload=_tip_payload(tip))
    return tip, secret


def _locked_tip(actor: User, tip: Tip, what: str, roles: frozenset[str] = HANDLERS) -> Tip:
    tip = Tip.objects.select_for_update().select_related("jurisdiction", "agency").get(pk=tip.pk)
    _require_staff(actor, tip.jurisdiction_path, what, roles)
    return tip


def tip_accept(*, actor: User, tip: Tip, on: datetime.date | None = None) -> Tip:
    """Accept (受理): the handling period (60 days) starts."""
    with transaction.atomic():
        tip = _locked_tip(actor, tip, _("受理举报"))
        if tip.status != Tip.Status.RECEIVED:
            raise ValidationError(_("该举报已%(s)s，不能再受理") % {"s": tip.get_status_display()})
        on = _day(on, "on", _("受理日期"), tip.received_on, _("收到日期"))
        tip.status, tip.accepted_on = Tip.Status.ACCEPTED, on
        tip.handling_due = tip_rules.handling_due(on)
        _saved(tip)
        record_event(actor=actor, obj=tip, action="oversight.tip.accepted", payload={
            "accepted_on": on, "handling_due": tip.handling_due, "accept_due": tip.accept_due,
            "late": on > tip.accept_due})
    return tip


def tip_not_accept(*, actor: User, tip: Tip, reason: str,
                   on: datetime.date | None = None) -> Tip:
    """Decline (不予受理) with reasons, e.g. not a work-safety matter or another
    department's duty (the tipster is told where to turn)."""
    reason = required_text(reason, "reason", _("不予受理理由"), 1000)
    with transaction.atomic():
        tip = _locked_tip(actor, tip, _("办理举报"))
        if tip.status != Tip.Status.RECEIVED:
            raise ValidationError(_("该举报已%(s)s") % {"s": tip.get_status_display()})
        on = _day(on, "on", _("决定日期"), tip.received_on, _("收到日期"))
        tip.status, tip.not_accepted_reason, tip.concluded_on = (
            Tip.Status.NOT_ACCEPTED, reason, on)
        _saved(tip)
        record_event(actor=actor, obj=tip, action="oversight.tip.not_accepted",
                     payload={"on": on, "reason": reason})
    return tip


def tip_extend(*, actor: User, tip: Tip, days: int, reason: str) -> Tip:
    """A head extends the handling period of a complex tip, once, by at most 30 days."""
    reason = required_text(reason, "reason", _("延长理由"), 1000)
    with transaction.atomic():
        tip = _locked_tip(actor, tip, _("批准延长办理期限"), HEADS)
        if tip.status != Tip.Status.ACCEPTED:
            raise ValidationError(_("只有核查中的举报可以延长办理期限"))
        if tip.extension_days:
            raise ValidationError(_("该举报已延长过办理期限"))
        if isinstance(days, bool) or not isinstance(days, int) or not (
                1 <= days <= tip_rules.MAX_EXTENSION_DAYS):
            raise ValidationError({"days": _("延长天数应为1至%(n)s日") % {
                "n": tip_rules.MAX_EXTENSION_DAYS}})
        tip.extension_days, tip.extension_reason = days, reason
        tip.handling_due = tip_rules.handling_due(tip.accepted_on, days)
        _saved(tip)
        record_event(actor=actor, obj=tip, action="oversight.tip.extended", payload={
            "days": days, "reason": reason, "handling_due": tip.handling_due})
    return tip


def tip_link(*, actor: User, tip: Tip, inspection: Inspection | None = None,
             case: PenaltyCase | None = None) -> Tip:
    """Link the inspection that verified the tip and/or the penalty case it led to
    (both in the actor's jurisdiction, about the same place)."""
    if inspection is None and case is None:
        raise ValidationError(_("请选择核查检查或立案查处的案件"))
    with transaction.atomic():
        tip = _locked_tip(actor, tip, _("办理举报"))
        own = actor.agency.jurisdiction.path
        if inspection is not None:
            if not path_contains(own, inspection.jurisdiction_path):
                raise PermissionDenied(_("该检查不在您的辖区内"))
            tip.inspection = inspection
        if case is not None:
            if not path_contains(own, case.jurisdiction_path):
                raise PermissionDenied(_("该案件不在您的辖区内"))
            tip.case = case
        _saved(tip)
        record_event(actor=actor, obj=tip, action="oversight.tip.linked", payload={
            "inspection": tip.inspection_id, "case": tip.case_id})
    return tip


def tip_conclude(*, actor: User, tip: Tip, outcome: str, summary: str,
                 on: datetime.date | None = None, accident_class: str = "",
                 concealed_deaths: int = 0) -> Tip:
    """Conclude the verification (办结) with its outcome and the summary fed back to the
    tipster; a concealed-accident tip found true names the class finally confirmed and
    the deaths concealed."""
    summary = required_text(summary, "summary", _("核查处理情况"), 2000)
    if outcome not in Tip.Outcome.values:
        raise ValidationError({"outcome": _("请选择核查结论")})
    with transaction.atomic():
        tip = _locked_tip(actor, tip, _("办结举报"))
        if tip.status != Tip.Status.ACCEPTED:
            raise ValidationError(_("只有已受理、核查中的举报可以办结"))
        on = _day(on, "on", _("办结日期"), tip.accepted_on, _("受理日期"))
        substantiated = outcome != Tip.Outcome.UNFOUNDED
        if tip.kind == TipKind.CONCEALED and substantiated:
            if accident_class not in reward_rules.PER_DEATH:
                raise ValidationError({"accident_class": _("请填写最终确认的事故等级")})
            if isinstance(concealed_deaths, bool) or not isinstance(concealed_deaths, int) \
                    or concealed_deaths < 0:
                raise ValidationError({"concealed_deaths": _("查实瞒报谎报死亡人数应为非负整数")})
            tip.accident_class, tip.concealed_deaths = accident_class, concealed_deaths
        tip.status, tip.outcome, tip.outcome_summary = Tip.Status.CONCLUDED, outcome, summary
        tip.concluded_on = on
        tip.feedback_due = tip_rules.feedback_due(on)
        _saved(tip)
        record_event(actor=actor, obj=tip, action="oversight.tip.concluded", payload={
            "outcome": outcome, "on": on, "handling_due": tip.handling_due,
            "late": bool(tip.handling_due and on > tip.handling_due),
            "inspection": tip.inspection_id, "case": tip.case_id,
            "accident_class": tip.accident_class, "concealed_deaths": tip.concealed_deaths})
    return tip


def tip_feedback(*, actor: User, tip: Tip, on: datetime.date | None = None) -> Tip:
    """The tip desk records that the result was fed back to the tipster (it needs the
    contact details, so the permission)."""
    if not can_view_identity(actor):
        raise PermissionDenied(_("只有举报受理岗可以登记向举报人反馈"))
    with transaction.atomic():
        tip = _locked_tip(actor, tip, _("反馈举报结果"), STAFF_ROLES)
        if tip.status != Tip.Status.CONCLUDED or tip.anonymous:
            raise ValidationError(_("只有已办结的实名举报需要登记反馈"))
        on = _day(on, "on", _("反馈日期"), tip.concluded_on, _("办结日期"))
        tip.feedback_on = on
        _saved(tip)
        record_event(actor=actor, obj=tip, action="oversight.tip.feedback_given", payload={
            "on": on, "due": tip.feedback_due, "late": on > tip.feedback_due})
    return tip


def tip_identity(*, actor: User, tip: Tip) -> Identity:
    """The tipster's identity for the tip desk; the reading itself is recorded (who,
    when — not what)."""
    if not can_view_identity(actor):
        raise PermissionDenied(_("只有举报受理岗可以查看举报人身份信息"))
    if not path_contains(actor.agency.jurisdiction.path if actor.agency_id else None,
                         tip.jurisdiction_path):
        raise PermissionDenied(_("该举报不在您的辖区内"))
    identity = decrypt_identity(tip.identity_token)
    with transaction.atomic():
        record_event(actor=actor, obj=tip, action="oversight.tip.identity_viewed", payload={})
    return identity


# --- rewards ---------------------------------------------------------------------------

def case_penalty_amount(case: PenaltyCase) -> Decimal:
    """行政处罚金额 of a case: fines and confiscations of its decided parties."""
    totals = PartyDecision.objects.filter(party__case=case, decided_on__isnull=False).aggregate(
        fine=Sum("fine"), confiscation=Sum("confiscation"))
    return (totals["fine"] or Decimal(0)) + (totals["confiscation"] or Decimal(0))


def tip_reward_propose(*, actor: User, tip: Tip, on: datetime.date | None = None) -> TipReward:
    """Compute the reward of a substantiated, named tip by `rules.rewards`: a hazard or
    violation from the fines the linked case decided; a concealed accident from the class
    and deaths confirmed."""
    with transaction.atomic():
        tip = _locked_tip(actor, tip, _("提出举报奖励"))
        if tip.status != Tip.Status.CONCLUDED or tip.outcome == Tip.Outcome.UNFOUNDED:
            raise ValidationError(_("只有经核查属实的举报才能给予奖励"))
        if tip.anonymous:
            raise ValidationError(_("匿名举报无法核实举报人身份，不予奖励（奖励须凭有效证件领取）"))
        if TipReward.objects.filter(tip=tip).exists():
            raise ValidationError(_("该举报已提出奖励"))
        on = _day(on, "on", _("提出日期"), tip.concluded_on, _("办结日期"))
        penalty = Decimal(0)
        if tip.kind == TipKind.HAZARD:
            if tip.case is None:
                raise ValidationError(_("请先关联该举报立案查处的案件（奖励按行政处罚金额计算）"))
            penalty = case_penalty_amount(tip.case)
            if not PartyDecision.objects.filter(party__case=tip.case,
                                                decided_on__isnull=False).exists():
                raise ValidationError(_("关联案件尚未作出处罚决定，暂不能计算奖励"))
        try:
            reward = reward_rules.tip_reward(
                tip_type=tip.kind, penalty_amount=penalty,
                accident_class=tip.accident_class or None,
                concealed_deaths=tip.concealed_deaths)
        except ValueError as exc:
            raise ValidationError(str(exc)) from None
        row = TipReward(tip=tip, tip_type=tip.kind, penalty_amount=penalty,
                        accident_class=tip.accident_class,
                        concealed_deaths=tip.concealed_deaths, amount=reward.amount,
                        method_note=reward.method,
                        citations=[c.as_dict() for c in reward.citations],
                        proposed_on=on, proposed_by=actor)
        _saved(row)
        record_event(actor=actor, obj=tip, action="oversight.reward.proposed", payload={
            "reward": row.pk, "amount": row.amount, "penalty_amount": penalty,
            "method": reward.method, "citations": row.citations})
    return row


def tip_reward_decide(*, actor: User, reward: TipReward, approve: bool, reason: str,
                      on: datetime.date | None = None) -> TipReward:
    """A head approves (the tipster is notified and has 60 days to claim) or refuses
    (e.g. a staff member's relative: 不予奖励) with reasons."""
    reason = required_text(reason, "reason", _("审批意见"), 1000)
    with transaction.atomic():
        tip = _locked_tip(actor, reward.tip, _("审批举报奖励"), HEADS)
        reward = TipReward.objects.select_for_update().get(pk=reward.pk)
        if reward.status != TipReward.Status.PROPOSED:
            raise ValidationError(_("该奖励已审批（%(s)s）") % {"s": reward.get_status_display()})
        on = _day(on, "on", _("审批日期"), reward.proposed_on, _("提出日期"))
        reward.status = TipReward.Status.APPROVED if approve else TipReward.Status.REFUSED
        reward.decided_on, reward.decided_by, reward.decision_reason = on, actor, reason
        reward.claim_due = tip_rules.claim_due(on) if approve else None
        _saved(reward)
        record_event(actor=actor, obj=tip, action="oversight.reward.decided", payload={
            "reward": reward.pk, "approved": bool(approve), "reason": reason, "on": on,
            "claim_due": reward.claim_due, "amount": reward.amount})
    return reward


def tip_reward_pay(*, actor: User, reward: TipReward, method: str, voucher: str,
                   on: datetime.date | None = None) -> TipReward:
    """The tip desk pays the approved reward (it verifies the tipster's identity) and
    records the voucher."""
    if not can_view_identity(actor):
        raise PermissionDenied(_("只有举报受理岗可以发放举报奖励（须核对举报人身份）"))
    voucher = required_text(voucher, "voucher", _("凭证号"), 60)
    if method not in TipReward.Method.values:
        raise ValidationError({"method": _("请选择发放方式")})
    with transaction.atomic():
        tip = _locked_tip(actor, reward.tip, _("发放举报奖励"), STAFF_ROLES)
        reward = TipReward.objects.select_for_update().get(pk=reward.pk)
        if reward.status != TipReward.Status.APPROVED:
            raise ValidationError(_("只有已批准的奖励可以发放"))
        on = _day(on, "on", _("发放日期"), reward.decided_on, _("审批日期"))
        reward.status, reward.paid_on, reward.paid_by = TipReward.Status.PAID, on, actor
        reward.method, reward.voucher = method, voucher
        _saved(reward)
        record_event(actor=actor, obj=tip, action="oversight.reward.paid", payload={
            "reward": reward.pk, "amount": reward.amount, "on": on, "method": method,
            "voucher": voucher, "late": bool(reward.claim_due and on > reward.claim_due)})
    return reward


# --- social supervisors ----------------------------------------------------------------

def supervisor_appoint(*, actor: User, user: User, name: str, term_start: datetime.date,
                       term_end: datetime.date, work_unit: str = "",
                       appointed_on: datetime.date | None = None) -> Supervisor:
    """Appoint a social supervisor (社会监督员) for the area the user oversees: the
    bureau's certificate (聘书) number is allocated in its series."""
    name = required_text(name, "name", _("姓名"), 50)
    work_unit = _optional(work_unit, "work_unit", _("工作单位及身份"), 200)
    if user.role != Role.SUPERVISOR or user.supervised_jurisdiction_id is None:
        raise ValidationError({"user": _("该用户不是社会监督员角色，或未设定监督辖区")})
    if term_end < term_start:
        raise ValidationError({"term_end": _("聘期止不能早于聘期起")})
    jurisdiction = user.supervised_jurisdiction
    _require_staff(actor, jurisdiction.path, _("聘任社会监督员"), HEADS)
    appointed_on = _day(appointed_on, "appointed_on", _("聘任日期"))
    with transaction.atomic():
        if Supervisor.objects.filter(user=user).exists():
            raise ValidationError(_("该用户已被聘任为社会监督员"))
        number = document_number_allocate(actor=actor, agency=actor.agency,
                                          doc_type="supervisor_certificate",
                                          year=appointed_on.year)
        row = Supervisor(user=user, agency=actor.agency, jurisdiction=jurisdiction, name=name,
                         work_unit=work_unit, certificate_number=number.text,
                         appointed_on=appointed_on, term_start=term_start, term_end=term_end)
        _saved(row)
        record_event(actor=actor, obj=row, action="oversight.supervisor.appointed", payload={
            "user": user.pk, "certificate": row.certificate_number, "term_start": term_start,
            "term_end": term_end, "jurisdiction": jurisdiction.code})
    return row


def supervisor_dismiss(*, actor: User, supervisor: Supervisor, reason: str,
                       on: datetime.date | None = None) -> Supervisor:
    reason = required_text(reason, "reason", _("解聘原因"), 200)
    with transaction.atomic():
        row = Supervisor.objects.select_for_update().get(pk=supervisor.pk)
        _require_staff(actor, row.jurisdiction_path, _("解聘社会监督员"), HEADS)
        if row.dismissed_on is not None:
            raise ValidationError(_("该监督员已解聘"))
        row.dismissed_on = _day(on, "on", _("解聘日期"), row.appointed_on, _("聘任日期"))
        row.dismissed_reason = reason
        _saved(row)
        record_event(actor=actor, obj=row, action="oversight.supervisor.dismissed",
                     payload={"on": row.dismissed_on, "reason": reason})
    return row


def remark_submit(*, actor: User, subject: str, text: str,
                  on: datetime.date | None = None) -> SupervisorRemark:
    """A serving supervisor files a remark (监督意见); the appointing bureau answers in
    writing by the due day."""
    subject = required_text(subject, "subject", _("事项"), 200)
    text = required_text(text, "text", _("监督意见"), 3000)
    on = _day(on, "on", _("提出日期"))
    appointment = Supervisor.objects.filter(user=actor).select_related("agency").first() \
        if _active(actor) and actor.role == Role.SUPERVISOR else None
    if appointment is None or not appointment.serving_on(on):
        raise PermissionDenied(_("只有在聘期内的社会监督员可以提出监督意见"))
    due = supervision_rules.answer_due(calendar.load_schedule(), on)
    with transaction.atomic():
        row = SupervisorRemark(supervisor=appointment, agency=appointment.agency,
                               subject=subject, text=text, submitted_on=on, answer_due=due.date)
        _saved(row)
        record_event(actor=actor, obj=row, action="oversight.remark.submitted", payload={
            "supervisor": appointment.pk, "subject": subject, "text": text, "on": on,
            "answer_due": due.date})
    return row


def remark_answer(*, actor: User, remark: SupervisorRemark, answer: str,
                  on: datetime.date | None = None) -> SupervisorRemark:
    answer = required_text(answer, "answer", _("书面答复"), 5000)
    with transaction.atomic():
        row = SupervisorRemark.objects.select_for_update().get(pk=remark.pk)
        _require_staff(actor, row.jurisdiction_path, _("答复监督意见"), HEADS | {Role.OFFICER})
        if row.answered_on is not None:
            raise ValidationError(_("该监督意见已答复"))
        row.answered_on = _day(on, "on", _("答复日期"), row.submitted_on, _("提出日期"))
        row.answer, row.answered_by = answer, actor
        _saved(row)
        record_event(actor=actor, obj=row, action="oversight.remark.answered", payload={
            "on": row.answered_on, "due": row.answer_due,
            "late": row.answered_on > row.answer_due, "answer": answer})
    return row


# --- disclosure on request ----------------------------------------------------------------

def _disclosure_due(row: DisclosureRequest) -> datetime.date:
    return disclosure_rules.answer_due(
        calendar.load_schedule(), row.received_on, row.supplement_received_on,
        row.extension_days).date


def disclosure_register(*, actor: User, applicant_kind: str, applicant_name: str,
                        applicant_contact: str, description: str, channel: str,
                        received_on: datetime.date, form_requested: str = "electronic",
                        ) -> DisclosureRequest:
    """Register a request (政府信息公开申请) with its receipt day (第三十一条); the
    acknowledgement is dated the same day; the answer is due in 20 working days."""
    if not _active(actor) or actor.role not in HANDLERS or actor.agency_id is None:
        raise PermissionDenied(_("您的角色无权登记政府信息公开申请"))
    if applicant_kind not in DisclosureRequest.ApplicantKind.values:
        raise ValidationError({"applicant_kind": _("请选择申请人类型")})
    if channel not in DisclosureRequest.Channel.values:
        raise ValidationError({"channel": _("请选择提交方式")})
    if form_requested not in DisclosureRequest.Form.values:
        raise ValidationError({"form_requested": _("请选择提供形式")})
    applicant_name = required_text(applicant_name, "applicant_name", _("申请人"), 200)
    applicant_contact = required_text(applicant_contact, "applicant_contact", _("联系方式"), 200)
    description = required_text(description, "description", _("所需政府信息"), 3000)
    received_on = _day(received_on, "received_on", _("收到申请日期"))
    with transaction.atomic():
        number = document_number_allocate(actor=actor, agency=actor.agency,
                                          doc_type="disclosure_request", year=received_on.year)
        row = DisclosureRequest(
            number=number.text, agency=actor.agency, applicant_kind=applicant_kind,
            applicant_name=applicant_name, applicant_contact=applicant_contact,
            description=description, form_requested=form_requested, channel=channel,
            received_on=received_on, acknowledged_on=received_on, due=received_on,
            citations=[c.as_dict() for c in disclosure_rules.citations()], created_by=actor)
        row.due = _disclosure_due(row)
        _saved(row)
        record_event(actor=actor, obj=row, action="oversight.disclosure.registered", payload={
            "number": row.number, "received_on": received_on, "due": row.due,
            "channel": channel, "applicant_kind": applicant_kind})
    return row


def _locked_request(actor: User, row: DisclosureRequest, what: str,
                    roles: frozenset[str] = HANDLERS) -> DisclosureRequest:
    row = DisclosureRequest.objects.select_for_update().get(pk=row.pk)
    _require_staff(actor, row.jurisdiction_path, what, roles)
    if row.answered_on is not None:
        raise ValidationError(_("该申请已于%(day)s答复") % {"day": day_text(row.answered_on)})
    return row


def disclosure_supplement(*, actor: User, request: DisclosureRequest,
                          requested_on: datetime.date,
                          received_on: datetime.date | None = None) -> DisclosureRequest:
    """补正 (第三十条): asked once within 7 working days of receipt; when the completed
    request arrives the 20 working days run from that day."""
    with transaction.atomic():
        row = _locked_request(actor, request, _("办理政府信息公开申请"))
        limit = disclosure_rules.supplement_due(calendar.load_schedule(), row.received_on).date
        requested_on = _day(requested_on, "requested_on", _("告知补正日期"), row.received_on,
                            _("收到申请日期"))
        if requested_on > limit:
            raise ValidationError({"requested_on": _(
                "应在收到申请之日起7个工作日内一次性告知补正（期限%(day)s，《政府信息公开条例》"
                "第三十条）") % {"day": day_text(limit)}})
        row.supplement_requested_on = requested_on
        if received_on is not None:
            row.supplement_received_on = _day(received_on, "received_on", _("收到补正日期"),
                                              requested_on, _("告知补正日期"))
        row.citations = [c.as_dict() for c in disclosure_rules.citations(
            extended=bool(row.extension_days), supplemented=True)]
        row.due = _disclosure_due(row)
        _saved(row)
        record_event(actor=actor, obj=row, action="oversight.disclosure.supplement", payload={
            "requested_on": requested_on, "received_on": row.supplement_received_on,
            "due": row.due})
    return row


def disclosure_extend(*, actor: User, request: DisclosureRequest, days: int,
                      reason: str, on: datetime.date | None = None) -> DisclosureRequest:
    """A head approves (on `on`, before the period ran out) an extension of at most 20
    working days (第三十三条第二款)."""
    reason = required_text(reason, "reason", _("延长理由"), 1000)
    with transaction.atomic():
        row = _locked_request(actor, request, _("批准延长答复期限"), HEADS)
        on = _day(on, "on", _("批准日期"), row.received_on, _("收到申请日期"))
        if row.extension_days:
            raise ValidationError(_("该申请已延长过答复期限"))
        if isinstance(days, bool) or not isinstance(days, int) or not (
                1 <= days <= disclosure_rules.MAX_EXTENSION_WORKING_DAYS):
            raise ValidationError({"days": _(
                "延长的期限最长不得超过20个工作日（《政府信息公开条例》第三十三条第二款）")})
        if on > row.due:
            raise ValidationError(_("答复期限已届满，不能再延长"))
        row.extension_days, row.extension_reason, row.extension_approved_by = days, reason, actor
        row.citations = [c.as_dict() for c in disclosure_rules.citations(
            extended=True, supplemented=row.supplement_received_on is not None)]
        row.due = _disclosure_due(row)
        _saved(row)
        record_event(actor=actor, obj=row, action="oversight.disclosure.extended",
                     payload={"days": days, "reason": reason, "on": on, "due": row.due})
    return row


def disclosure_answer(*, actor: User, request: DisclosureRequest, kind: str, form: str,
                      text: str, on: datetime.date | None = None) -> DisclosureRequest:
    """Answer (第三十六条) in a form (第四十条); late answers are recorded as late."""
    text = required_text(text, "text", _("答复内容"), 5000)
    if kind not in DisclosureRequest.AnswerKind.values:
        raise ValidationError({"kind": _("请选择答复类型")})
    if form not in DisclosureRequest.Form.values:
        raise ValidationError({"form": _("请选择提供形式")})
    with transaction.atomic():
        row = _locked_request(actor, request, _("答复政府信息公开申请"))
        row.answered_on = _day(on, "on", _("答复日期"), row.received_on, _("收到申请日期"))
        row.answer_kind, row.answer_form, row.answer_text = kind, form, text
        _saved(row)
        record_event(actor=actor, obj=row, action="oversight.disclosure.answered", payload={
            "on": row.answered_on, "kind": kind, "form": form, "due": row.due,
            "late": row.answered_on > row.due})
    return row


# --- posts -----------------------------------------------------------------------------------

def post_publish(*, actor: User, column: str, title: str, body: str,
                 publish_at: datetime.datetime | None = None) -> Post:
    """Publish a post in a column of the actor's agency, now or at `publish_at`
    (scheduled: it appears on the portal once that moment has passed)."""
    if not _active(actor) or actor.role not in HANDLERS or actor.agency_id is None:
        raise PermissionDenied(_("您的角色无权发布网站信息"))
    if column not in PostColumn.values:
        raise ValidationError({"column": _("请选择栏目")})
    title = required_text(title, "title", _("标题"), 200)
    body = required_text(body, "body", _("正文"), 20000)
    publish_at = publish_at or timezone.now()
    with transaction.atomic():
        post = Post(agency=actor.agency, column=column, title=title, body=body,
                    publish_at=publish_at, author=actor)
        _saved(post)
        record_event(actor=actor, obj=post, action="oversight.post.published", payload={
            "column": column, "title": title, "publish_at": publish_at,
            "body_sha256": hashlib.sha256(body.encode()).hexdigest()})
        pages_changed(PUBLIC_PAGES)
    return post


def post_withdraw(*, actor: User, post: Post, reason: str) -> Post:
    reason = required_text(reason, "reason", _("撤下原因"), 200)
    with transaction.atomic():
        post = Post.objects.select_for_update().select_related("agency__jurisdiction").get(
            pk=post.pk)
        _require_staff(actor, post.agency.jurisdiction.path, _("撤下网站信息"))
        if post.withdrawn_at is not None:
            raise ValidationError(_("该信息已撤下"))
        post.withdrawn_at = timezone.now()
        _saved(post)
        record_event(actor=actor, obj=post, action="oversight.post.withdrawn",
                     payload={"reason": reason})
        pages_changed(PUBLIC_PAGES)
    return post
