"""The documents of a penalty case (行政处罚案件文书) as .docx, filled from the records
with docxtpl: 立案审批表, 调查询问笔录, 案件处理呈批表, 法制审核意见书, 集体讨论记录,
行政处罚（听证）告知书, 行政处罚决定书, 不予行政处罚决定书, 送达回证, 结案审批表, 案件移送书.

The templates are in `templates_docx/`, built by scripts/make_case_docx_templates.py.
This module only reads: the numbers are those the services gave the records
(case.number, notice.number, decision.number, transfer.number); the periods and articles
a document states come from the legal engine (`fazhi.legal.rules`), never from here.
`services.documents.case_document_issue` checks who may have a document and writes it
into the case's event record.
"""

from __future__ import annotations

import datetime
import io
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from docxtpl import DocxTemplate

from fazhi.cases.models import (
    CaseNotice,
    CaseParty,
    CaseStatus,
    CollectiveDiscussion,
    ExemptGround,
    Hearing,
    InvestigationReport,
    LegalReview,
    Outcome,
    PartyDecision,
    PartyKind,
    PenaltyCase,
    Transfer,
)
from fazhi.cases.rules.decisions import CONFISCATION_MEASURES, FINE
from fazhi.cases.services.workflow import case_decisions, execution_state, latest_notice
from fazhi.core import calendar
from fazhi.core.selectors import object_events
from fazhi.inspection import documents as inspection_documents
from fazhi.inspection.documents import cn_date
from fazhi.legal.labels import MEASURE_LABELS, TIER_LABELS
from fazhi.legal.models import EnforcementItem
from fazhi.legal.rules import deadlines, exemptions
from fazhi.legal.rules.citations import ACL, APL, CIVIL_CODE, TRANSFER_REG, Citation, cite

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates_docx"
DOCX_CONTENT_TYPE = inspection_documents.DOCX_CONTENT_TYPE

# What a document is made from (the `obj` of `render`).
CASE, DECISION, REVIEW, DISCUSSION, NOTICE, TRANSFER = (
    "case", "decision", "review", "discussion", "notice", "transfer")
_MODELS: dict[str, type[Model]] = {
    DECISION: PartyDecision, REVIEW: LegalReview, DISCUSSION: CollectiveDiscussion,
    NOTICE: CaseNotice, TRANSFER: Transfer}
_NEEDS_LABELS = {DECISION: gettext_lazy("当事人的处理决定"), REVIEW: gettext_lazy("法制审核"),
                 DISCUSSION: gettext_lazy("集体讨论记录"), NOTICE: gettext_lazy("告知书"),
                 TRANSFER: gettext_lazy("移送记录")}


@dataclass(frozen=True)
class DocumentSpec:
    code: str
    title: str | Promise
    needs: str  # CASE or the record it is made from (DECISION, REVIEW, ...)
    template: str
    # Addressed to the party: its enterprise user may download it once decided.
    enterprise_download: bool = False


def _spec(code: str, title: str | Promise, needs: str, *,
          enterprise_download: bool = False) -> tuple[str, DocumentSpec]:
    return code, DocumentSpec(code, title, needs, f"{code}.docx", enterprise_download)


DOCUMENTS: dict[str, DocumentSpec] = dict([
    _spec("filing", gettext_lazy("立案审批表"), CASE),
    _spec("interview", gettext_lazy("调查询问笔录"), CASE),
    _spec("handling", gettext_lazy("案件处理呈批表"), CASE),
    _spec("legal_review", gettext_lazy("法制审核意见书"), REVIEW),
    _spec("discussion", gettext_lazy("集体讨论记录"), DISCUSSION),
    _spec("notice", gettext_lazy("行政处罚告知书"), NOTICE),
    _spec("penalty_decision", gettext_lazy("行政处罚决定书"), DECISION,
          enterprise_download=True),
    _spec("no_penalty_decision", gettext_lazy("不予行政处罚决定书"), DECISION,
          enterprise_download=True),
    _spec("service", gettext_lazy("送达回证"), DECISION, enterprise_download=True),
    _spec("closure", gettext_lazy("结案审批表"), CASE),
    _spec("transfer", gettext_lazy("案件移送书"), TRANSFER),
])

_CREDIT_SEVERITY = {"minor": gettext_lazy("轻微"), "general": gettext_lazy("一般"),
                    "serious": gettext_lazy("严重")}
# The facts that make each ground of 行政处罚法 第三十三条, so the engine names its article.
_GROUND_FACTS: dict[str, tuple[str, dict[str, bool]]] = {
    ExemptGround.MINOR: ("minor_corrected_no_harm", {
        "minor": True, "corrected_in_time": True, "harmful_consequence": False}),
    ExemptGround.FIRST: ("first_violation", {
        "first_violation": True, "harm_minor": True, "corrected_in_time": True}),
    ExemptGround.NO_FAULT: ("no_fault", {"no_fault_proven": True}),
}
_UNSAFE_FILE_CHARS = re.compile(r'[\\/:*?"<>|\s]')


