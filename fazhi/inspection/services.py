"""Writes of the inspection app: plans, random draws (双随机), recusals (回避),
inspections with their checklist results, findings and evidence, and the checklist.

Each function checks the actor's right first, then runs in one transaction that also
writes its event into the record (执法全过程记录). A refusal raises a Chinese
ValidationError / PermissionDenied before anything is saved.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from fazhi.core.models import Agency, Event, Jurisdiction, Role, User
from fazhi.core.permissions import eligible_officers, has_valid_certificate
from fazhi.core.services.events import record_event
from fazhi.inspection.models import (
    ChecklistItem,
    DrawPick,
    EvidenceFile,
    Finding,
    Inspection,
    InspectionCategory,
    InspectionPlan,
    InspectionResult,
    RandomDraw,
    Recusal,
)
from fazhi.inspection.rules.access import (
    can_inspect,
    can_plan,
    can_record_recusal,
    path_contains,
)
from fazhi.inspection.rules.draw import DrawError, Officer, PoolEntry, run_draw
from fazhi.inspection.rules.evidence import evidence_problems
from fazhi.inspection.rules.officers import OfficerFacts, officer_problems
from fazhi.inspection.selectors import draw_get
from fazhi.subjects.models import Enterprise
from fazhi.subjects.selectors import enterprise_list

CHECKLIST_FILE = Path(__file__).resolve().parent / "data" / "checklist.yaml"
PLANNED_FIELDS = {
    InspectionCategory.KEY: "planned_key",
    InspectionCategory.GENERAL: "planned_general",
    InspectionCategory.SPECIAL: "planned_special",
    InspectionCategory.JOINT: "planned_joint",
}


# --- helpers -----------------------------------------------------------------------------

def _require(allowed: bool, actor: User, *jurisdictions: Jurisdiction, what: str) -> None:
    if not allowed:
        raise PermissionDenied(_("您的角色无权%(what)s") % {"what": what})
    own = actor.jurisdiction
    for jurisdiction in jurisdictions:
        if not path_contains(own.path if own else None, jurisdiction.path):
            raise PermissionDenied(_("%(place)s不在您的辖区内，您无权%(what)s")
                                   % {"place": jurisdiction.name, "what": what})


def _day_text(day: datetime.date) -> str:
    return f"{day:%Y年%m月%d日}"


def _recused_q(on: datetime.date) -> Q:
    return Q(valid_from__lte=on) & (Q(valid_to__isnull=True) | Q(valid_to__gte=on))


def check_officers(
    officers: Sequence[User], enterprise: Enterprise, on: datetime.date
) -> None:
    """Chinese ValidationError (key `officers`) unless at least two active officers,
    each with a certificate valid `on` and none recused for `enterprise`, are named."""
    recused = set(Recusal.objects.filter(_recused_q(on), enterprise=enterprise)
                  .values_list("officer_id", flat=True))
    facts = [
        OfficerFacts(
            name=str(officer),
            is_active_officer=officer.role == Role.OFFICER and officer.is_active,
            certified=has_valid_certificate(officer, on),
            recused=officer.pk in recused,
        )
        for officer in officers
    ]
    problems = officer_problems(facts, _day_text(on))
    if problems:
        raise ValidationError({"officers": problems})


def _unique_users(officers: Iterable[User]) -> list[User]:
    seen: dict[int, User] = {}
    for officer in officers:
        seen.setdefault(officer.pk, officer)
    return [seen[pk] for pk in sorted(seen)]


# --- plans -------------------------------------------------------------------------------

def plan_create(
    *,
    actor: User,
    agency: Agency,
    year: int,
    planned: Mapping[str, int],
    title: str = "",
) -> InspectionPlan:
    """The agency's annual plan with its planned counts per category (keys of
    InspectionCategory: key / general / special / joint)."""
    unknown = set(planned) - set(PLANNED_FIELDS)
    if unknown:
        raise ValidationError({"planned": _("未知的检查类别：%(keys)s")
                               % {"keys": "、".join(sorted(unknown))}})
    _require(can_plan(actor), actor, agency.jurisdiction, what=_("编制执法检查计划"))
    with transaction.atomic():
        if InspectionPlan.objects.filter(agency=agency, year=year).exists():
            raise ValidationError({"year": _("%(agency)s%(year)s年度执法检查计划已存在")
                                   % {"agency": agency.name, "year": year}})
        plan = InspectionPlan(
            agency=agency, year=year, created_by=actor,
            title=(title or "").strip() or f"{agency.name}{year}年度执法检查计划",
            **{PLANNED_FIELDS[key]: value for key, value in planned.items()},
        )
        plan.full_clean(validate_unique=False)
        plan.save()
        record_event(actor=actor, obj=plan, action="inspection_plan.created", payload={
            "agency": agency.name, "year": year, "title": plan.title,
            "planned": {key: getattr(plan, field) for key, field in PLANNED_FIELDS.items()},
        })
    return plan


# --- random draws ------------------------------------------------------------------------

def _parse_ratio(ratio: Decimal | str) -> Decimal:
    try:
        value = Decimal(str(ratio))
    except InvalidOperation:
        raise ValidationError({"sampling_ratio": _("抽查比例格式不正确")}) from None
    if not Decimal(0) < value <= Decimal(1):
        raise ValidationError({"sampling_ratio": _("抽查比例应大于0且不超过100%")})
    return value.quantize(Decimal("0.0001"))


def _previous_pairs(enterprise_ids: Sequence[int]) -> dict[int, list[int]]:
    """The officers of each enterprise's latest earlier draw pick."""
    pairs: dict[int, list[int]] = {}
    picks = (DrawPick.objects.filter(enterprise_id__in=enterprise_ids)
             .order_by("enterprise_id", "-draw__drawn_at", "-draw_id")
             .prefetch_related("officers"))
    for pick in picks:
        if pick.enterprise_id not in pairs:
            pairs[pick.enterprise_id] = sorted(o.pk for o in pick.officers.all())
    return pairs


