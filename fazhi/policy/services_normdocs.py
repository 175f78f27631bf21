"""Writes of normative documents (行政规范性文件) and their cleanup (清理).

Every function is keyword-only, checks the actor first, refuses in Chinese before
saving anything, runs in one transaction and writes its event
(`policy.normdoc.<verb>`, `policy.cleanup.<verb>`). The workflow's gates are the pure
table `fazhi.policy.rules.normdocs`; `normdoc_transition` is the only way a document
changes state."""

from __future__ import annotations

import datetime
import hashlib
import io
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fazhi.core.models import User
from fazhi.core.services.events import record_event
from fazhi.core.services.inputs import required_text
from fazhi.core.services.numbering import document_number_allocate
from fazhi.policy.models_fcr import FcrSource
from fazhi.policy.models_normdocs import (
    CleanupCampaign,
    CleanupOutcome,
    CleanupResult,
    DocIssuer,
    DocStatus,
    LegalityOpinion,
    LegalityReview,
    NormativeDocument,
)
from fazhi.policy.rules import normdocs as rules

SHANGHAI = ZoneInfo("Asia/Shanghai")
MAX_UPLOAD = 20 * 1024 * 1024
MAX_TEXT = 500_000


# --- helpers -------------------------------------------------------------------------------

def _today() -> datetime.date:
    return timezone.localdate()


def _require_writer(actor: User, agency_id: int, roles: frozenset[str] = rules.WRITERS) -> None:
    if not (actor.is_authenticated and actor.is_active and actor.role in roles):
        raise PermissionDenied("当前角色无权办理规范性文件。")
    if actor.agency_id != agency_id:
        raise PermissionDenied("只能办理本机关的规范性文件。")


def _locked(document: NormativeDocument, expected_version: int | None) -> NormativeDocument:
    doc = NormativeDocument.objects.select_for_update(of=("self",)).select_related(
        "agency__jurisdiction", "fcr_review").get(pk=document.pk)
    if expected_version is not None and doc.version != expected_version:
        raise ValidationError("该文件已被他人修改，请刷新页面后重试。")
    return doc


def _save(doc: NormativeDocument) -> None:
    doc.version += 1
    doc.full_clean()
    doc.save()