# --- formatting -----------------------------------------------------------------------------

def money(amount: Decimal | None) -> str:
    """人民币20,000.00元 (Decimal all along)."""
    if amount is None:
        return _("（未评估）")
    return _("人民币%(amount)s元") % {"amount": f"{amount:,.2f}"}


def _range(low: Decimal | None, high: Decimal | None) -> str:
    if low is None or high is None:
        return _("（未评估）")
    return _("%(low)s至%(high)s") % {"low": money(low), "high": money(high)}


def _day(day: datetime.date | None, blank: str = "") -> str:
    return cn_date(day) if day else (blank or _("（未填）"))


def _as_citation(value: Citation | Mapping[str, str]) -> tuple[str, str]:
    if isinstance(value, Citation):
        return value.law, value.article
    return value.get("law", ""), value.get("article", "")


def citations_text(citations: Iterable[Citation | Mapping[str, str]], *,
                   skip_laws: Iterable[str] = ()) -> str:
    """《中华人民共和国行政处罚法》第四十四条、第四十五条第一款: the articles grouped by
    law in the order given, each once."""
    skipped = set(skip_laws)
    laws: dict[str, list[str]] = {}
    for law, article in map(_as_citation, citations):
        if law and law not in skipped:
            articles = laws.setdefault(law, [])
            if article and article not in articles:
                articles.append(article)
    return "、".join(f"《{law}》{'、'.join(articles)}" for law, articles in laws.items())


def _provisions_text(provisions: Iterable[Any]) -> str:
    return citations_text({"law": p.law.name, "article": p.label} for p in provisions)


def _item_basis(item: EnforcementItem | None) -> tuple[str, str]:
    """The item's violated and penalty provisions, as the catalogue holds them."""
    if item is None:
        return "", ""
    return (_provisions_text(item.violated.select_related("law")),
            _provisions_text(item.penalty.select_related("law")))


def _cause(case: PenaltyCase) -> str:
    """案由: the enforcement items of the case."""
    names = [item.name for item in case.items.order_by("code")]
    return "；".join(names) or case.facts


def _sentence(text: str) -> str:
    """The text as a sentence of the document: ended with a full stop."""
    text = text.strip()
    return text if not text or text[-1] in "。！？；：" else f"{text}。"


def _facts(case: PenaltyCase) -> str:
    report = InvestigationReport.objects.filter(case=case).first()
    return _sentence(report.facts if report else case.facts)


def _evidence(case: PenaltyCase) -> list[str]:
    return [_("%(n)s．%(name)s（%(kind)s，来源：%(source)s），证明%(proves)s") % {
        "n": e.number, "name": e.name, "kind": e.get_kind_display(), "source": e.source,
        "proves": e.proves} for e in case.evidence_items.order_by("number")]


def _handler_names(case: PenaltyCase) -> str:
    return "、".join(h.display_name for h in case.handlers.order_by("id"))


def _you(parties: Iterable[CaseParty]) -> str:
    kinds = {p.kind == PartyKind.UNIT for p in parties}
    if kinds == {True}:
        return _("你单位")
    if kinds == {False}:
        return _("你")
    return _("你（单位）")


def _party_lines(party: CaseParty) -> list[str]:
    enterprise = party.case.enterprise
    lines = [_("当事人：%(name)s") % {"name": party.name}]
    if party.kind == PartyKind.UNIT:
        lines += [_("统一社会信用代码：%(uscc)s") % {"uscc": enterprise.uscc},
                  _("地址：%(address)s") % {"address": enterprise.address}]
    else:
        lines += [_("居民身份证号码：%(id)s") % {"id": party.person.id_number},
                  _("工作单位及职务：%(unit)s%(kind)s") % {
                      "unit": enterprise.name, "kind": party.get_kind_display()}]
    return lines


def _measures(decision: PartyDecision) -> list[str]:
    """Each measure, with its amount; the confiscations (one amount) together."""
    items: list[str] = []
    confiscations = [str(MEASURE_LABELS.get(m, m)) for m in decision.measures
                     if m in CONFISCATION_MEASURES]
    for code in decision.measures:
        if code == FINE:
            items.append(_("罚款%(amount)s") % {"amount": money(decision.fine)})
        elif code in CONFISCATION_MEASURES:
            if confiscations:
                items.append(_("%(what)s%(amount)s") % {
                    "what": "、".join(confiscations), "amount": money(decision.confiscation)})
                confiscations = []
        else:
            items.append(str(MEASURE_LABELS.get(code, code)))
    return items


def _numbered(lines: list[str]) -> list[str]:
    return [f"{n}．{line}" for n, line in enumerate(lines, start=1)]


def _event_on(case: PenaltyCase, action: str) -> tuple[str, datetime.date | None] | None:
    """Who took a move of the case and on which day, from its event record."""
    event = object_events(case).filter(action=action).order_by("-seq").first()
    if event is None:
        return None
    on = event.payload.get("on")
    return event.actor_name, datetime.date.fromisoformat(on) if on else None