def _inputs_from_payload(payload: Mapping[str, Any]) -> dict[str, Any]:
    """The keyword arguments of `run_draw` as stored in a draw's event (or row)."""
    return {
        "seed": int(payload["seed"]),
        "pool": [PoolEntry(int(eid), risk) for eid, risk in payload["pool"]],
        "officers": [Officer(int(oid), bool(certified)) for oid, certified in payload["officers"]],
        "ratio": Decimal(payload["sampling_ratio"]),
        "recusals": {int(k): set(v) for k, v in payload["recusals"].items()},
        "previous_pairs": {int(k): set(v) for k, v in payload["previous_pairs"].items()},
    }


def draw_run(
    *,
    actor: User,
    plan: InspectionPlan,
    category: str,
    sampling_ratio: Decimal | str,
    on: datetime.date,
    filters: Mapping[str, str] | None = None,
    seed: int | None = None,
) -> RandomDraw:
    """Draw enterprises from the pool (the plan agency's area, narrowed by `filters`:
    jurisdiction code, supervision category, risk level) and pair each with two
    officers of the agency certified on `on`. Stores the seed, the pool, the officers,
    the recusals and previous pairs it honoured and the result, on the draw and in its
    event, so `draw_rerun_check` can reproduce it."""
    filters = {k: v for k, v in (filters or {}).items() if v}
    unknown = set(filters) - {"jurisdiction", "category", "risk_level"}
    if unknown:
        raise ValidationError({"filters": _("未知的抽取条件：%(keys)s")
                               % {"keys": "、".join(sorted(unknown))}})
    if category not in InspectionCategory.values:
        raise ValidationError({"category": _("检查类别不正确")})
    ratio = _parse_ratio(sampling_ratio)
    agency = plan.agency
    _require(can_plan(actor), actor, agency.jurisdiction, what=_("组织双随机抽取"))
    area = filters.get("jurisdiction") or agency.jurisdiction.code
    area_row = Jurisdiction.objects.filter(code=area).first()
    if area_row is None or not agency.jurisdiction.contains(area_row):
        raise ValidationError({"filters": _("抽取范围应在%(agency)s辖区内")
                               % {"agency": agency.name}})
    seed = secrets.randbits(62) if seed is None else int(seed)
    with transaction.atomic():
        pool_rows = list(
            enterprise_list(user=actor, jurisdiction=area, category=filters.get("category"),
                            risk_level=filters.get("risk_level"))
            .order_by("id").values_list("id", "risk_level"))
        pool_ids = [eid for eid, _risk in pool_rows]
        officer_qs = User.objects.filter(agency=agency, role=Role.OFFICER, is_active=True)
        officer_ids = list(officer_qs.order_by("id").values_list("id", flat=True))
        certified = set(eligible_officers(officer_qs, on).values_list("id", flat=True))
        recusals: dict[int, list[int]] = {}
        for enterprise_id, officer_id in (
            Recusal.objects.filter(_recused_q(on), enterprise_id__in=pool_ids)
            .order_by("enterprise_id", "officer_id").values_list("enterprise_id", "officer_id")
        ):
            recusals.setdefault(enterprise_id, []).append(officer_id)
        payload: dict[str, Any] = {
            "plan": plan.pk, "category": category, "filters": filters,
            "sampling_ratio": str(ratio), "seed": seed, "draw_date": on.isoformat(),
            "pool": [[eid, risk] for eid, risk in pool_rows],
            "officers": [[oid, oid in certified] for oid in officer_ids],
            "recusals": {str(k): v for k, v in recusals.items()},
            "previous_pairs": {str(k): v for k, v in _previous_pairs(pool_ids).items()},
        }
        try:
            result = run_draw(**_inputs_from_payload(payload))
        except DrawError as exc:
            raise ValidationError(str(exc)) from None
        payload["result"] = result.as_list()
        draw = RandomDraw.objects.create(
            plan=plan, category=category, filters=filters, sampling_ratio=ratio, seed=seed,
            draw_date=on, pool=payload["pool"], officer_pool=payload["officers"],
            recusals=payload["recusals"], previous_pairs=payload["previous_pairs"],
            result=payload["result"], drawn_by=actor,
        )
        for position, pick in enumerate(result.picks, start=1):
            row = DrawPick.objects.create(draw=draw, position=position,
                                          enterprise_id=pick.enterprise_id)
            row.officers.set(pick.officer_ids)
        record_event(actor=actor, obj=draw, action="random_draw.run", payload=payload)
    return draw


