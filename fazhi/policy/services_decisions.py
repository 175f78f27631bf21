"""Writes of major administrative decisions (重大行政决策): the yearly catalogue, the
decisions in it, the record of each statutory step (with comments and documents), the
decision (决定) — refused while a step is missing, naming the steps and articles
(`rules.decisions.adoption_gaps`) —, its publication and post-decision evaluation.

Keyword-only, actor checked first, one transaction, an event per change
(`policy.decision.<verb>`, `policy.catalogue.<verb>`); refusals in Chinese before
anything is saved."""

from __future__ import annotations

import datetime
import hashlib
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fazhi.core.models import User
from fazhi.core.services.events import record_event
from fazhi.core.services.inputs import required_text
from fazhi.policy.models_decisions import (
    DecisionCatalogue,
    DecisionComment,
    DecisionEvaluation,
    DecisionFile,
    DecisionStatus,
    DecisionStep,
    MajorDecision,
    StepKind,
)
from fazhi.policy.rules import decisions as rules

WRITERS = frozenset({"officer", "leader", "reviewer", "admin"})
LEGAL_REVIEWERS = frozenset({"reviewer"})
DECIDERS = frozenset({"leader"})
MAX_FILE = 20 * 1024 * 1024
ALLOWED_SUFFIXES = frozenset({"pdf", "docx", "doc", "xlsx", "jpg", "jpeg", "png", "txt"})
OPEN = (DecisionStatus.CATALOGUED, DecisionStatus.IN_PROGRESS)