def _requirement_lines(case: PenaltyCase, required: bool | None, key: str) -> list[str]:
    """Whether the engine said legal review / collective discussion is required, on which
    grounds and articles: `case.assessment[key]` as services.review.case_assess stores it
    ({"required", "grounds", "citations"})."""
    answer = {True: _("是"), False: _("否"), None: _("尚未评估")}[required]
    lines = [_("是否必须：%(answer)s") % {"answer": answer}]
    block = case.assessment.get(key) or {}
    grounds = [str(g) for g in block.get("grounds", [])]
    if grounds:
        lines.append(_("情形：%(grounds)s") % {"grounds": "；".join(grounds)})
    basis = citations_text(block.get("citations", []))
    if basis:
        lines.append(_("依据：%(basis)s") % {"basis": basis})
    return lines


def _remedies(day: datetime.date, you: str) -> str:
    """The reconsideration and litigation rights, their periods and articles as the
    engine gives them for a decision of `day` (counted from service; the version in
    force on the decision day is the one the party will be served under)."""
    schedule = calendar.load_schedule()
    try:
        reconsideration = deadlines.reconsideration_deadline(schedule, day).deadline
        litigation = deadlines.litigation_deadline(schedule, day).deadline
    except ValueError:  # a period the engine does not encode for that date: name none
        return _("%(you)s如不服本决定，可以依法申请行政复议或者提起行政诉讼。") % {"you": you}
    basis = citations_text(reconsideration.citations + litigation.citations,
                           skip_laws=[CIVIL_CODE.name])
    return _("%(you)s如不服本决定，可以自收到本决定书之日起%(rec)s内依法申请行政复议，或者"
             "自收到本决定书之日起%(lit)s内依法向人民法院提起行政诉讼（%(basis)s）。") % {
        "you": you, "rec": reconsideration.period, "lit": litigation.period, "basis": basis}


def _clean_file_name(name: str) -> str:
    return _UNSAFE_FILE_CHARS.sub("", name)


# --- one context per document -----------------------------------------------------------------

Context = dict[str, Any]


def _base(case: PenaltyCase, title: str | Promise, number: str, doc_date: str,
          file_id: str = "") -> Context:
    return {"agency": case.agency.name, "title": str(title), "number": number,
            "doc_date": doc_date,
            "file_name": _clean_file_name(f"{title}{file_id or number}") + ".docx"}


def _case_number(case: PenaltyCase) -> str:
    return _("案件编号：%(number)s") % {"number": case.number or _("（未立案）")}


def filing_context(case: PenaltyCase, obj: None) -> Context:
    enterprise = case.enterprise
    day = case.filed_on or timezone.localdate()
    submitted = _event_on(case, "case.submit_filing")
    approved = _event_on(case, "case.approve_filing")
    refused = _event_on(case, "case.refuse_filing")
    handler_opinion = (_("提请立案调查。（%(who)s，%(day)s）") % {
        "who": submitted[0], "day": _day(submitted[1])} if submitted else "")
    if approved:
        approval = _("同意立案。（%(who)s，%(day)s）") % {"who": approved[0],
                                                    "day": _day(approved[1])}
    elif refused:
        approval = _("不予立案。理由：%(reason)s（%(who)s，%(day)s）") % {
            "reason": case.ended_reason, "who": refused[0], "day": _day(refused[1])}
    else:
        approval = ""
    return {
        **_base(case, DOCUMENTS["filing"].title, case.number or _("（批准立案后编号）"),
                _day(case.filed_on, "　　　　年　　月　　日"), case.number or str(case.pk)),
        "source": case.get_source_display(),
        "cause": _cause(case),
        "enterprise_name": enterprise.name,
        "uscc": enterprise.uscc,
        "address": enterprise.address,
        "violation_date": _day(case.violation_date),
        "discovered_on": _day(case.discovered_on),
        "items": "；".join(f"{i.code} {i.name}" for i in case.items.order_by("code")),
        "decision_due": _day(case.decision_due, _("（批准立案后计算）")),
        "facts": case.facts,
        "officers": inspection_documents.officer_rows(
            case.handlers.prefetch_related("certificates"), day),
        "handler_opinion": handler_opinion,
        "approval": approval,
    }


def interview_context(case: PenaltyCase, obj: None) -> Context:
    rows = inspection_documents.officer_rows(case.handlers.prefetch_related("certificates"),
                                              timezone.localdate())
    interviewers = "、".join(_("%(name)s（执法证号：%(cert)s）") % {
        "name": r["name"], "cert": r["certificate"]} for r in rows)
    parties = []
    for party in case.parties.select_related("person").order_by("id"):
        lines = _party_lines(party)
        parties.append(_("%(name)s（%(kind)s）；%(detail)s") % {
            "name": party.name, "kind": party.get_kind_display(), "detail": "；".join(lines[1:])})
    opening = _("我们是%(agency)s的执法人员%(names)s，这是我们的执法证件（出示执法证件）。现依法"
                "就%(enterprise)s涉嫌%(cause)s一案向你进行调查询问，请你如实回答。执法人员与"
                "本案有直接利害关系或者有其他关系可能影响公正执法的，你有权申请回避。你是否"
                "申请回避？") % {
        "agency": case.agency.name, "names": "、".join(r["name"] for r in rows),
        "enterprise": case.enterprise.name, "cause": _cause(case)}
    return {**_base(case, DOCUMENTS["interview"].title, _case_number(case), "",
                    case.number or str(case.pk)),
            "cause": _cause(case), "interviewers": interviewers, "parties": parties,
            "opening": opening}