@dataclass(frozen=True)
class RerunCheck:
    matches: bool
    recorded: list[dict[str, Any]]
    rerun: list[dict[str, Any]]
    stored_picks: list[dict[str, Any]]


def draw_rerun_check(*, actor: User, draw: RandomDraw) -> RerunCheck:
    """Re-run the draw from the seed and pool kept in its event and compare with the
    result in the event and with the picks stored. The check itself is recorded."""
    if draw_get(user=actor, pk=draw.pk) is None:
        raise PermissionDenied(_("您无权查看该抽取"))
    event = (Event.objects.filter(object_type=draw._meta.label_lower, object_id=str(draw.pk),
                                  action="random_draw.run").order_by("seq").first())
    if event is None:
        raise ValidationError(_("该抽取没有抽取记录，无法复核"))
    rerun = run_draw(**_inputs_from_payload(event.payload)).as_list()
    stored = [
        {"enterprise": pick.enterprise_id,
         "officers": sorted(o.pk for o in pick.officers.all())}
        for pick in draw.picks.order_by("position").prefetch_related("officers")
    ]
    check = RerunCheck(matches=rerun == event.payload["result"] == stored,
                       recorded=event.payload["result"], rerun=rerun, stored_picks=stored)
    with transaction.atomic():
        record_event(actor=actor, obj=draw, action="random_draw.rerun_checked",
                     payload={"matches": check.matches, "event_seq": event.seq})
    return check


def draw_publish(*, actor: User, draw: RandomDraw) -> RandomDraw:
    """Mark the draw's result as public (一公开): the list of enterprises drawn and the
    inspection category; officers' names are not published by this flag."""
    _require(can_plan(actor), actor, draw.plan.agency.jurisdiction, what=_("公示抽取结果"))
    with transaction.atomic():
        draw = RandomDraw.objects.select_for_update().get(pk=draw.pk)
        if draw.published:
            return draw
        draw.published, draw.published_at = True, timezone.now()
        draw.save(update_fields=["published", "published_at"])
        record_event(actor=actor, obj=draw, action="random_draw.published",
                     payload={"enterprises": [p["enterprise"] for p in draw.result]})
    return draw


# --- recusals ----------------------------------------------------------------------------

def recusal_declare(
    *,
    actor: User,
    officer: User,
    enterprise: Enterprise,
    reason: str,
    valid_from: datetime.date,
    valid_to: datetime.date | None = None,
) -> Recusal:
    """Record that `officer` may not act for `enterprise` (《行政处罚法》第四十三条)."""
    _require(can_record_recusal(actor, officer.pk), actor, enterprise.jurisdiction,
             what=_("登记回避"))
    if officer.role != Role.OFFICER:
        raise ValidationError({"officer": _("%(name)s不是执法人员") % {"name": officer}})
    with transaction.atomic():
        recusal = Recusal(officer=officer, enterprise=enterprise, reason=(reason or "").strip(),
                          valid_from=valid_from, valid_to=valid_to, declared_by=actor)
        recusal.full_clean()
        recusal.save()
        record_event(actor=actor, obj=recusal, action="recusal.declared", payload={
            "officer": officer.pk, "officer_name": str(officer), "enterprise": enterprise.pk,
            "reason": recusal.reason, "valid_from": valid_from,
            "valid_to": valid_to,
        })
    return recusal