def _day(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


def extract_text(*, name: str, data: bytes) -> tuple[str, str]:
    """The text of an uploaded .docx (python-docx: paragraphs and table cells) or .pdf
    (pypdf: the text layer) and the source kind. Refuses other types, empty text, and
    scanned PDFs without a text layer."""
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if len(data) > MAX_UPLOAD:
        raise ValidationError({"upload": "文件不能超过20MB"})
    try:
        if suffix == "docx":
            import docx

            document = docx.Document(io.BytesIO(data))
            parts = [p.text for p in document.paragraphs]
            for table in document.tables:
                for row in table.rows:
                    parts.append("\t".join(cell.text for cell in row.cells))
            text, kind = "\n".join(parts), NormativeDocument.TextSource.DOCX
        elif suffix == "pdf":
            from pypdf import PdfReader

            reader = PdfReader(io.BytesIO(data))
            text = "\n".join((page.extract_text() or "") for page in reader.pages)
            kind = NormativeDocument.TextSource.PDF
        else:
            raise ValidationError({"upload": "只能上传 .docx 或 .pdf 文件"})
    except ValidationError:
        raise
    except Exception:
        raise ValidationError({"upload": "无法读取该文件，请确认文件未损坏"}) from None
    text = text.replace("\x00", "").strip()
    if not text:
        raise ValidationError(
            {"upload": "未能从文件中读取到文字（扫描件请先识别文字或直接粘贴正文）"})
    return text[:MAX_TEXT], kind


# --- drafting ------------------------------------------------------------------------------

@transaction.atomic
def normdoc_create(
    *,
    actor: User,
    title: str,
    issuer: str = DocIssuer.BUREAU,
    drafted_on: datetime.date | None = None,
    text: str = "",
    valid_years: int = rules.MAX_VALID_YEARS,
) -> NormativeDocument:
    """Register a draft (起草) of the actor's agency."""
    if not (actor.is_authenticated and actor.agency_id):
        raise PermissionDenied("只有机关工作人员可以起草规范性文件。")
    _require_writer(actor, actor.agency_id)
    title = required_text(title, "title", _("文件标题"))
    if issuer not in DocIssuer.values:
        raise ValidationError({"issuer": "制发名义不正确"})
    gates = rules.validity_gates(valid_years)
    if gates:
        raise ValidationError({"valid_years": [str(g) for g in gates]})
    doc = NormativeDocument(
        agency=actor.agency, issuer=issuer, title=title, text=(text or "").strip()[:MAX_TEXT],
        drafted_on=drafted_on or _today(), drafted_by=actor, valid_years=valid_years)
    doc.full_clean()
    doc.save()
    doc.lineage = doc
    doc.save(update_fields=["lineage"])
    record_event(actor=actor, obj=doc, action="policy.normdoc.created", payload={
        "title": title, "issuer": issuer, "drafted_on": _day(doc.drafted_on),
        "version_no": 1})
    return doc


@transaction.atomic
def normdoc_text_set(
    *,
    actor: User,
    document: NormativeDocument,
    title: str | None = None,
    text: str | None = None,
    upload: Any = None,
    valid_years: int | None = None,
    expected_version: int | None = None,
) -> NormativeDocument:
    """Set the draft's text: pasted, or read from an uploaded .docx / .pdf (the file is
    kept with its SHA-256). Only while 起草."""
    _require_writer(actor, document.agency_id)
    doc = _locked(document, expected_version)
    if doc.status not in rules.EDITABLE:
        raise ValidationError("只有起草阶段的文件可以修改正文")
    changed: dict[str, Any] = {}
    if title is not None:
        title = required_text(title, "title", _("文件标题"))
        doc.title = title
        changed["title"] = title
    if valid_years is not None:
        gates = rules.validity_gates(valid_years)
        if gates:
            raise ValidationError({"valid_years": [str(g) for g in gates]})
        doc.valid_years = valid_years
        changed["valid_years"] = valid_years
    if upload is not None:
        name = str(getattr(upload, "name", "") or "upload")
        data = b"".join(upload.chunks()) if hasattr(upload, "chunks") else upload.read()
        body, kind = extract_text(name=name, data=data)
        doc.text, doc.text_source = body, kind
        doc.source_sha256 = hashlib.sha256(data).hexdigest()
        doc.source_name = name[:200]
        doc.source_file.save(name, ContentFile(data), save=False)
        changed.update(source=kind, file=doc.source_name, sha256=doc.source_sha256)
    elif text is not None:
        doc.text = text.replace("\x00", "").strip()[:MAX_TEXT]
        doc.text_source = NormativeDocument.TextSource.PASTE
        changed["source"] = "paste"
    if "source" in changed:
        changed["text_sha256"] = hashlib.sha256(doc.text.encode()).hexdigest()
        changed["text_chars"] = len(doc.text)
    _save(doc)
    record_event(actor=actor, obj=doc, action="policy.normdoc.text_set", payload=changed)
    return doc


# --- legality review (合法性审查) ---------------------------------------------------------------

def _open_review(doc: NormativeDocument) -> LegalityReview | None:
    return doc.legality_reviews.order_by("-round_no").first()


@transaction.atomic
def legality_opinion_add(*, actor: User, review: LegalityReview, clause: str,
                         opinion: str) -> LegalityOpinion:
    """The legal department adds one itemised opinion (条款, 意见)."""
    _require_writer(actor, review.document.agency_id, rules.LEGAL_REVIEWERS)
    review = LegalityReview.objects.select_for_update().select_related("document").get(
        pk=review.pk)
    if review.conclusion or review.document.status != DocStatus.LEGALITY:
        raise ValidationError("该轮合法性审查已结束，不能再添加意见")
    clause, opinion = (clause or "").strip(), (opinion or "").strip()
    if not clause or not opinion:
        raise ValidationError("请填写条款和审查意见")
    item = LegalityOpinion(review=review, clause=clause[:200], opinion=opinion)
    item.full_clean()
    item.save()
    record_event(actor=actor, obj=review.document, action="policy.normdoc.legality_opinion",
                 payload={"round": review.round_no, "opinion": item.pk, "clause": item.clause,
                          "text": opinion})
    return item


@transaction.atomic
def legality_opinion_answer(*, actor: User, opinion: LegalityOpinion, adopted: bool,
                            response: str = "") -> LegalityOpinion:
    """The drafting unit says whether it adopts an opinion (not adopted: the reason)."""
    document = opinion.review.document
    _require_writer(actor, document.agency_id)
    opinion = LegalityOpinion.objects.select_for_update().select_related(
        "review__document").get(pk=opinion.pk)
    if opinion.review.document.status != DocStatus.LEGALITY:
        raise ValidationError("文件已不在合法性审查阶段")
    response = (response or "").strip()
    if not adopted and not response:
        raise ValidationError({"response": "不采纳审查意见的，应当说明理由"})
    opinion.adopted, opinion.response = adopted, response
    opinion.full_clean()
    opinion.save()
    record_event(actor=actor, obj=opinion.review.document,
                 action="policy.normdoc.legality_answer",
                 payload={"opinion": opinion.pk, "adopted": adopted, "response": response})
    return opinion


@transaction.atomic
def legality_review_conclude(*, actor: User, review: LegalityReview, conclusion: str,
                             summary: str = "",
                             concluded_on: datetime.date | None = None) -> LegalityReview:
    """The reviewer's conclusion: 合法 / 修改后合法 (with opinions) / 不合法."""
    _require_writer(actor, review.document.agency_id, rules.LEGAL_REVIEWERS)
    review = LegalityReview.objects.select_for_update().select_related("document").get(
        pk=review.pk)
    if review.conclusion:
        raise ValidationError("该轮合法性审查已作出结论")
    if review.document.status != DocStatus.LEGALITY:
        raise ValidationError("文件已不在合法性审查阶段")
    if conclusion not in (rules.LEGAL, rules.LEGAL_IF_AMENDED, rules.ILLEGAL):
        raise ValidationError({"conclusion": "请选择审查结论"})
    count = review.opinions.count()
    if conclusion in (rules.LEGAL_IF_AMENDED, rules.ILLEGAL) and not count:
        raise ValidationError("结论为“修改后合法”或“不合法”的，应当逐条提出审查意见")
    concluded_on = concluded_on or _today()
    if concluded_on < review.submitted_on:
        raise ValidationError({"concluded_on": "审查完成日期不能早于送审日期"})
    review.conclusion, review.summary = conclusion, (summary or "").strip()
    review.reviewer, review.concluded_on = actor, concluded_on
    review.full_clean()
    review.save()
    record_event(actor=actor, obj=review.document, action="policy.normdoc.legality_concluded",
                 payload={"round": review.round_no, "conclusion": conclusion,
                          "opinions": count, "concluded_on": _day(concluded_on)})
    return review


# --- collective deliberation (集体审议) ----------------------------------------------------------

@transaction.atomic
def normdoc_deliberation_record(
    *, actor: User, document: NormativeDocument, deliberated_on: datetime.date,
    meeting: str, minutes: str, expected_version: int | None = None,
) -> NormativeDocument:
    """Record the collective deliberation (集体审议): date, meeting, minutes."""
    _require_writer(actor, document.agency_id)
    doc = _locked(document, expected_version)
    if doc.status != DocStatus.DELIBERATION:
        raise ValidationError("文件不在集体审议阶段")
    meeting, minutes = (meeting or "").strip(), (minutes or "").strip()
    if not meeting or not minutes:
        raise ValidationError("请填写审议会议和审议纪要")
    if deliberated_on < doc.drafted_on:
        raise ValidationError({"deliberated_on": "审议日期不能早于起草日期"})
    doc.deliberated_on, doc.deliberation_meeting = deliberated_on, meeting[:100]
    doc.deliberation_minutes = minutes
    _save(doc)
    record_event(actor=actor, obj=doc, action="policy.normdoc.deliberated", payload={
        "deliberated_on": _day(deliberated_on), "meeting": meeting})
    return doc


# --- moves ---------------------------------------------------------------------------------

def _facts(doc: NormativeDocument, actor: User, data: dict[str, Any]) -> rules.Facts:
    review = _open_review(doc)
    unanswered = review.opinions.filter(adopted__isnull=True).count() if review else 0
    fcr = doc.fcr_review
    return rules.Facts(
        status=doc.status, role=actor.role, same_agency=actor.agency_id == doc.agency_id,
        text_present=bool(doc.text.strip()),
        legality_conclusion=review.conclusion if review else "",
        legality_unanswered=unanswered,
        fcr_conclusion=fcr.conclusion if fcr else None,
        deliberated=bool(doc.deliberated_on and doc.deliberation_meeting),
        deliberation_minutes=bool(doc.deliberation_minutes.strip()),
        number=data.get("number") or doc.number,
        signed_on=doc.signed_on,
        published_on=data.get("published_on"),
        effective_on=data.get("effective_on", doc.effective_on),
        valid_years=data.get("valid_years") or doc.valid_years,
        today=data.get("on") or _today(),
        reason=data.get("reason") or "",
    )


def _supersede_previous(actor: User, doc: NormativeDocument) -> None:
    """A new version in force replaces the one it amends (kept, marked 已修改)."""
    if doc.previous_id is None:
        return
    old = NormativeDocument.objects.select_for_update().get(pk=doc.previous_id)
    if old.status not in (DocStatus.IN_FORCE, DocStatus.PUBLISHED):
        return
    old.status, old.ended_on = DocStatus.SUPERSEDED, doc.effective_on
    old.end_reason = f"已被修改，新版本{doc.number}自{doc.effective_on}起施行"
    _save(old)
    record_event(actor=actor, obj=old, action="policy.normdoc.superseded", payload={
        "by": doc.pk, "by_number": doc.number, "on": _day(doc.effective_on)})


@transaction.atomic
def normdoc_transition(
    *,
    actor: User,
    document: NormativeDocument,
    move: str,
    expected_version: int | None = None,
    reason: str = "",
    number: str = "",
    on: datetime.date | None = None,
    published_on: datetime.date | None = None,
    effective_on: datetime.date | None = None,
    valid_years: int | None = None,
    published_where: str = "",
) -> NormativeDocument:
    """Take one move of the workflow (rules.normdocs.MOVES). `on` is the day of the move
    (default today): the day sent for review, signed, or ended. 签发 of a document in the
    bureau's name allocates its number (嘉应急规〔2024〕1号); one issued by 市府办 takes
    the number the office gave (`number`). 公布 needs the dates; the document is 有效 at
    once when it takes effect that day."""
    if not actor.is_authenticated:
        raise PermissionDenied("请先登录")
    doc = _locked(document, expected_version)
    on = on or _today()
    number = (number or "").strip()
    data = {"reason": reason, "number": number, "on": on, "published_on": published_on,
            "valid_years": valid_years}
    if effective_on is not None:
        data["effective_on"] = effective_on
    if move == "sign" and doc.issuer == DocIssuer.GOV_OFFICE and not (number or doc.number):
        raise ValidationError({"number": "以市政府办公室名义制发的文件，请填写市府办文号"})
    spec = rules.MOVES.get(move)
    if spec is None:
        raise ValidationError("未知的操作")
    if actor.role not in spec.roles:
        raise PermissionDenied(f"当前角色无权执行“{spec.label}”。")
    _require_writer(actor, doc.agency_id, spec.roles)
    gates = rules.check(move, _facts(doc, actor, data))
    if gates:
        raise ValidationError([str(g) for g in gates])
    before = doc.status
    payload: dict[str, Any] = {"move": move, "from": before, "on": _day(on)}
    doc.status = spec.target
    if move == "submit_legality":
        last = _open_review(doc)
        review = LegalityReview(document=doc, round_no=(last.round_no + 1) if last else 1,
                                submitted_on=on)
        review.full_clean()
        review.save()
        payload["round"] = review.round_no
    elif move == "submit_fcr":
        from fazhi.policy.services_fcr import fcr_review_open

        at = None if on == _today() else datetime.datetime.combine(
            on, datetime.time(9, 0), tzinfo=SHANGHAI)
        review_fcr = fcr_review_open(actor=actor, title=doc.title, text=doc.text,
                                     source=FcrSource.NORMDOC, at=at)
        doc.fcr_review = review_fcr
        payload["fcr_review"] = review_fcr.pk
    elif move == "sign":
        if on < (doc.deliberated_on or on):
            raise ValidationError({"on": "签发日期不能早于集体审议日期"})
        doc.signed_on, doc.signed_by = on, actor
        if doc.issuer == DocIssuer.BUREAU:
            doc.number = document_number_allocate(
                actor=actor, agency=doc.agency, doc_type="normative_document",
                year=on.year).text
        else:
            doc.number = number or doc.number
        payload["number"] = doc.number
    elif move == "publish":
        assert published_on is not None and effective_on is not None  # gates checked
        doc.published_on, doc.effective_on = published_on, effective_on
        doc.valid_years = valid_years or doc.valid_years
        doc.published_where = (published_where or "").strip()[:100]
        doc.status = rules.status_on_publication(published_on, effective_on)
        payload.update(published_on=_day(published_on), effective_on=_day(effective_on),
                       valid_years=doc.valid_years, expires_on=_day(doc.expires_on))
    elif move == "return_draft":
        if before == DocStatus.DELIBERATION:
            doc.deliberated_on, doc.deliberation_meeting = None, ""
            doc.deliberation_minutes = ""
        if before in (DocStatus.FCR, DocStatus.DELIBERATION):
            doc.fcr_review = None
        payload["reason"] = reason
    elif move in ("expire", "repeal"):
        doc.ended_on, doc.end_reason = on, reason.strip()
        payload["reason"] = reason
    payload["to"] = doc.status
    _save(doc)
    record_event(actor=actor, obj=doc, action=f"policy.normdoc.{move}", payload=payload)
    if doc.status == DocStatus.IN_FORCE:
        _supersede_previous(actor, doc)
    return doc


@transaction.atomic
def normdoc_amend(*, actor: User, document: NormativeDocument, reason: str,
                  on: datetime.date | None = None) -> NormativeDocument:
    """修改: open a new version (起草) of a published document, with its text. The old
    version stays in force until the new one takes effect, then it is 已修改."""
    _require_writer(actor, document.agency_id)
    doc = _locked(document, None)
    if doc.status not in rules.AMENDABLE:
        raise ValidationError("只有已公布或有效的文件可以修改")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请说明修改理由"})
    if NormativeDocument.objects.filter(previous=doc).exists():
        raise ValidationError("该文件已有修改中的新版本")
    new = NormativeDocument(
        agency=doc.agency, issuer=doc.issuer, title=doc.title, text=doc.text,
        lineage_id=doc.lineage_id or doc.pk, previous=doc, version_no=doc.version_no + 1,
        amendment_reason=reason, drafted_on=on or _today(), drafted_by=actor,
        valid_years=doc.valid_years)
    new.full_clean()
    new.save()
    record_event(actor=actor, obj=new, action="policy.normdoc.created", payload={
        "title": new.title, "issuer": new.issuer, "amends": doc.pk, "amends_number": doc.number,
        "version_no": new.version_no, "reason": reason})
    record_event(actor=actor, obj=doc, action="policy.normdoc.amendment_opened", payload={
        "new_version": new.pk, "reason": reason})
    return new


# --- cleanup (清理) ------------------------------------------------------------------------

def _campaign_locked(campaign: CleanupCampaign) -> CleanupCampaign:
    return CleanupCampaign.objects.select_for_update().get(pk=campaign.pk)


def cleanup_candidates(*, agency_id: int, issuer: str):  # -> QuerySet[NormativeDocument]
    """The documents in force of the agency under this issuer (清理对象)."""
    return NormativeDocument.objects.filter(agency_id=agency_id, issuer=issuer,
                                            status__in=rules.IN_FORCE_STATES)


@transaction.atomic
def cleanup_campaign_open(
    *, actor: User, title: str, issuer: str, started_on: datetime.date | None = None,
    basis: str = "", documents: list[NormativeDocument] | None = None,
) -> CleanupCampaign:
    """Open a cleanup of the actor's agency's documents in force under `issuer`: all of
    them, or the chosen `documents` (each must be in force)."""
    if not actor.is_authenticated or not actor.agency_id:
        raise PermissionDenied("只有机关工作人员可以组织清理。")
    _require_writer(actor, actor.agency_id)
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": "请填写清理名称"})
    if issuer not in DocIssuer.values:
        raise ValidationError({"issuer": "请选择清理范围"})
    candidates = cleanup_candidates(agency_id=actor.agency_id, issuer=issuer)
    if documents is not None:
        ids = {d.pk for d in documents}
        chosen = list(candidates.filter(pk__in=ids))
        if len(chosen) != len(ids):
            raise ValidationError({"documents": "只能选择本机关该范围内现行有效的文件"})
    else:
        chosen = list(candidates)
    if not chosen:
        raise ValidationError("没有可清理的现行有效文件")
    campaign = CleanupCampaign(agency=actor.agency, title=title, issuer=issuer,
                               basis=(basis or "").strip(), started_on=started_on or _today(),
                               created_by=actor)
    campaign.full_clean()
    campaign.save()
    CleanupResult.objects.bulk_create(
        [CleanupResult(campaign=campaign, document=d) for d in chosen])
    record_event(actor=actor, obj=campaign, action="policy.cleanup.opened", payload={
        "title": title, "issuer": issuer, "documents": [d.pk for d in chosen]})
    return campaign


@transaction.atomic
def cleanup_result_record(*, actor: User, row: CleanupResult, result: str,
                          reason: str = "") -> CleanupResult:
    """Record one document's result: 继续有效 / 修改 / 废止 / 宣布失效 (the last three
    with a reason)."""
    campaign = _campaign_locked(row.campaign)
    _require_writer(actor, campaign.agency_id)
    if campaign.status != CleanupCampaign.Status.OPEN:
        raise ValidationError("清理已完成，不能再修改结果")
    if result not in CleanupOutcome.values:
        raise ValidationError({"result": "请选择清理结果"})
    reason = (reason or "").strip()
    if result != CleanupOutcome.CONTINUE and not reason:
        raise ValidationError({"reason": "修改、废止或宣布失效的，请说明理由"})
    row = CleanupResult.objects.select_for_update().get(pk=row.pk, campaign=campaign)
    row.result, row.reason, row.recorded_by = result, reason, actor
    row.full_clean()
    row.save()
    record_event(actor=actor, obj=campaign, action="policy.cleanup.result", payload={
        "document": row.document_id, "result": result, "reason": reason})
    return row


@transaction.atomic
def cleanup_campaign_conclude(*, actor: User, campaign: CleanupCampaign,
                              concluded_on: datetime.date | None = None) -> CleanupCampaign:
    """Conclude and apply every result to its document: 废止 → 废止, 宣布失效 → 失效,
    修改 → a new version opened for drafting, 继续有效 → unchanged."""
    campaign = _campaign_locked(campaign)
    _require_writer(actor, campaign.agency_id)
    if campaign.status != CleanupCampaign.Status.OPEN:
        raise ValidationError("清理已完成")
    rows = list(campaign.results.select_related("document"))
    pending = [r for r in rows if not r.result]
    if pending:
        raise ValidationError(f"尚有{len(pending)}件文件未记录清理结果")
    concluded_on = concluded_on or _today()
    if concluded_on < campaign.started_on:
        raise ValidationError({"concluded_on": "完成日期不能早于开始日期"})
    for row in rows:
        doc = row.document
        if row.result == CleanupOutcome.AMEND:
            normdoc_amend(actor=actor, document=doc, reason=f"{campaign.title}：{row.reason}",
                          on=concluded_on)
        elif row.result in (CleanupOutcome.REPEAL, CleanupOutcome.INVALIDATE):
            if doc.status not in rules.IN_FORCE_STATES:
                raise ValidationError(f"{doc}已不是现行有效文件，请重新核对清理结果")
            move = "repeal" if row.result == CleanupOutcome.REPEAL else "expire"
            normdoc_transition(actor=actor, document=doc, move=move, on=concluded_on,
                               reason=f"{campaign.title}：{row.get_result_display()}。"
                                      f"{row.reason}")
    campaign.status, campaign.concluded_on = CleanupCampaign.Status.CONCLUDED, concluded_on
    campaign.full_clean()
    campaign.save()
    tally: dict[str, int] = {}
    for row in rows:
        tally[row.result] = tally.get(row.result, 0) + 1
    record_event(actor=actor, obj=campaign, action="policy.cleanup.concluded", payload={
        "concluded_on": _day(concluded_on), "results": tally})
    return campaign


@transaction.atomic
def cleanup_campaign_publish(*, actor: User, campaign: CleanupCampaign,
                             published_on: datetime.date | None = None) -> CleanupCampaign:
    """Publish the results list on the public portal (清理结果向社会公布)."""
    campaign = _campaign_locked(campaign)
    _require_writer(actor, campaign.agency_id)
    if campaign.status != CleanupCampaign.Status.CONCLUDED:
        raise ValidationError("清理完成后才能公布结果")
    if campaign.published_on:
        raise ValidationError("清理结果已公布")
    published_on = published_on or _today()
    if campaign.concluded_on and published_on < campaign.concluded_on:
        raise ValidationError({"published_on": "公布日期不能早于完成日期"})
    campaign.published_on = published_on
    campaign.full_clean()
    campaign.save()
    record_event(actor=actor, obj=campaign, action="policy.cleanup.published",
                 payload={"published_on": _day(published_on)})
    return campaign


__all__ = [
    "cleanup_campaign_conclude",
    "cleanup_campaign_open",
    "cleanup_campaign_publish",
    "cleanup_candidates",
    "cleanup_result_record",
    "extract_text",
    "legality_opinion_add",
    "legality_opinion_answer",
    "legality_review_conclude",
    "normdoc_amend",
    "normdoc_create",
    "normdoc_deliberation_record",
    "normdoc_text_set",
    "normdoc_transition",
]