def _proposal_rows(decision: PartyDecision) -> list[dict[str, str]]:
    violated, penalty = _item_basis(decision.item)
    rows = [
        (_("当事人"), f"{decision.party.name}（{decision.party.get_kind_display()}）"),
        (_("处理结果"), decision.get_outcome_display()),
        (_("适用执法事项"), f"{decision.item.code} {decision.item.name}" if decision.item
         else _("（未选择）")),
        (_("违法依据"), violated or "—"),
        (_("处罚依据"), penalty or "—"),
    ]
    if decision.outcome == Outcome.PENALTY:
        tier = str(TIER_LABELS.get(decision.tier, decision.tier or _("未定")))
        rows += [
            (_("处罚种类"), "；".join(_measures(decision)) or "—"),
            (_("法定罚款幅度"), _range(decision.statutory_min, decision.statutory_max)),
            (_("裁量基准幅度（%(tier)s）") % {"tier": tier},
             _range(decision.recommended_min, decision.recommended_max)),
            (_("引擎建议罚款"), money(decision.suggested)),
            (_("裁量说明"), decision.method or "—"),
            (_("偏离裁量基准的理由"), decision.deviation_reason or _("（无）")),
            (_("听证权利"), _("享有") if decision.hearing_rights else _("不享有")),
        ]
    elif decision.outcome == Outcome.NO_PENALTY:
        rows += [(_("不予处罚情形"), decision.get_exempt_ground_display() or "—"),
                 (_("免除罚款"), money(decision.waived_amount))]
    rows.append((_("处理理由"), decision.reason or "—"))
    return [{"label": str(label), "value": value} for label, value in rows]


def handling_context(case: PenaltyCase, obj: None) -> Context:
    report = InvestigationReport.objects.filter(case=case).first()
    rows = [row for d in case_decisions(case) for row in _proposal_rows(d)]
    return {
        **_base(case, DOCUMENTS["handling"].title, _case_number(case),
                _day(case.assessed_on or timezone.localdate()), case.number),
        "cause": _cause(case),
        "enterprise_name": case.enterprise.name,
        "filed_on": _day(case.filed_on),
        "reported_on": _day(report.date if report else None),
        "handlers": _handler_names(case),
        "facts": _facts(case),
        "evidence": _evidence(case),
        "proposal_rows": rows,
        "review_lines": _requirement_lines(case, case.review_required, "legal_review"),
        "collective_lines": _requirement_lines(case, case.collective_required, "collective"),
        "proposal": report.proposal if report else "",
    }


def _parties_text(case: PenaltyCase) -> str:
    return "、".join(p.name for p in case.parties.order_by("id"))


def legal_review_context(case: PenaltyCase, review: LegalReview) -> Context:
    opinions = [{"number": o.number, "issue": o.issue, "law": o.law, "suggestion": o.suggestion,
                 "answer": o.answer or _("（未回复）")} for o in review.opinions.order_by("number")]
    return {
        **_base(case, DOCUMENTS["legal_review"].title, _case_number(case),
                _day(review.concluded_on), _("%(number)s第%(round)s轮") % {
                    "number": case.number, "round": review.round}),
        "cause": _cause(case),
        "parties": _parties_text(case),
        "round": _("第%(round)s轮") % {"round": review.round},
        "submitted": _("%(who)s，%(day)s") % {"who": review.submitted_by.display_name,
                                             "day": _day(review.submitted_on)},
        "reviewer": review.reviewer.display_name if review.reviewer else "",
        "concluded_on": _day(review.concluded_on),
        "opinions": opinions,
        "conclusion": review.get_conclusion_display(),
        "summary": review.summary,
    }


def _name_of(entry: Any, key: str = "name") -> str:
    return str(entry.get(key, "")) if isinstance(entry, Mapping) else str(entry)


def discussion_context(case: PenaltyCase, discussion: CollectiveDiscussion) -> Context:
    report = InvestigationReport.objects.filter(case=case).first()
    opinions = [_("%(name)s：%(opinion)s") % {"name": _name_of(o),
                                             "opinion": _name_of(o, "opinion")}
                for o in discussion.opinions]
    return {
        **_base(case, DOCUMENTS["discussion"].title, _case_number(case), _day(discussion.date),
                f"{case.number}{discussion.date:%Y%m%d}"),
        "cause": _cause(case),
        "parties": _parties_text(case),
        "date": _day(discussion.date),
        "host": discussion.host,
        "attendees": "、".join(_name_of(a) for a in discussion.attendees),
        "recorder": discussion.recorded_by.display_name,
        "report": _("承办人员汇报：%(facts)s 处理意见：%(proposal)s") % {
            "facts": report.facts, "proposal": report.proposal} if report else _facts(case),
        "opinions": opinions,
        "conclusion": discussion.conclusion,
    }