# --- inspections -------------------------------------------------------------------------

def inspection_create(
    *,
    actor: User,
    enterprise: Enterprise,
    date: datetime.date,
    place: str,
    category: str,
    officers: Sequence[User],
    agency: Agency | None = None,
    plan: InspectionPlan | None = None,
    pick: DrawPick | None = None,
    non_site: bool = False,
    non_site_source: str = "",
    joint_departments: Sequence[str] = (),
) -> Inspection:
    """Open an inspection record (a draft, finished later by `inspection_finish`).
    Refused, with nothing saved, unless at least two officers hold certificates valid
    on `date` and none is recused for the enterprise."""
    _require(can_inspect(actor), actor, enterprise.jurisdiction, what=_("记录执法检查"))
    agency = agency or actor.agency
    if agency is None:
        raise ValidationError({"agency": _("请指定执法机关")})
    errors: dict[str, str] = {}
    departments = [d.strip() for d in joint_departments if d and d.strip()]
    if category == InspectionCategory.JOINT and not departments:
        errors["joint_departments"] = _("联合检查应列明参加检查的部门")
    if non_site and not non_site_source:
        errors["non_site_source"] = _("非现场执法应注明证据来源（在线监测、视频监控等）")
    if pick is not None and pick.enterprise_id != enterprise.pk:
        errors["pick"] = _("抽取结果与被检查单位不一致")
    if pick is not None and plan is None:
        plan = pick.draw.plan
    if errors:
        raise ValidationError(errors)
    officers = _unique_users(officers)
    check_officers(officers, enterprise, date)
    with transaction.atomic():
        inspection = Inspection(
            plan=plan, pick=pick, agency=agency, enterprise=enterprise,
            jurisdiction=enterprise.jurisdiction, date=date, place=(place or "").strip(),
            category=category, non_site=non_site,
            non_site_source=non_site_source if non_site else "",
            joint_departments=departments, created_by=actor,
        )
        inspection.jurisdiction_path = enterprise.jurisdiction.path
        inspection.full_clean()
        inspection.save()
        inspection.officers.set(officers)
        record_event(actor=actor, obj=inspection, action="inspection.created", payload={
            "enterprise": enterprise.pk, "enterprise_name": enterprise.name,
            "agency": agency.name, "date": date, "place": inspection.place,
            "category": category, "officers": [o.pk for o in officers],
            "officer_names": [str(o) for o in officers], "non_site": non_site,
            "non_site_source": inspection.non_site_source, "joint_departments": departments,
            "plan": plan.pk if plan else None, "pick": pick.pk if pick else None,
        })
    return inspection


def _require_draft_writer(actor: User, inspection: Inspection, what: str) -> Inspection:
    _require(can_inspect(actor), actor, inspection.jurisdiction, what=what)
    locked = Inspection.objects.select_for_update().get(pk=inspection.pk)
    if locked.status != Inspection.Status.DRAFT:
        raise ValidationError(_("检查记录已完成，不能再修改"))
    return locked


def inspection_record_results(
    *,
    actor: User,
    inspection: Inspection,
    results: Sequence[tuple[ChecklistItem, str, str]],
) -> list[InspectionResult]:
    """Record (or correct) the result of checklist items: (item, outcome, note)."""
    rows = []
    with transaction.atomic():
        inspection = _require_draft_writer(actor, inspection, _("记录检查结果"))
        changed = []
        for item, outcome, note in results:
            if outcome not in InspectionResult.Outcome.values:
                raise ValidationError({"outcome": _("检查结果不正确：%(v)s") % {"v": outcome}})
            row, _created = InspectionResult.objects.update_or_create(
                inspection=inspection, item=item,
                defaults={"outcome": outcome, "note": (note or "").strip()},
            )
            rows.append(row)
            changed.append({"item": item.code, "outcome": outcome, "note": row.note})
        if changed:
            record_event(actor=actor, obj=inspection, action="inspection.results_recorded",
                         payload={"results": changed})
    return rows


