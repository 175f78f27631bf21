"""Writes of fair-competition review (公平竞争审查): open a review of a text (the engine
screens it and stores each flag), the reviewer's call on each flag (确认 / 排除), and the
conclusion (符合 / 不符合 / 适用例外, 《公平竞争审查条例》第十二条、第十七条).

Every function checks the actor first, runs in one transaction and writes its event
(`policy.fcr_review.<verb>`). A refusal raises a Chinese ValidationError /
PermissionDenied before anything is saved."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from fazhi.core.models import Role, User
from fazhi.core.rules.calendar import day_text
from fazhi.core.services.events import record_event
from fazhi.policy.models_fcr import (
    EXCEPTION_PURPOSES,
    ArchivedDocument,
    FcrConclusion,
    FcrFlag,
    FcrReview,
    FcrSource,
    FlagDecision,
    ScreeningResult,
    ScreeningRun,
)
from fazhi.policy.rules import fcr as engine

STAFF_ROLES = frozenset({Role.OFFICER, Role.LEADER, Role.REVIEWER, Role.ADMIN})
# Who concludes a review: the legal reviewer (法制审核员) or the head (负责人).
REVIEW_ROLES = frozenset({Role.REVIEWER, Role.LEADER, Role.ADMIN})


def _require_staff(actor: User) -> None:
    if not (actor.is_authenticated and actor.role in STAFF_ROLES and actor.agency_id):
        raise PermissionDenied("只有本机关工作人员可以发起公平竞争审查。")


def _require_reviewer(actor: User, review: FcrReview) -> None:
    if not (actor.is_authenticated and actor.role in REVIEW_ROLES and actor.agency_id):
        raise PermissionDenied("只有法制审核员或负责人可以认定提示、作出审查结论。")
    path = actor.agency.jurisdiction.path
    if review.jurisdiction_path and not review.jurisdiction_path.startswith(path):
        raise PermissionDenied("该审查不在您的管辖范围内。")


def _flag_rows(review: FcrReview, flags: list[engine.Flag]) -> list[FcrFlag]:
    return [FcrFlag(review=review, standard=f.standard, start=f.start, end=f.end,
                    cue=f.cue[:200], explanation=f.explanation, clause=f.clause)
            for f in flags]


@transaction.atomic
def fcr_review_open(
    *,
    actor: User,
    title: str,
    text: str,
    source: str,
    document: ArchivedDocument | None = None,
    run: ScreeningRun | None = None,
    at: datetime.datetime | None = None,
) -> FcrReview:
    """Open the review of `text`: the engine screens it and each flag is stored for the
    reviewer (H-norm's normative documents call this at their 公平竞争审查 stage)."""
    _require_staff(actor)
    title, text = (title or "").strip(), (text or "").strip()
    if not title:
        raise ValidationError("请填写审查对象的标题。")
    if not text:
        raise ValidationError("审查文本不能为空。")
    if source not in FcrSource.values:
        raise ValidationError("审查来源不正确。")
    if source == FcrSource.ARCHIVE and document is None:
        raise ValidationError("存量文件审查须关联存量文件。")
    review = FcrReview(
        agency=document.agency if document else actor.agency, title=title[:300], text=text,
        source=source, document=document, run=run, opened_by=actor,
        created_at=at or timezone.now(), engine_version=engine.ENGINE_VERSION,
    )
    review.full_clean()
    review.save()
    flags = engine.screen(text)
    FcrFlag.objects.bulk_create(_flag_rows(review, flags))
    record_event(actor=actor, obj=review, action="policy.fcr_review.open", payload={
        "title": review.title, "source": source, "document": document.pk if document else None,
        "engine": engine.ENGINE_VERSION, "flags": [f.standard for f in flags],
    })
    return review


@transaction.atomic
def archived_document_add(
    *, actor: User, number: str, title: str, issuer: str, issued_on: datetime.date,
    text: str,
) -> ArchivedDocument:
    """Add one issued document to the agency's archive (存量文件库)."""
    _require_staff(actor)
    document = ArchivedDocument(agency=actor.agency, number=(number or "").strip(),
                                title=(title or "").strip(), issuer=(issuer or "").strip(),
                                issued_on=issued_on, text=(text or "").strip())
    if ArchivedDocument.objects.filter(agency=actor.agency, number=document.number).exists():
        raise ValidationError(f"文号“{document.number}”已在存量文件库中。")
    document.full_clean()
    document.save()
    record_event(actor=actor, obj=document, action="policy.archive.add", payload={
        "number": document.number, "title": document.title, "issued_on": issued_on})
    return document


@transaction.atomic
def fcr_flag_decide(*, actor: User, flag: FcrFlag, decision: str, note: str = "") -> FcrFlag:
    """The reviewer's call on one flag: 确认涉限 or 排除 (with the reason)."""
    flag = FcrFlag.objects.select_for_update().select_related("review").get(pk=flag.pk)
    _require_reviewer(actor, flag.review)
    if flag.review.is_concluded:
        raise ValidationError("审查已作出结论，不能再修改提示认定。")
    if decision not in (FlagDecision.CONFIRMED, FlagDecision.DISMISSED):
        raise ValidationError("请选择“确认涉限”或“排除”。")
    note = (note or "").strip()
    if decision == FlagDecision.DISMISSED and not note:
        raise ValidationError("排除提示须说明理由。")
    flag.decision, flag.note = decision, note
    flag.decided_by, flag.decided_at = actor, timezone.now()
    flag.full_clean()
    flag.save()
    record_event(actor=actor, obj=flag.review, action="policy.fcr_review.flag", payload={
        "flag": flag.pk, "standard": flag.standard, "decision": decision, "note": note,
    })
    return flag


@transaction.atomic
def fcr_review_conclude(
    *,
    actor: User,
    review: FcrReview,
    conclusion: str,
    justification: str = "",
    exception_until: datetime.date | None = None,
    exception_purpose: str = "",
    at: datetime.datetime | None = None,
) -> FcrReview:
    """Conclude the review. 符合: every flag dismissed. 不符合 (the measure must be
    changed): a confirmed flag or a written reason. 适用例外 (第十二条): the purpose
    (FCR-12-n), the justification (no less-restrictive alternative) and the period."""
    review = FcrReview.objects.select_for_update().get(pk=review.pk)
    _require_reviewer(actor, review)
    if review.is_concluded:
        raise ValidationError("该审查已作出结论。")
    flags = list(review.flags.all())
    pending = [f for f in flags if f.decision == FlagDecision.PENDING]
    confirmed = [f for f in flags if f.decision == FlagDecision.CONFIRMED]
    justification = (justification or "").strip()
    at = at or timezone.now()
    if conclusion not in (FcrConclusion.COMPLIANT, FcrConclusion.NONCOMPLIANT,
                          FcrConclusion.EXCEPTION):
        raise ValidationError("审查结论须为“符合”“不符合”或“适用例外”。")
    if pending:
        raise ValidationError(f"尚有{len(pending)}条提示未认定（确认或排除），不能作出结论。")
    if conclusion == FcrConclusion.COMPLIANT:
        if confirmed:
            raise ValidationError("已确认涉限的条款，不能作出“符合”结论；应修改或说明适用例外。")
        exception_until, exception_purpose = None, ""
    elif conclusion == FcrConclusion.NONCOMPLIANT:
        if not confirmed and not justification:
            raise ValidationError("结论为“不符合”的，须确认涉限条款或写明需修改的内容。")
        exception_until, exception_purpose = None, ""
    else:
        if exception_purpose not in EXCEPTION_PURPOSES:
            raise ValidationError("适用例外须选择《公平竞争审查条例》第十二条规定的情形。")
        if not justification:
            raise ValidationError("适用例外须详细说明理由：没有对公平竞争影响更小的替代方案。")
        if exception_until is None:
            raise ValidationError("适用例外须确定合理的实施期限。")
        if exception_until <= timezone.localdate(at):
            raise ValidationError("例外实施期限须晚于审查结论日期。")
    review.conclusion, review.justification = conclusion, justification
    review.exception_until, review.exception_purpose = exception_until, exception_purpose
    review.reviewer, review.concluded_at = actor, at
    review.full_clean()
    review.save()
    record_event(actor=actor, obj=review, action="policy.fcr_review.conclude", payload={
        "conclusion": conclusion, "justification": justification,
        "exception_purpose": exception_purpose, "exception_until": exception_until,
        "confirmed": [f.standard for f in confirmed],
    })
    return review


# --- archive screening (存量文件筛查) ---------------------------------------------------

SCREEN_BATCH = 1000


@transaction.atomic
def fcr_run_start(*, actor: User, label: str = "") -> ScreeningRun:
    """Start a batch screening of the actor's agency's whole archive as a background job
    (core.jobs; its progress bar is on the run's page)."""
    from fazhi.core.jobs import job_submit

    _require_staff(actor)
    agency = actor.agency
    if not ArchivedDocument.objects.filter(agency=agency).exists():
        raise ValidationError("本机关的存量文件库中还没有文件，无法筛查。")
    unfinished = ScreeningRun.objects.filter(agency=agency, status__in=(
        ScreeningRun.Status.QUEUED, ScreeningRun.Status.RUNNING))
    # A run whose job failed or was interrupted rolled back: it is marked failed.
    unfinished.filter(job__status="failed").update(status=ScreeningRun.Status.FAILED)
    for run in unfinished.filter(job__status__in=("queued", "running")).select_related("job"):
        if run.job.stalled:
            ScreeningRun.objects.filter(pk=run.pk).update(status=ScreeningRun.Status.FAILED)
    if unfinished.exists():
        raise ValidationError("已有一次筛查正在进行，请等待其完成。")
    now = timezone.now()
    run = ScreeningRun(
        agency=agency, started_by=actor, created_at=now,
        label=(label or "").strip()[:200]
        or f"{day_text(timezone.localdate(now))}存量文件公平竞争审查筛查",
        engine_version=engine.ENGINE_VERSION,
    )
    run.full_clean()
    run.save()
    record_event(actor=actor, obj=run, action="policy.fcr_run.start",
                 payload={"label": run.label, "engine": run.engine_version})
    run.job = job_submit(actor=actor, kind="policy.fcr_batch", label=run.label,
                         target="fazhi.policy.services_fcr:run_archive_screening",
                         params={"run_id": run.pk})
    run.save(update_fields=["job"])
    run.refresh_from_db()
    return run


def screen_documents(
    documents: list[tuple[int, str]], *, cache: dict[str, list[engine.Flag]] | None = None,
) -> list[tuple[int, list[engine.Flag]]]:
    """(document id, flags) for each (id, text); `cache` reuses the flags of identical
    texts (the engine is deterministic)."""
    out = []
    for pk, text in documents:
        if cache is None:
            flags = engine.screen(text)
        else:
            flags = cache.get(text)
            if flags is None:
                flags = cache[text] = engine.screen(text)
        out.append((pk, flags))
    return out


def result_rows(run: ScreeningRun, screened: list[tuple[int, list[engine.Flag]]]
                ) -> list[ScreeningResult]:
    rows = []
    for pk, flags in screened:
        standards = sorted({f.standard for f in flags}, key=_standard_order)
        rows.append(ScreeningResult(
            run=run, document_id=pk, flag_count=len(flags),
            standards=",".join(standards)[:300],
            flags=[{"standard": f.standard, "start": f.start, "end": f.end, "cue": f.cue,
                    "explanation": f.explanation} for f in flags],
        ))
    return rows


def _standard_order(standard: str) -> tuple[int, ...]:
    return tuple(int(part) for part in standard.split("-")[1:])


def run_archive_screening(ctx, run_id: int) -> dict:
    """The job target: screen every archived document of the run's agency, store one
    result per document, all or nothing; the run's page shows the ledger."""
    with transaction.atomic():
        run = ScreeningRun.objects.select_for_update().select_related("agency").get(
            pk=run_id)
        if run.status == ScreeningRun.Status.DONE:
            raise ValidationError("该筛查已完成。")
        documents = ArchivedDocument.objects.filter(agency=run.agency).order_by("pk")
        total = documents.count()
        ctx.set_total(total)
        ctx.message(f"正在筛查 {run.agency.name} 的 {total} 件存量文件")
        ScreeningRun.objects.filter(pk=run.pk).update(status=ScreeningRun.Status.RUNNING)
        flagged = 0
        batch: list[tuple[int, str]] = []
        for pk, text in documents.values_list("pk", "text").iterator(chunk_size=2000):
            batch.append((pk, text))
            if len(batch) >= SCREEN_BATCH:
                flagged += _store_batch(run, batch)
                ctx.advance(len(batch))
                batch = []
        if batch:
            flagged += _store_batch(run, batch)
            ctx.advance(len(batch))
        run.status, run.finished_at = ScreeningRun.Status.DONE, timezone.now()
        run.documents, run.flagged = total, flagged
        run.save(update_fields=["status", "finished_at", "documents", "flagged"])
        record_event(actor=ctx.actor, obj=run, action="policy.fcr_run.finish", payload={
            "documents": total, "flagged": flagged, "engine": run.engine_version})
    summary = f"共筛查 {total} 件文件，提示可能涉限 {flagged} 件。"
    return {"url": run.get_absolute_url(), "summary": summary, "documents": total,
            "flagged": flagged}


def _store_batch(run: ScreeningRun, batch: list[tuple[int, str]]) -> int:
    rows = result_rows(run, screen_documents(batch))
    ScreeningResult.objects.bulk_create(rows, batch_size=1000)
    return sum(1 for row in rows if row.flag_count)


@transaction.atomic
def fcr_review_open_for_result(*, actor: User, result: ScreeningResult) -> FcrReview:
    """Open the close review (严格审查) of a document the run flagged (once per run)."""
    existing = FcrReview.objects.filter(document=result.document, run=result.run).first()
    if existing:
        return existing
    if not result.flag_count:
        raise ValidationError("该文件筛查未提示涉限条款，无需严格审查。")
    document = result.document
    return fcr_review_open(actor=actor, title=document.title, text=document.text,
                           source=FcrSource.ARCHIVE, document=document, run=result.run)