def notice_context(case: PenaltyCase, notice: CaseNotice) -> Context:
    schedule = calendar.load_schedule()
    penalised = [d for d in case_decisions(case) if d.outcome == Outcome.PENALTY]
    parties = [d.party for d in penalised]
    you = _you(parties)
    title = _("行政处罚听证告知书") if notice.hearing_rights else DOCUMENTS["notice"].title
    proposals = []
    for decision in penalised:
        violated, penalty = _item_basis(decision.item)
        proposals.append(_("%(name)s的上述行为违反了%(violated)s的规定。依据%(penalty)s的规定，"
                           "本机关拟对%(name)s作出如下行政处罚：%(measures)s。") % {
            "name": decision.party.name, "violated": violated, "penalty": penalty,
            "measures": "；".join(_measures(decision))})
    statement = deadlines.statement_deadline(schedule, notice.issued_on)
    hearing = ""
    if notice.hearing_rights:
        request = deadlines.hearing_request_deadline(schedule, notice.issued_on)
        hearing = _("根据%(basis)s的规定，%(you)s有要求举行听证的权利。%(you)s要求听证的，应当"
                    "自收到本告知书之日起%(period)s内向本机关提出；逾期未提出的，视为放弃听证"
                    "权利。") % {
            "basis": citations_text([*notice.citations, *request.citations]), "you": you,
            "period": request.period}
    return {
        **_base(case, title, notice.number, _day(notice.issued_on)),
        "addressee": "、".join(p.name for p in parties),
        "intro": _("本机关于%(filed)s对%(enterprise)s涉嫌%(cause)s一案立案调查。经查明：%(facts)s"
                   "以上事实有下列证据证实：") % {
            "filed": _day(case.filed_on), "enterprise": case.enterprise.name,
            "cause": _cause(case), "facts": _facts(case)},
        "evidence": _evidence(case),
        "proposals": proposals,
        "statement": _("根据%(basis)s的规定，%(you)s有权进行陈述和申辩。%(you)s需要陈述和申辩"
                       "的，应当自收到本告知书之日起%(period)s内向本机关提出；逾期未提出的，"
                       "视为放弃陈述和申辩的权利。") % {
            "basis": citations_text(statement.citations), "you": you,
            "period": statement.period},
        "hearing": hearing,
    }


def _procedure_lines(case: PenaltyCase, party: CaseParty, you: str) -> list[str]:
    """The notice, the party's statements and the hearing, as the records show them."""
    notice = latest_notice(case)
    if notice is None:
        return []
    rights = (_("陈述、申辩和要求听证的权利") if notice.hearing_rights
              else _("陈述、申辩的权利"))
    lines = [_("本机关于%(day)s向%(you)s送达了《%(title)s》（%(number)s），告知拟作出行政处罚"
               "的事实、理由、依据及%(you)s依法享有的%(rights)s。") % {
        "day": _day(notice.served_on or notice.issued_on), "you": you,
        "title": _("行政处罚听证告知书") if notice.hearing_rights else _("行政处罚告知书"),
        "number": notice.number, "rights": rights}]
    statements = list(case.statements.filter(party=party).order_by("received_on", "id"))
    for s in statements:
        if s.waived:
            lines.append(_("%(you)s于%(day)s明确表示放弃陈述、申辩。") % {
                "you": you, "day": _day(s.received_on)})
            continue
        verdict = {True: _("意见成立，予以采纳。"), False: _("意见不成立，不予采纳。"),
                   None: ""}[s.adopted]
        lines.append(_("%(you)s于%(day)s提出陈述、申辩：%(content)s经复核：%(review)s%(verdict)s")
                     % {"you": you, "day": _day(s.received_on), "content": _sentence(s.content),
                        "review": _sentence(s.review), "verdict": verdict})
    if not statements:
        lines.append(_("%(you)s在规定期限内未提出陈述、申辩。") % {"you": you})
    hearing = Hearing.objects.filter(case=case).first()
    if hearing is not None and hearing.hearing_date:
        lines.append(_("本机关于%(day)s依法举行了听证。") % {"day": _day(hearing.hearing_date)})
    return lines