def finding_add(
    *,
    actor: User,
    inspection: Inspection,
    description: str,
    item: ChecklistItem | None = None,
) -> Finding:
    """A problem found in the inspection, optionally against a checklist item."""
    description = (description or "").strip()
    if not description:
        raise ValidationError({"description": _("请填写问题描述")})
    with transaction.atomic():
        inspection = _require_draft_writer(actor, inspection, _("记录检查发现的问题"))
        finding = Finding.objects.create(inspection=inspection, item=item,
                                         description=description)
        record_event(actor=actor, obj=inspection, action="inspection.finding_added", payload={
            "finding": finding.pk, "item": item.code if item else None,
            "description": description,
        })
    return finding


def evidence_attach(*, actor: User, finding: Finding, upload: Any) -> EvidenceFile:
    """Store an uploaded file (Django UploadedFile: name, size, content_type, chunks())
    as evidence of `finding`, with its SHA-256. Limits: `rules.evidence`."""
    name = str(getattr(upload, "name", "") or "")
    content_type = str(getattr(upload, "content_type", "") or "")
    size = int(getattr(upload, "size", 0) or 0)
    problems = evidence_problems(name=name, size=size, content_type=content_type)
    if problems:
        raise ValidationError({"file": problems})
    digest = hashlib.sha256()
    data = bytearray()
    for chunk in upload.chunks():
        digest.update(chunk)
        data.extend(chunk)
    if len(data) != size:
        raise ValidationError({"file": _("文件大小与声明不符，请重新上传")})
    with transaction.atomic():
        _require_draft_writer(actor, finding.inspection, _("上传证据"))
        evidence = EvidenceFile(
            finding=finding, original_name=name[:200], sha256=digest.hexdigest(), size=size,
            content_type=content_type, uploaded_by=actor,
        )
        evidence.file.save(name, ContentFile(bytes(data)), save=False)
        evidence.save()
        record_event(actor=actor, obj=finding.inspection, action="inspection.evidence_attached",
                     payload={"finding": finding.pk, "evidence": evidence.pk,
                              "name": evidence.original_name, "sha256": evidence.sha256,
                              "size": size, "content_type": content_type})
    return evidence


def inspection_finish(
    *,
    actor: User,
    inspection: Inspection,
    signed_by: str = "",
    refusal_reason: str = "",
) -> Inspection:
    """Close the inspection record with the enterprise's signature (the signer's name)
    or the reason it refused to sign. The officers are checked again on the
    inspection date: a certificate revoked since the draft refuses the record."""
    signed_by, refusal_reason = (signed_by or "").strip(), (refusal_reason or "").strip()
    if bool(signed_by) == bool(refusal_reason):
        raise ValidationError(
            {"signed_by": _("请填写被检查单位签字人，或记录其拒绝签字的情况（二者选一）")})
    with transaction.atomic():
        inspection = _require_draft_writer(actor, inspection, _("完成检查记录"))
        check_officers(list(inspection.officers.order_by("id")), inspection.enterprise,
                       inspection.date)
        inspection.signed_by, inspection.refusal_reason = signed_by, refusal_reason
        inspection.status = Inspection.Status.FINISHED
        inspection.finished_at = timezone.now()
        inspection.save(update_fields=["signed_by", "refusal_reason", "status", "finished_at"])
        record_event(actor=actor, obj=inspection, action="inspection.finished", payload={
            "signed_by": signed_by, "refusal_reason": refusal_reason,
            "results": inspection.results.count(), "findings": inspection.findings.count(),
        })
    return inspection


# --- checklist ---------------------------------------------------------------------------

@dataclass(frozen=True)
class ChecklistLoad:
    created: int
    updated: int


def checklist_load(*, actor: User | None, path: Path = CHECKLIST_FILE) -> ChecklistLoad:
    """Load the checklist items of the data file (idempotent: a second run changes
    nothing and writes no event)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    created = updated = 0
    fields = ("standard", "group", "number", "text", "confidence")
    with transaction.atomic():
        for raw in data["items"]:
            values = {key: raw[key] for key in fields}
            item = ChecklistItem.objects.filter(code=raw["code"]).first()
            if item is None:
                item = ChecklistItem(code=raw["code"], **values)
                item.full_clean()
                item.save()
                created += 1
                record_event(actor=actor, obj=item, action="checklist_item.created",
                             payload={"code": item.code, **values})
                continue
            changes = {key: {"from": getattr(item, key), "to": value}
                       for key, value in values.items() if getattr(item, key) != value}
            if changes:
                for key, change in changes.items():
                    setattr(item, key, change["to"])
                item.full_clean()
                item.save()
                updated += 1
                record_event(actor=actor, obj=item, action="checklist_item.updated",
                             payload={"changes": changes})
    return ChecklistLoad(created=created, updated=updated)
