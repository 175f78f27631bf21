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
from django.db.models import Model, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from fazhi.core import calendar
from fazhi.core.models import Agency, Event, Jurisdiction, Role, User
from fazhi.core.permissions import eligible_officers
from fazhi.core.rules.calendar import day_text
from fazhi.core.selectors import object_events
from fazhi.core.services.events import Entry, record_event, record_events
from fazhi.core.services.numbering import document_number_allocate
from fazhi.inspection.models import (
    AssistanceVisit,
    ChecklistItem,
    DrawPick,
    EvidenceFile,
    Finding,
    Hazard,
    HazardLevel,
    HazardSupervision,
    Inspection,
    InspectionCategory,
    InspectionPlan,
    InspectionResult,
    KeyAssistedEnterprise,
    RandomDraw,
    RectificationOrder,
    Recusal,
    Reinspection,
    SupervisionLevel,
)
from fazhi.inspection.rules import hazards as hazard_rules
from fazhi.inspection.rules.access import (
    can_check_draw,
    can_download_files,
    can_inspect,
    can_plan,
    can_record_recusal,
    can_report_rectification,
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


def _recused_q(on: datetime.date) -> Q:
    return Q(valid_from__lte=on) & (Q(valid_to__isnull=True) | Q(valid_to__gte=on))


def check_officers(
    officers: Sequence[User], enterprise: Enterprise, on: datetime.date, agency: Agency
) -> None:
    """Chinese ValidationError (key `officers`) unless at least two active officers of
    `agency`, each with a certificate valid `on` and none recused for `enterprise`, are
    named."""
    recused = set(Recusal.objects.filter(_recused_q(on), enterprise=enterprise)
                  .values_list("officer_id", flat=True))
    certified = set(eligible_officers(User.objects.filter(pk__in=[o.pk for o in officers]), on)
                    .values_list("pk", flat=True))
    facts = [
        OfficerFacts(
            name=str(officer),
            is_active_officer=officer.role == Role.OFFICER and officer.is_active,
            of_agency=officer.agency_id == agency.pk,
            certified=officer.pk in certified,
            recused=officer.pk in recused,
        )
        for officer in officers
    ]
    problems = officer_problems(facts, day_text(on))
    if problems:
        raise ValidationError({"officers": problems})


def _check_fields(instance: Model) -> None:
    """`full_clean` without its queries (one per foreign key, one per check constraint):
    on the hot paths the related rows are objects just loaded, and the constraints are
    checked by the rule modules before and by the database on save."""
    instance.clean_fields(exclude=[f.name for f in instance._meta.fields if f.is_relation])


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
    """The officers who last went (or were last drawn) to each enterprise: the latest of
    its earlier draw picks and its finished inspections, by date."""
    latest: dict[int, tuple[datetime.date, int, list[int]]] = {}

    def consider(enterprise_id: int, day: datetime.date, order: int, officers: list[int]) -> None:
        if enterprise_id not in latest or (day, order) > latest[enterprise_id][:2]:
            latest[enterprise_id] = (day, order, sorted(officers))

    for pick in (DrawPick.objects.filter(enterprise_id__in=enterprise_ids)
                 .select_related("draw").prefetch_related("officers")):
        consider(pick.enterprise_id, pick.draw.draw_date, pick.draw_id,
                 [o.pk for o in pick.officers.all()])
    for inspection in (Inspection.objects.filter(enterprise_id__in=enterprise_ids,
                                                 status=Inspection.Status.FINISHED)
                       .prefetch_related("officers")):
        consider(inspection.enterprise_id, inspection.date, inspection.pk,
                 [o.pk for o in inspection.officers.all()])
    return {eid: officers for eid, (_day, _order, officers) in latest.items()}


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
    result in the event and with the picks stored. The check itself is recorded, so it
    is a write: staff only (a social supervisor reads the draw and its stored inputs)."""
    if not can_check_draw(actor):
        raise PermissionDenied(_("您的角色无权复核抽取"))
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

def _inspection_problems(
    category: str, departments: Sequence[str], non_site: bool, non_site_source: str,
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if category == InspectionCategory.JOINT and not departments:
        errors["joint_departments"] = _("联合检查应列明参加检查的部门")
    if non_site and not non_site_source:
        errors["non_site_source"] = _("非现场执法应注明证据来源（在线监测、视频监控等）")
    return errors


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
    departments = [d.strip() for d in joint_departments if d and d.strip()]
    errors = _inspection_problems(category, departments, non_site, non_site_source)
    if pick is not None and pick.enterprise_id != enterprise.pk:
        errors["pick"] = _("抽取结果与被检查单位不一致")
    if pick is not None and plan is None:
        plan = pick.draw.plan
    if errors:
        raise ValidationError(errors)
    officers = _unique_users(officers)
    check_officers(officers, enterprise, date, agency)
    with transaction.atomic():
        inspection = Inspection(
            plan=plan, pick=pick, agency=agency, enterprise=enterprise,
            jurisdiction=enterprise.jurisdiction, date=date, place=(place or "").strip(),
            category=category, non_site=non_site,
            non_site_source=non_site_source if non_site else "",
            joint_departments=departments, created_by=actor,
        )
        inspection.jurisdiction_path = enterprise.jurisdiction.path
        _check_fields(inspection)
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
    locked = (Inspection.objects.select_for_update(of=("self",))
              .select_related("enterprise", "agency", "jurisdiction").get(pk=inspection.pk))
    if locked.status != Inspection.Status.DRAFT:
        raise ValidationError(_("检查记录已完成，不能再修改"))
    return locked


def _editable_facts(inspection: Inspection) -> dict[str, Any]:
    return {
        "date": inspection.date, "place": inspection.place, "category": inspection.category,
        "non_site": inspection.non_site, "non_site_source": inspection.non_site_source,
        "joint_departments": list(inspection.joint_departments),
        "officers": sorted(inspection.officers.values_list("pk", flat=True)),
    }


def inspection_update(
    *,
    actor: User,
    inspection: Inspection,
    date: datetime.date,
    place: str,
    category: str,
    officers: Sequence[User],
    non_site: bool = False,
    non_site_source: str = "",
    joint_departments: Sequence[str] = (),
) -> Inspection:
    """Correct a draft's date, place, category, officers and non-site / joint facts,
    checked as on creation. The date is fixed once a hazard was registered on it (its
    order was issued that day)."""
    departments = [d.strip() for d in joint_departments if d and d.strip()]
    errors = _inspection_problems(category, departments, non_site, non_site_source)
    if errors:
        raise ValidationError(errors)
    officers = _unique_users(officers)
    check_officers(officers, inspection.enterprise, date, inspection.agency)
    with transaction.atomic():
        inspection = _require_draft_writer(actor, inspection, _("修改检查记录"))
        if date != inspection.date and inspection.hazards.exists():
            raise ValidationError({"date": _("已登记事故隐患的检查不能修改检查日期")})
        before = _editable_facts(inspection)
        inspection.date, inspection.category = date, category
        inspection.place = (place or "").strip()
        inspection.non_site = non_site
        inspection.non_site_source = non_site_source if non_site else ""
        inspection.joint_departments = departments
        _check_fields(inspection)
        inspection.save()
        inspection.officers.set(officers)
        after = _editable_facts(inspection)
        changes = {key: {"from": before[key], "to": after[key]}
                   for key in after if before[key] != after[key]}
        if changes:
            record_event(actor=actor, obj=inspection, action="inspection.updated",
                         payload={"changes": changes})
    return inspection


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
                       inspection.date, inspection.agency)
        inspection.signed_by, inspection.refusal_reason = signed_by, refusal_reason
        inspection.status = Inspection.Status.FINISHED
        inspection.finished_at = timezone.now()
        inspection.save(update_fields=["signed_by", "refusal_reason", "status", "finished_at"])
        record_event(actor=actor, obj=inspection, action="inspection.finished", payload={
            "signed_by": signed_by, "refusal_reason": refusal_reason,
            "results": inspection.results.count(), "findings": inspection.findings.count(),
        })
    return inspection


# --- the inspection record's number -----------------------------------------------------

RECORD_NUMBERED = "inspection.record_numbered"


def _recorded_number(inspection: Inspection) -> str | None:
    event = object_events(inspection).filter(action=RECORD_NUMBERED).first()
    return event.payload["number"] if event else None


def inspection_record_number(*, actor: User, inspection: Inspection) -> str:
    """The record's number (doc_type inspection_record), allocated on first use and kept
    in the inspection's event record (action `inspection.record_numbered`). The
    inspection row is locked while allocating, so two first downloads at once get the
    same number. Only a finished record is numbered: a draft can still change. The
    number is allocated by the first download, so only who may download it may ask."""
    if not can_download_files(actor):
        raise PermissionDenied(_("您的角色无权下载执法文书"))
    number = _recorded_number(inspection)
    if number:
        return number
    with transaction.atomic():
        locked = (Inspection.objects.select_for_update().select_related("agency")
                  .get(pk=inspection.pk))
        number = _recorded_number(locked)
        if number:
            return number
        if locked.status != Inspection.Status.FINISHED:
            raise ValidationError(_("检查记录尚未完成，不能编号"))
        allocated = document_number_allocate(actor=actor, agency=locked.agency,
                                             doc_type="inspection_record",
                                             year=locked.date.year)
        record_event(actor=actor, obj=locked, action=RECORD_NUMBERED,
                     payload={"number": allocated.text})
    return allocated.text



# --- hazards (事故隐患) ------------------------------------------------------------------

def _hazard_for_update(hazard: Hazard) -> Hazard:
    return (Hazard.objects.select_for_update(of=("self",))
            .select_related("enterprise", "agency", "jurisdiction").get(pk=hazard.pk))


def _order_issue(
    *, actor: User, hazard: Hazard, issued_on: datetime.date, deadline: datetime.date,
    requirements: str,
) -> Entry:
    """Number and save a rectification order and move the hazard onto it (caller's
    transaction; the caller has checked the deadline). Returns the order's event for
    the caller to record with its own."""
    number = document_number_allocate(actor=actor, agency=hazard.agency,
                                      doc_type="rectification_order", year=issued_on.year)
    due = hazard_rules.reinspection_due(calendar.load_schedule(), deadline=deadline)
    order = RectificationOrder.objects.create(
        hazard=hazard, number=number.text, issued_on=issued_on, deadline=deadline,
        requirements=requirements, issued_by=actor, reinspection_due=due.date,
    )
    hazard.status, hazard.deadline = Hazard.Status.ORDERED, deadline
    hazard.reinspection_due = due.date
    hazard.save(update_fields=["status", "deadline", "reinspection_due"])
    return (hazard, "hazard.ordered", {
        "order": order.pk, "number": order.number, "issued_on": issued_on,
        "deadline": deadline, "requirements": requirements,
        "reinspection_due": due.date, "reinspection_rule": hazard_rules.REINSPECTION.citation,
        "assumed_years": list(due.assumed_years),
    })


def hazard_register(
    *,
    actor: User,
    finding: Finding,
    level: str,
    criterion: ChecklistItem | None = None,
    description: str = "",
    rectified_on_site: bool = False,
    deadline: datetime.date | None = None,
    requirements: str = "",
) -> Hazard:
    """Register the finding as a hazard. Rectified on the spot (general hazards only),
    it is closed at once; otherwise a numbered rectification order
    (责令限期整改指令书) is issued on the inspection day with `deadline`."""
    inspection = finding.inspection
    _require(can_inspect(actor), actor, inspection.jurisdiction, what=_("登记事故隐患"))
    criterion = criterion or (finding.item if level == HazardLevel.MAJOR else None)
    issued_on = inspection.date
    problems = hazard_rules.hazard_problems(
        level=level, criterion_standard=criterion.standard if criterion else None,
        rectified_on_site=rectified_on_site, issued_on=issued_on, deadline=deadline)
    if problems:
        raise ValidationError({"hazard": problems})
    description = (description or "").strip() or finding.description
    requirements = ((requirements or "").strip()
                    or _("请于整改期限内消除该事故隐患，并书面报告整改情况"))
    with transaction.atomic():
        if Hazard.objects.filter(finding=finding).exists():
            raise ValidationError({"finding": _("该问题已登记为事故隐患")})
        hazard = Hazard(
            finding=finding, inspection=inspection, enterprise=inspection.enterprise,
            agency=inspection.agency, jurisdiction=inspection.jurisdiction, level=level,
            criterion=criterion, description=description, found_on=inspection.date,
            rectified_on_site=rectified_on_site, created_by=actor,
            status=Hazard.Status.CLOSED if rectified_on_site else Hazard.Status.ORDERED,
            closed_on=inspection.date if rectified_on_site else None,
        )
        hazard.jurisdiction_path = inspection.jurisdiction.path
        _check_fields(hazard)
        hazard.save()
        entries: list[Entry] = [(hazard, "hazard.registered", {
            "finding": finding.pk, "inspection": inspection.pk, "level": level,
            "criterion": criterion.code if criterion else None, "description": description,
            "rectified_on_site": rectified_on_site, "found_on": inspection.date,
        })]
        if not rectified_on_site:
            entries.append(_order_issue(actor=actor, hazard=hazard, issued_on=issued_on,
                                        deadline=deadline, requirements=requirements))
        record_events(actor=actor, entries=entries)
    return hazard


def rectification_report(
    *, actor: User, hazard: Hazard, report_date: datetime.date, text: str,
) -> RectificationOrder:
    """The enterprise's rectification report (整改情况报告) on the current order, filed by
    the enterprise itself or recorded by an officer. The re-inspection is then due
    counted from the report when it came before the deadline."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("请填写整改情况")})
    if not can_report_rectification(actor, hazard.enterprise_id):
        raise PermissionDenied(_("您无权报告该隐患的整改情况"))
    if actor.role != Role.ENTERPRISE:
        _require(True, actor, hazard.jurisdiction, what=_("记录整改情况报告"))
    with transaction.atomic():
        hazard = _hazard_for_update(hazard)
        if hazard.status != Hazard.Status.ORDERED:
            raise ValidationError(_("该隐患当前状态为“%(status)s”，不能报告整改")
                                  % {"status": hazard.get_status_display()})
        order = hazard.orders.order_by("-issued_on", "-id").first()
        if report_date < order.issued_on:
            raise ValidationError({"report_date": _("整改报告日期不能早于整改指令下达日期")})
        if report_date > timezone.localdate():
            raise ValidationError({"report_date": _("整改报告日期不能晚于今天")})
        due = hazard_rules.reinspection_due(calendar.load_schedule(), deadline=order.deadline,
                                            report_date=report_date)
        order.report_date, order.report_text = report_date, text
        order.reinspection_due = due.date
        order.save(update_fields=["report_date", "report_text", "reinspection_due"])
        hazard.status, hazard.reinspection_due = Hazard.Status.REPORTED, due.date
        hazard.save(update_fields=["status", "reinspection_due"])
        record_event(actor=actor, obj=hazard, action="hazard.reported", payload={
            "order": order.pk, "report_date": report_date, "text": text,
            "late": report_date > order.deadline, "reinspection_due": due.date,
        })
    return order


def reinspection_record(
    *,
    actor: User,
    hazard: Hazard,
    date: datetime.date,
    officers: Sequence[User],
    passed: bool,
    opinion: str,
    new_deadline: datetime.date | None = None,
    new_requirements: str = "",
    escalate: bool = False,
) -> Reinspection:
    """Re-inspect (复查) the current order, by at least two certified officers. Passed:
    the hazard is closed (销号) and its supervision listing closed (摘牌). Failed: a new
    order with `new_deadline`, or escalation (移交立案) with `escalate`."""
    opinion = (opinion or "").strip()
    errors: dict[str, Any] = {}
    if not opinion:
        errors["opinion"] = _("请填写复查意见")
    if passed and (new_deadline or escalate):
        errors["new_deadline"] = _("复查合格的隐患予以销号，不能再确定整改期限或移交立案")
    if not passed and bool(new_deadline) == bool(escalate):
        errors["new_deadline"] = _("复查不合格的，应重新确定整改期限或移交立案（二者选一）")
    if not passed and new_deadline:
        problems = hazard_rules.order_problems(issued_on=date, deadline=new_deadline)
        if problems:
            errors["new_deadline"] = problems
    if errors:
        raise ValidationError(errors)
    _require(can_inspect(actor), actor, hazard.jurisdiction, what=_("记录整改复查"))
    officers = _unique_users(officers)
    check_officers(officers, hazard.enterprise, date, hazard.agency)
    with transaction.atomic():
        hazard = _hazard_for_update(hazard)
        if hazard.status not in (Hazard.Status.ORDERED, Hazard.Status.REPORTED):
            raise ValidationError(_("该隐患当前状态为“%(status)s”，不能复查")
                                  % {"status": hazard.get_status_display()})
        order = hazard.orders.order_by("-issued_on", "-id").first()
        if date < order.issued_on:
            raise ValidationError({"date": _("复查日期不能早于整改指令下达日期")})
        if order.report_date and date < order.report_date:
            raise ValidationError({"date": _("复查日期不能早于企业报告整改的日期")})
        supervision = HazardSupervision.objects.filter(hazard=hazard).first()
        if supervision is not None and date < supervision.listed_on:
            raise ValidationError({"date": _("复查日期不能早于挂牌督办日期（%(day)s）")
                                   % {"day": day_text(supervision.listed_on)}})
        number = document_number_allocate(actor=actor, agency=hazard.agency,
                                          doc_type="re_inspection", year=date.year)
        reinspection = Reinspection.objects.create(
            order=order, number=number.text, date=date, passed=passed, opinion=opinion,
            created_by=actor)
        reinspection.officers.set(officers)
        entries: list[Entry] = [(hazard, "hazard.reinspected", {
            "order": order.pk, "reinspection": reinspection.pk, "number": number.text,
            "date": date, "officers": [o.pk for o in officers], "passed": passed,
            "opinion": opinion, "due": order.reinspection_due,
            "late": date > order.reinspection_due,
        })]
        if passed:
            hazard.status, hazard.closed_on = Hazard.Status.CLOSED, date
            hazard.save(update_fields=["status", "closed_on"])
            entries.append((hazard, "hazard.closed", {"on": date}))
            if supervision is not None and supervision.closed_on is None:
                supervision.closed_on = date
                supervision.save(update_fields=["closed_on"])
                entries.append((hazard, "hazard.supervision_closed",
                                {"supervision": supervision.pk, "on": date}))
        elif new_deadline:
            entries.append(_order_issue(
                actor=actor, hazard=hazard, issued_on=date, deadline=new_deadline,
                requirements=(new_requirements or "").strip() or order.requirements))
        else:
            hazard.status = Hazard.Status.ESCALATED
            hazard.save(update_fields=["status"])
            entries.append((hazard, "hazard.escalated", {"reinspection": reinspection.pk}))
        record_events(actor=actor, entries=entries)
    return reinspection


def supervision_list(
    *,
    actor: User,
    hazard: Hazard,
    level: str,
    agency: Agency,
    listed_on: datetime.date,
    note: str = "",
) -> HazardSupervision:
    """List a major hazard for supervision (挂牌督办) by `agency` at `level`."""
    if level not in SupervisionLevel.values:
        raise ValidationError({"level": _("督办级别不正确")})
    _require(can_plan(actor), actor, hazard.jurisdiction, what=_("挂牌督办"))
    if not agency.jurisdiction.contains(hazard.jurisdiction):
        raise ValidationError({"agency": _("督办机关应对该隐患所在地有管辖权")})
    problems = hazard_rules.supervision_problems(
        level=level, agency_jurisdiction_level=agency.jurisdiction.level)
    if problems:
        raise ValidationError({"level": problems})
    with transaction.atomic():
        hazard = _hazard_for_update(hazard)
        if hazard.level != HazardLevel.MAJOR:
            raise ValidationError(_("只有重大事故隐患才能挂牌督办"))
        if hazard.status in (Hazard.Status.CLOSED, Hazard.Status.ESCALATED):
            raise ValidationError(_("该隐患已销号或移交立案，不能挂牌督办"))
        if HazardSupervision.objects.filter(hazard=hazard).exists():
            raise ValidationError(_("该隐患已挂牌督办"))
        if listed_on < hazard.found_on:
            raise ValidationError({"listed_on": _("挂牌日期不能早于隐患发现日期")})
        supervision = HazardSupervision(hazard=hazard, level=level, agency=agency,
                                        listed_on=listed_on, note=(note or "").strip(),
                                        listed_by=actor)
        supervision.full_clean(exclude=["hazard"])
        supervision.save()
        record_event(actor=actor, obj=hazard, action="hazard.supervision_listed", payload={
            "supervision": supervision.pk, "level": level, "agency": agency.name,
            "listed_on": listed_on, "note": supervision.note,
        })
    return supervision


# --- assistance (帮扶指导) ----------------------------------------------------------------

def _covering_agency(agency: Agency | None, enterprise: Enterprise) -> Agency:
    if agency is None:
        raise ValidationError({"agency": _("请指定组织帮扶的机关")})
    if not agency.jurisdiction.contains(enterprise.jurisdiction):
        raise ValidationError({"agency": _("%(agency)s对%(name)s所在地没有管辖权")
                               % {"agency": agency.name, "name": enterprise.name}})
    return agency


def assistance_visit_record(
    *,
    actor: User,
    enterprise: Enterprise,
    date: datetime.date,
    expert: str,
    problems: str,
    advice: str,
    expert_field: str = "",
    agency: Agency | None = None,
) -> AssistanceVisit:
    """An expert service visit (专家指导服务) to an enterprise."""
    _require(can_plan(actor), actor, enterprise.jurisdiction, what=_("记录帮扶指导"))
    agency = _covering_agency(agency or actor.agency, enterprise)
    with transaction.atomic():
        visit = AssistanceVisit(
            enterprise=enterprise, agency=agency, date=date, expert=(expert or "").strip(),
            expert_field=(expert_field or "").strip(), problems=(problems or "").strip(),
            advice=(advice or "").strip(), created_by=actor,
        )
        visit.jurisdiction_path = enterprise.jurisdiction_path
        _check_fields(visit)
        visit.save()
        record_event(actor=actor, obj=visit, action="assistance_visit.recorded", payload={
            "enterprise": enterprise.pk, "agency": agency.name, "date": date,
            "expert": visit.expert, "expert_field": visit.expert_field,
            "problems": visit.problems, "advice": visit.advice,
        })
    return visit


def key_assisted_add(
    *, actor: User, enterprise: Enterprise, year: int, reason: str,
    agency: Agency | None = None,
) -> KeyAssistedEnterprise:
    """Put an enterprise on the year's list of key enterprises under assistance."""
    _require(can_plan(actor), actor, enterprise.jurisdiction, what=_("确定重点帮扶企业"))
    agency = _covering_agency(agency or actor.agency, enterprise)
    with transaction.atomic():
        if KeyAssistedEnterprise.objects.filter(enterprise=enterprise, year=year).exists():
            raise ValidationError(_("%(name)s已列入%(year)s年度重点帮扶企业")
                                  % {"name": enterprise.name, "year": year})
        row = KeyAssistedEnterprise(enterprise=enterprise, agency=agency, year=year,
                                    reason=(reason or "").strip(), listed_by=actor)
        row.jurisdiction_path = enterprise.jurisdiction_path
        _check_fields(row)
        row.save()
        record_event(actor=actor, obj=row, action="key_assisted.listed", payload={
            "enterprise": enterprise.pk, "agency": agency.name, "year": year,
            "reason": row.reason,
        })
    return row


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