def _decision_base(case: PenaltyCase, decision: PartyDecision, kind: str) -> Context:
    party = decision.party
    you = _you([party])
    violated, _penalty = _item_basis(decision.item)
    return {
        **_base(case, DOCUMENTS[kind].title, decision.number, _day(decision.decided_on)),
        "party_lines": _party_lines(party),
        "intro": _("本机关于%(filed)s对%(enterprise)s涉嫌%(cause)s一案立案调查。") % {
            "filed": _day(case.filed_on), "enterprise": case.enterprise.name,
            "cause": _cause(case)},
        "facts": _("经查明：%(facts)s") % {"facts": _facts(case)},
        "evidence": _evidence(case),
        # the notice told only the parties to be penalised
        "procedure": (_procedure_lines(case, party, you)
                      if decision.outcome == Outcome.PENALTY else []),
        "violation": (_("本机关认为，%(you)s的上述行为违反了%(violated)s的规定。") % {
            "you": you, "violated": violated}) if violated else "",
        "reason": _sentence(decision.reason),
        "remedies": _remedies(decision.decided_on, you),
    }


def _credit_lines(decision: PartyDecision, you: str) -> list[str]:
    """双告知: the publicity periods of the credit record and how to apply for repair."""
    record = getattr(decision, "credit", None)
    if record is None:
        return []
    periods = _("本行政处罚信息属于%(severity)s失信信息，将依法公示") % {
        "severity": _CREDIT_SEVERITY.get(record.severity, record.severity)}
    if record.min_period_ends:
        periods += _("，最短公示期至%(day)s届满") % {"day": _day(record.min_period_ends)}
    periods += _("，最长公示期至%(day)s届满，届满后停止公示。") % {
        "day": _day(record.publicity_ends_at_latest)}
    rules = citations_text([{"law": c["law"], "article": ""} for c in record.citations],
                           skip_laws=[CIVIL_CODE.name])
    repair = (_("%(you)s自%(day)s起") % {"you": you, "day": _day(record.earliest_repair)}
              if record.earliest_repair else you)
    return [
        _("信用告知：根据%(rules)s的规定，%(periods)s") % {"rules": rules, "periods": periods},
        _("%(repair)s，符合下列条件的，可以依法申请信用修复：%(conditions)s。") % {
            "repair": repair, "conditions": "；".join(record.conditions)},
    ]


def penalty_decision_context(case: PenaltyCase, decision: PartyDecision) -> Context:
    context = _decision_base(case, decision, "penalty_decision")
    you = _you([decision.party])
    day = decision.decided_on
    _violated, penalty = _item_basis(decision.item)
    schedule = calendar.load_schedule()
    payment = surcharge = ""
    if decision.amount_due:
        due = deadlines.payment_deadline(schedule, day)
        channel = (_("到指定的银行或者通过电子支付系统") if APL.in_force_on(day)
                   else _("到指定的银行"))
        payment = _("%(you)s应当自收到本决定书之日起%(period)s内，%(channel)s缴纳罚没款"
                    "（%(basis)s）。") % {"you": you, "period": due.period, "channel": channel,
                                         "basis": citations_text(due.citations)}
    if decision.fine:
        late = deadlines.late_payment_surcharge(decision.fine, day, day)
        cap = _("，加处罚款的数额不超出罚款的数额") if ACL.in_force_on(day) else ""
        surcharge = _("到期不缴纳罚款的，本机关可以每日按罚款数额的%(rate)s%%加处罚款%(cap)s"
                      "（%(basis)s）。") % {
            "rate": (deadlines.SURCHARGE_DAILY_RATE * 100).normalize(), "cap": cap,
            "basis": citations_text(late.citations)}
    context.update({
        "decision": _("依据%(penalty)s的规定，本机关决定对%(you)s作出如下行政处罚：") % {
            "penalty": penalty, "you": you},
        "measures": _numbered(_measures(decision)),
        "payment": payment,
        "surcharge": surcharge,
        "credit": _credit_lines(decision, you),
    })
    return context


def no_penalty_decision_context(case: PenaltyCase, decision: PartyDecision) -> Context:
    context = _decision_base(case, decision, "no_penalty_decision")
    you = _you([decision.party])
    ground_id, facts = _GROUND_FACTS[decision.exempt_ground]
    result = exemptions.exemption(facts, decided=decision.decided_on)
    ground = next((g for g in result.grounds if g.id == ground_id), None)
    law = next((c.law for c in result.citations), APL.name)
    if ground is not None:
        basis = f"《{law}》{ground.article}"
    else:  # the ground did not exist in the text in force that day
        basis = _("《%(law)s》的有关规定") % {"law": law}
    education = ""
    teach = [c for c in result.citations if c.article.endswith("第三款")]
    if ground is not None and result.guidance_measures and teach:
        education = _("依据%(basis)s的规定，本机关对%(you)s进行教育，%(you)s应当引以为戒，依法"
                      "从事生产经营活动。") % {"basis": citations_text(teach), "you": you}
    context.update({
        "decision": _("本案属于“%(ground)s”的情形。依据%(basis)s的规定，本机关决定对%(you)s"
                      "不予行政处罚。") % {"ground": decision.get_exempt_ground_display(),
                                         "basis": basis, "you": you},
        "education": education,
    })
    return context