def _day(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


def _require(actor: User, agency_id: int, roles: frozenset[str] = WRITERS) -> None:
    if not (actor.is_authenticated and actor.is_active and actor.role in roles):
        raise PermissionDenied("当前角色无权办理该事项。")
    if actor.agency_id != agency_id:
        raise PermissionDenied("只能办理本机关的重大行政决策。")


def _locked(decision: MajorDecision, expected_version: int | None = None) -> MajorDecision:
    d = MajorDecision.objects.select_for_update(of=("self",)).select_related("catalogue").get(
        pk=decision.pk)
    if expected_version is not None and d.version != expected_version:
        raise ValidationError("该决策已被他人修改，请刷新页面后重试。")
    return d


def _save(decision: MajorDecision) -> None:
    decision.version += 1
    decision.full_clean()
    decision.save()


# --- catalogue -----------------------------------------------------------------------------

@transaction.atomic
def catalogue_create(*, actor: User, year: int, title: str = "",
                     published_on: datetime.date | None = None) -> DecisionCatalogue:
    """The agency's catalogue of a year (《条例》第三条第三款: 决策事项目录, 向社会公布)."""
    if not actor.is_authenticated or not actor.agency_id:
        raise PermissionDenied("只有机关工作人员可以编制决策事项目录。")
    _require(actor, actor.agency_id)
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": "年度不正确"})
    if DecisionCatalogue.objects.filter(agency_id=actor.agency_id, year=year).exists():
        raise ValidationError({"year": f"{year}年度目录已存在"})
    title = (title or "").strip() or f"{actor.agency.name}{year}年度重大行政决策事项目录"
    catalogue = DecisionCatalogue(agency=actor.agency, year=year, title=title[:200],
                                  published_on=published_on)
    catalogue.full_clean()
    catalogue.save()
    record_event(actor=actor, obj=catalogue, action="policy.catalogue.created", payload={
        "year": year, "title": catalogue.title, "published_on": _day(published_on)})
    return catalogue


@transaction.atomic
def catalogue_publish(*, actor: User, catalogue: DecisionCatalogue,
                      published_on: datetime.date) -> DecisionCatalogue:
    catalogue = DecisionCatalogue.objects.select_for_update().get(pk=catalogue.pk)
    _require(actor, catalogue.agency_id)
    if catalogue.published_on:
        raise ValidationError("目录已公布")
    catalogue.published_on = published_on
    catalogue.full_clean()
    catalogue.save()
    record_event(actor=actor, obj=catalogue, action="policy.catalogue.published",
                 payload={"published_on": _day(published_on)})
    return catalogue


@transaction.atomic
def decision_add(*, actor: User, catalogue: DecisionCatalogue, title: str, undertaker: str,
                 summary: str = "", planned_by: str = "") -> MajorDecision:
    """List a decision in the catalogue (列入目录)."""
    _require(actor, catalogue.agency_id)
    title = required_text(title, "title", _("决策事项"))
    undertaker = required_text(undertaker, "undertaker", _("承办单位"))
    decision = MajorDecision(catalogue=catalogue, title=title[:300], undertaker=undertaker[:100],
                             summary=(summary or "").strip(), planned_by=planned_by[:50])
    decision.full_clean()
    decision.save()
    record_event(actor=actor, obj=decision, action="policy.decision.catalogued", payload={
        "catalogue": catalogue.pk, "year": catalogue.year, "title": decision.title,
        "undertaker": decision.undertaker})
    return decision


# --- steps ---------------------------------------------------------------------------------



@transaction.atomic
def decision_step_record(
    *, actor: User, decision: MajorDecision, kind: str, started_on: datetime.date,
    completed_on: datetime.date | None = None, summary: str = "", participants: str = "",
    meeting: str = "", comment_from: datetime.date | None = None,
    comment_until: datetime.date | None = None, urgent_reason: str = "",
    risk_level: str = "", legality: str = "",
) -> DecisionStep:
    """Record (or update) one statutory step. The legality review is recorded by the legal
    department (法制审核员); a public-participation period shorter than 30 days needs the
    reason (《条例》第十四条)."""
    if kind not in StepKind.values:
        raise ValidationError({"kind": "程序类型不正确"})
    roles = LEGAL_REVIEWERS if kind == StepKind.LEGALITY else WRITERS
    _require(actor, decision.catalogue.agency_id, roles)
    decision = _locked(decision)
    if decision.status not in OPEN:
        raise ValidationError("决策已作出，程序记录不能再修改")
    summary = (summary or "").strip()
    if completed_on and not summary:
        raise ValidationError({"summary": "完成的程序请填写情况记录"})
    if completed_on and completed_on < started_on:
        raise ValidationError({"completed_on": "完成日期不能早于开始日期"})
    if kind == StepKind.PUBLIC:
        gaps = rules.comment_period_gaps(comment_from, comment_until, urgent_reason)
        if gaps:
            raise ValidationError({"comment_until": [str(g) for g in gaps]})
    if kind == StepKind.LEGALITY and completed_on and legality not in ("legal", "illegal"):
        raise ValidationError({"legality": "请填写合法性审查结论"})
    if kind == StepKind.RISK and completed_on and not risk_level:
        raise ValidationError({"risk_level": "请填写风险等级"})
    if kind == StepKind.COLLECTIVE and completed_on and not (meeting or "").strip():
        raise ValidationError({"meeting": "请填写讨论决定的会议"})
    values = {"started_on": started_on, "completed_on": completed_on, "summary": summary,
              "participants": (participants or "").strip(), "meeting": (meeting or "")[:100],
              "comment_from": comment_from if kind == StepKind.PUBLIC else None,
              "comment_until": comment_until if kind == StepKind.PUBLIC else None,
              "urgent_reason": (urgent_reason or "").strip() if kind == StepKind.PUBLIC else "",
              "risk_level": risk_level if kind == StepKind.RISK else "",
              "legality": legality if kind == StepKind.LEGALITY else ""}
    step = DecisionStep.objects.filter(decision=decision, kind=kind).first()
    created = step is None
    step = step or DecisionStep(decision=decision, kind=kind)
    for name, value in values.items():
        setattr(step, name, value)
    step.recorded_by = actor
    step.full_clean()
    step.save()
    if decision.status == DecisionStatus.CATALOGUED:
        decision.status = DecisionStatus.IN_PROGRESS
    _save(decision)
    record_event(actor=actor, obj=decision, action="policy.decision.step_recorded", payload={
        "step": kind, "created": created,
        **{k: (_day(v) if isinstance(v, datetime.date) else v)
           for k, v in values.items() if k not in ("summary", "participants")}})
    return step


@transaction.atomic
def decision_comment_add(*, actor: User, step: DecisionStep, received_on: datetime.date,
                         source: str, content: str, adopted: bool | None = None,
                         response: str = "") -> DecisionComment:
    """A comment received during public participation (no personal identity stored)."""
    _require(actor, step.decision.catalogue.agency_id)
    if step.kind != StepKind.PUBLIC:
        raise ValidationError("只有公众参与环节可以登记公众意见")
    if step.decision.status not in OPEN:
        raise ValidationError("决策已作出，不能再登记意见")
    source, content = (source or "").strip(), (content or "").strip()
    if not source or not content:
        raise ValidationError("请填写意见来源和意见内容")
    if step.comment_from and step.comment_until and not (
            step.comment_from <= received_on <= step.comment_until):
        raise ValidationError({"received_on": "收到日期不在公开征求意见期间内"})
    if adopted is False and not (response or "").strip():
        raise ValidationError({"response": "不采纳的意见应当说明理由"})
    comment = DecisionComment(step=step, received_on=received_on, source=source[:100],
                              content=content, adopted=adopted,
                              response=(response or "").strip())
    comment.full_clean()
    comment.save()
    record_event(actor=actor, obj=step.decision, action="policy.decision.comment_added",
                 payload={"comment": comment.pk, "source": comment.source,
                          "received_on": _day(received_on), "adopted": adopted})
    return comment


@transaction.atomic
def decision_file_add(*, actor: User, decision: MajorDecision, upload: Any,
                      step: DecisionStep | None = None) -> DecisionFile:
    """Upload a document of the decision or of one of its steps (kept with its SHA-256)."""
    _require(actor, decision.catalogue.agency_id)
    if step is not None and step.decision_id != decision.pk:
        raise ValidationError("程序记录不属于该决策")
    name = str(getattr(upload, "name", "") or "")
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix not in ALLOWED_SUFFIXES:
        raise ValidationError({"file": "文件类型不支持（可上传 PDF、Word、Excel、图片或文本）"})
    data = b"".join(upload.chunks())
    if not data:
        raise ValidationError({"file": "文件为空"})
    if len(data) > MAX_FILE:
        raise ValidationError({"file": "文件不能超过20MB"})
    item = DecisionFile(decision=decision, step=step, original_name=name[:200],
                        sha256=hashlib.sha256(data).hexdigest(), size=len(data),
                        uploaded_by=actor)
    item.file.save(name, ContentFile(data), save=False)
    item.save()
    record_event(actor=actor, obj=decision, action="policy.decision.file_added", payload={
        "file": item.pk, "step": step.kind if step else None, "name": item.original_name,
        "sha256": item.sha256, "size": item.size})
    return item


# --- decision, publication, evaluation -----------------------------------------------------

def step_facts(decision: MajorDecision) -> dict[str, rules.StepFacts]:
    """The recorded steps as the rules see them."""
    facts = {}
    for step in decision.steps.all():
        unanswered = 0
        if step.kind == StepKind.PUBLIC:
            unanswered = step.comments.filter(adopted__isnull=True).count()
        facts[step.kind] = rules.StepFacts(
            kind=step.kind, started_on=step.started_on, completed_on=step.completed_on,
            comment_from=step.comment_from, comment_until=step.comment_until,
            urgent_reason=step.urgent_reason, legality=step.legality,
            comments_unanswered=unanswered)
    return facts


def adoption_gaps(decision: MajorDecision,
                  adopted_on: datetime.date | None = None) -> list[rules.Gap]:
    """What the decision still lacks (the detail page shows it before the button)."""
    return rules.adoption_gaps(step_facts(decision), adopted_on or timezone.localdate())


@transaction.atomic
def decision_adopt(*, actor: User, decision: MajorDecision, adopted_on: datetime.date,
                   decision_text: str, expected_version: int | None = None) -> MajorDecision:
    """Mark the decision adopted (作出决定). Refused while any statutory step is missing
    or incomplete; the refusal names each missing step and its article."""
    _require(actor, decision.catalogue.agency_id, DECIDERS)
    decision = _locked(decision, expected_version)
    if decision.status not in OPEN:
        raise ValidationError("该决策已作出或已撤回")
    decision_text = required_text(decision_text, "decision_text", _("决定内容"))
    facts = step_facts(decision)
    gaps = rules.adoption_gaps(facts, adopted_on)
    if gaps:
        raise ValidationError(rules.refusal_message(gaps))
    decision.status, decision.adopted_on = DecisionStatus.ADOPTED, adopted_on
    decision.decision_text = decision_text
    _save(decision)
    record_event(actor=actor, obj=decision, action="policy.decision.adopted", payload={
        "adopted_on": _day(adopted_on), "steps": sorted(facts)})
    return decision


@transaction.atomic
def decision_publish(*, actor: User, decision: MajorDecision, published_on: datetime.date,
                     published_where: str) -> MajorDecision:
    """Publish the decision (《条例》第三十二条: 及时公布)."""
    _require(actor, decision.catalogue.agency_id)
    decision = _locked(decision)
    if decision.status != DecisionStatus.ADOPTED:
        raise ValidationError("作出决定后才能公布")
    published_where = required_text(published_where, "published_where",
                                    _("公布载体（如门户网站）"))
    if decision.adopted_on and published_on < decision.adopted_on:
        raise ValidationError({"published_on": "公布日期不能早于决定日期"})
    decision.status, decision.published_on = DecisionStatus.PUBLISHED, published_on
    decision.published_where = published_where[:100]
    _save(decision)
    record_event(actor=actor, obj=decision, action="policy.decision.published", payload={
        "published_on": _day(published_on), "where": decision.published_where})
    return decision


@transaction.atomic
def decision_evaluate(*, actor: User, decision: MajorDecision, evaluated_on: datetime.date,
                      evaluator: str, conclusion: str, trigger: str = "") -> DecisionEvaluation:
    """A post-decision evaluation (决策后评估, 《条例》第三十五条)."""
    _require(actor, decision.catalogue.agency_id)
    decision = _locked(decision)
    if decision.status not in (DecisionStatus.ADOPTED, DecisionStatus.PUBLISHED):
        raise ValidationError("作出决定后才能进行决策后评估")
    if decision.adopted_on and evaluated_on < decision.adopted_on:
        raise ValidationError({"evaluated_on": "评估日期不能早于决定日期"})
    evaluator, conclusion = (evaluator or "").strip(), (conclusion or "").strip()
    if not evaluator or not conclusion:
        raise ValidationError("请填写评估单位和评估结论")
    evaluation = DecisionEvaluation(decision=decision, evaluated_on=evaluated_on,
                                    evaluator=evaluator[:100], trigger=(trigger or "")[:200],
                                    conclusion=conclusion, recorded_by=actor)
    evaluation.full_clean()
    evaluation.save()
    _save(decision)
    record_event(actor=actor, obj=decision, action="policy.decision.evaluated", payload={
        "evaluation": evaluation.pk, "evaluated_on": _day(evaluated_on),
        "evaluator": evaluation.evaluator})
    return evaluation