def service_context(case: PenaltyCase, decision: PartyDecision) -> Context:
    kind = "penalty_decision" if decision.outcome == Outcome.PENALTY else "no_penalty_decision"
    return {
        **_base(case, DOCUMENTS["service"].title, _case_number(case), _day(decision.served_on),
                decision.number),
        "document": _("%(title)s（%(number)s）") % {"title": DOCUMENTS[kind].title,
                                                  "number": decision.number},
        "recipient_party": decision.party.name,
        "place": case.enterprise.address,
        "method": decision.service_method,
        "served_on": _day(decision.served_on),
        "recipient": decision.service_recipient,
        "servers": _handler_names(case),
    }


def _execution_rows(decision: PartyDecision, as_of: datetime.date) -> list[tuple[str, str]]:
    rows = [(_("罚没款"), money(decision.amount_due)),
            (_("缴款期限"), _day(decision.payment_due))]
    arrangement = getattr(decision, "arrangement", None)
    if arrangement is not None:
        rows.append((_("暂缓或分期缴纳"), _("%(kind)s，%(day)s批准") % {
            "kind": arrangement.get_kind_display(), "day": _day(arrangement.approved_on)}))
    payments = [_("%(day)s缴纳%(kind)s%(amount)s%(receipt)s") % {
        "day": _day(p.paid_on), "kind": p.get_kind_display(), "amount": money(p.amount),
        "receipt": _("（凭证号%(n)s）") % {"n": p.receipt} if p.receipt else ""}
        for p in decision.payments.order_by("paid_on", "id")]
    rows.append((_("缴款记录"), "；".join(payments) or _("（无）")))
    state = execution_state(decision, as_of)
    if state is not None:
        rows += [(_("未缴罚没款"), money(state.principal_outstanding)),
                 (_("加处罚款"), _("应加处%(due)s，已缴%(paid)s") % {
                     "due": money(state.surcharge), "paid": money(state.surcharge_paid)})]
    court = getattr(decision, "court_enforcement", None)
    if court is not None:
        rows.append((_("申请强制执行"), _("%(day)s向%(court)s申请；%(outcome)s") % {
            "day": _day(court.applied_on), "court": court.court,
            "outcome": court.outcome or _("尚未终结")}))
    return rows


def closure_context(case: PenaltyCase, obj: None) -> Context:
    as_of = case.closed_on or timezone.localdate()
    decisions = case_decisions(case)
    rows: list[tuple[str, str]] = []
    for d in decisions:
        rows += [(_("当事人"), f"{d.party.name}（{d.party.get_kind_display()}）"),
                 (_("处理结果"), d.get_outcome_display()),
                 (_("决定书文号"), d.number or "—"),
                 (_("决定日期"), _day(d.decided_on)),
                 (_("送达日期"), _day(d.served_on))]
        if d.outcome == Outcome.PENALTY and d.amount_due:
            rows += _execution_rows(d, as_of)
    closing = (_("经负责人批准，本案于%(day)s结案。") % {"day": _day(case.closed_on)}
               if case.closed_on else _("请审批是否结案。"))
    return {
        **_base(case, DOCUMENTS["closure"].title, _case_number(case),
                _day(case.closed_on, "　　　　年　　月　　日"), case.number),
        "cause": _cause(case),
        "enterprise_name": case.enterprise.name,
        "filed_on": _day(case.filed_on),
        "decided_on": _day(max((d.decided_on for d in decisions if d.decided_on),
                               default=None)),
        "handlers": _handler_names(case),
        "rows": [{"label": str(label), "value": value} for label, value in rows],
        "closing": closing,
    }


def transfer_context(case: PenaltyCase, transfer: Transfer) -> Context:
    found = {"enterprise": case.enterprise.name, "cause": _cause(case)}
    if transfer.kind == Transfer.Kind.CRIMINAL:
        # The article rules/decisions.py cites for a criminal transfer.
        basis = citations_text([cite(APL, "第二十七条", "transfer"),
                                cite(TRANSFER_REG, "第六条", "transfer")])
        body = _("本机关在查处%(enterprise)s涉嫌%(cause)s一案中，发现有关人员涉嫌犯罪。根据"
                 "%(basis)s的规定，现将该案移送你单位依法处理，请将处理结果书面告知本机关。") % {
            **found, "basis": basis}
    else:
        body = _("本机关在查处%(enterprise)s涉嫌%(cause)s一案中，发现下列人员的违法行为涉嫌"
                 "应当予以行政拘留，现将有关情况移送你单位依法处理，请将处理结果书面告知本机关。"
                 ) % found
    return {
        **_base(case, DOCUMENTS["transfer"].title, transfer.number, _day(transfer.transferred_on)),
        "receiver": transfer.receiver,
        "body": body,
        "persons": [str(p) for p in transfer.persons],
        "facts": transfer.facts,
        "evidence": _evidence(case),
    }


_CONTEXTS: dict[str, Callable[[PenaltyCase, Any], Context]] = {
    "filing": filing_context,
    "interview": interview_context,
    "handling": handling_context,
    "legal_review": legal_review_context,
    "discussion": discussion_context,
    "notice": notice_context,
    "penalty_decision": penalty_decision_context,
    "no_penalty_decision": no_penalty_decision_context,
    "service": service_context,
    "closure": closure_context,
    "transfer": transfer_context,
}


# --- availability -------------------------------------------------------------------------

def _decided(outcome: str, title: str | Promise) -> Callable[[PenaltyCase, PartyDecision],
                                                              str | None]:
    def check(case: PenaltyCase, decision: PartyDecision) -> str | None:
        if decision.outcome != outcome:
            return _("%(party)s的处理结果是“%(outcome)s”，不能制作%(title)s") % {
                "party": decision.party.name, "outcome": decision.get_outcome_display(),
                "title": title}
        if decision.decided_on is None or not decision.number:
            return _("尚未对%(party)s作出决定，不能制作%(title)s") % {
                "party": decision.party.name, "title": title}
        return None
    return check


def _service_ready(case: PenaltyCase, decision: PartyDecision) -> str | None:
    if decision.decided_on is None:
        return _("尚未对%(party)s作出决定，不能制作送达回证") % {"party": decision.party.name}
    if not decision.number:
        return _("对%(party)s的处理结果是“%(outcome)s”，没有需要送达的决定书") % {
            "party": decision.party.name, "outcome": decision.get_outcome_display()}
    if decision.served_on is None:
        return _("尚未登记对%(party)s的送达情况，不能制作送达回证") % {
            "party": decision.party.name}
    return None


def _filing_ready(case: PenaltyCase, obj: None) -> str | None:
    if case.status == CaseStatus.LEAD:
        return _("案件尚处于线索登记阶段，提请立案后才能制作立案审批表")
    return None


def _interview_ready(case: PenaltyCase, obj: None) -> str | None:
    return None if case.filed_on else _("案件尚未立案，不能制作调查询问笔录")


def _handling_ready(case: PenaltyCase, obj: None) -> str | None:
    if not PartyDecision.objects.filter(party__case=case).exists():
        return _("尚未提出处理意见，不能制作案件处理呈批表")
    return None


def _review_ready(case: PenaltyCase, review: LegalReview) -> str | None:
    if not review.conclusion:
        return _("第%(round)s轮法制审核尚未作出结论，不能制作法制审核意见书") % {
            "round": review.round}
    return None


def _closure_ready(case: PenaltyCase, obj: None) -> str | None:
    decisions = case_decisions(case)
    if not decisions or any(d.decided_on is None for d in decisions):
        return _("案件尚未作出决定，不能制作结案审批表")
    return None


_CHECKS: dict[str, Callable[[PenaltyCase, Any], str | None]] = {
    "filing": _filing_ready,
    "interview": _interview_ready,
    "handling": _handling_ready,
    "legal_review": _review_ready,
    "penalty_decision": _decided(Outcome.PENALTY, DOCUMENTS["penalty_decision"].title),
    "no_penalty_decision": _decided(Outcome.NO_PENALTY, DOCUMENTS["no_penalty_decision"].title),
    "service": _service_ready,
    "closure": _closure_ready,
}


def case_of(obj: Model) -> int:
    """The id of the case a record belongs to."""
    if isinstance(obj, PartyDecision):
        return obj.party.case_id
    return obj.case_id  # type: ignore[attr-defined]


def document_available(kind: str, case: PenaltyCase, obj: Model | None = None) -> str | None:
    """Why document `kind` cannot be produced for `case` (and `obj`) yet, in Chinese;
    None when it can."""
    spec = DOCUMENTS.get(kind)
    if spec is None:
        return _("未知的文书种类：%(kind)s") % {"kind": kind}
    if spec.needs != CASE:
        what = _NEEDS_LABELS[spec.needs]
        if obj is None:
            return _("制作%(title)s应指明%(what)s") % {"title": spec.title, "what": what}
        if not isinstance(obj, _MODELS[spec.needs]):
            return _("%(title)s应依据%(what)s制作") % {"title": spec.title, "what": what}
        if case_of(obj) != case.pk:
            return _("该%(what)s不属于本案件") % {"what": what}
    check = _CHECKS.get(kind)
    return check(case, obj) if check else None


def render(kind: str, case: PenaltyCase, obj: Model | None = None) -> tuple[str, bytes]:
    """Document `kind` of `case` (made from `obj` where it needs a record) as
    (file name, .docx bytes). ValidationError (Chinese) when it cannot be made yet."""
    reason = document_available(kind, case, obj)
    if reason:
        raise ValidationError(reason)
    context = _CONTEXTS[kind](case, obj if DOCUMENTS[kind].needs != CASE else None)
    document = DocxTemplate(TEMPLATE_DIR / DOCUMENTS[kind].template)
    # autoescape: record text such as "A&B<C" must not break the document's XML.
    document.render(inspection_documents.clean(context), autoescape=True)
    out = io.BytesIO()
    document.save(out)
    return context["file_name"], out.getvalue()
