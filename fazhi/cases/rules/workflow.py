"""The penalty-case workflow (行政处罚案件办理流程) as one transition table (pure).

Each transition names the states it leaves, the state it reaches, the roles that may
take it, whether the actor must be one of the case's handling officers, the gates that
must hold first and the deadlines it starts. The services compute the gate facts from
the records (and from the legal engine: whether legal review, collective discussion
and hearing rights apply is never the officer's memory) and ask `problems()`; the
table is the only place the procedure is written down.

Law (《行政处罚法》(2021) unless named):
- 第五十四条: investigation, and filing (立案) once the filing standard is met.
- 第四十二条 / 第五十五条: at least two officers with enforcement certificates.
- 第四十四条 / 第六十二条: no decision before the party was told the facts, grounds and
  rights and heard (unless it expressly waived); 第六十三、六十四条: hearing rights.
- 第五十七条: the head decides (penalty / no penalty / transfer); complex or major
  violations are decided collectively (第二款).
- 第五十八条: legal review before the decision where required; without it, or when it
  did not pass, no decision.
- 第五十九条: the decision document's contents; 第六十一条: service.
- 安全生产违法行为行政处罚办法(2015) 第六十五条 (medium): filing to archive after
  execution.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass

from fazhi.legal.rules import deadlines as dl

# --- states ---------------------------------------------------------------------------

LEAD = "lead"
FILING = "filing"
NOT_FILED = "not_filed"
INVESTIGATION = "investigation"
CASE_REVIEW = "case_review"
LEGAL_REVIEW = "legal_review"
APPROVAL = "approval"
COLLECTIVE = "collective"
NOTICE = "notice"
HEARING = "hearing"
DECIDED = "decided"
SERVED = "served"
CLOSED = "closed"
ARCHIVED = "archived"
REVOKED = "revoked"
TERMINATED = "terminated"

STATE_LABELS: dict[str, str] = {
    LEAD: "线索登记",
    FILING: "立案审批",
    NOT_FILED: "不予立案",
    INVESTIGATION: "调查取证",
    CASE_REVIEW: "案件审核",
    LEGAL_REVIEW: "法制审核",
    APPROVAL: "负责人审批",
    COLLECTIVE: "集体讨论",
    NOTICE: "告知（陈述申辩、听证）",
    HEARING: "听证",
    DECIDED: "已决定",
    SERVED: "已送达（执行）",
    CLOSED: "已结案",
    ARCHIVED: "已归档",
    REVOKED: "已撤销立案",
    TERMINATED: "已终止",
}
FINAL_STATES = frozenset({NOT_FILED, ARCHIVED, REVOKED, TERMINATED})
# A closed case is read-only except for archiving.
READ_ONLY_STATES = FINAL_STATES | {CLOSED}

# --- roles (the values of fazhi.core.models.Role) --------------------------------------

OFFICER, LEADER, REVIEWER, ADMIN = "officer", "leader", "reviewer", "admin"

# --- gates: the fact each names must be true; the message says what is missing ---------

GATES: dict[str, str] = {
    "two_certified_handlers": "承办人员应不少于2名且均持有有效执法证（《行政处罚法》第四十二条）",
    "items_named": "应列明案件涉及的执法事项",
    "within_limitation": "违法行为已超过追责时效，不得立案（《行政处罚法》第三十六条）",
    "reason_given": "应写明理由",
    "investigation_report": "应先完成调查终结报告",
    "evidence_list": "应先编制证据清单",
    "parties_named": "应列明当事人（一案双罚的，单位和个人分别列明）",
    "legal_review_assessed": "应先由处罚引擎判断是否需要法制审核",
    "legal_review_passed_if_required": ("本案应当法制审核，未经审核或审核未通过的不得作出决定"
                                        "（《行政处罚法》第五十八条）"),
    "opinions_answered": "法制审核意见尚未逐条回复",
    "collective_done_if_required": ("本案应当由负责人集体讨论决定，尚未集体讨论"
                                    "（《行政处罚法》第五十七条第二款）"),
    "notice_needed": "各当事人均不予处罚或移送的，无需告知，可直接作出决定",
    "review_agreed": "法制审核结论为“同意”方可通过",
    "review_opinions_given": "退回修改应逐条写明审核意见",
    "hearing_report_if_requested": ("当事人要求听证的，应先举行听证并完成听证笔录和听证报告"
                                    "（《行政处罚法》第六十四、六十五条）"),
    "hearing_rights": "本案拟作出的处罚不属于应当告知听证权利的情形（《行政处罚法》第六十三条）",
    "hearing_requested_in_time": ("当事人应在告知书送达后五日内提出听证要求"
                                  "（《行政处罚法》第六十四条）"),
    "defence_heard": ("陈述申辩期限未届满且当事人未明确放弃，或其陈述申辩尚未复核，不得作出决定"
                      "（《行政处罚法》第四十五条、第六十二条）"),
    "measures_within_statute": ("应对每个当事人提出处理意见，且拟处罚的种类和罚款数额在法定范围内"
                                "（《行政处罚法》第四条、第五条）"),
    "decision_document": ("处罚决定书应载明的事项不全：每个当事人的处理结果、适用事项和理由"
                          "（《行政处罚法》第五十九条）"),
    "service_receipt": "应先登记每份决定书的送达回证（《行政处罚法》第六十一条）",
    "execution_complete": ("处罚决定尚未执行完毕：罚没款和加处罚款未缴清，"
                           "且未经人民法院强制执行终结（《行政处罚法》第六十七、七十二条）"),
    "archive_complete": ("案卷材料不齐全（调查终结报告、证据清单、决定书、送达回证、"
                         "应公示的公示记录），不能归档"),
    "not_suspended": "案件已中止，恢复办理前不能继续",
}


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    sources: frozenset[str]
    target: str
    roles: frozenset[str]
    handler_only: bool            # the actor must be one of the case's handling officers
    gates: tuple[str, ...]
    starts: tuple[str, ...] = ()  # deadline kinds (fazhi.legal.rules.deadlines) it starts


def _t(action: str, label: str, sources: set[str], target: str, roles: set[str],
       gates: tuple[str, ...] = (), *, handler_only: bool = False,
       starts: tuple[str, ...] = ()) -> Transition:
    # every move but a pure record of the case's end waits while the case is suspended
    return Transition(action, label, frozenset(sources), target, frozenset(roles),
                      handler_only, ("not_suspended", *gates), starts)


_AFTER_FILING = {INVESTIGATION, CASE_REVIEW, LEGAL_REVIEW, APPROVAL, COLLECTIVE, NOTICE, HEARING}

TRANSITIONS: tuple[Transition, ...] = (
    _t("submit_filing", "提请立案", {LEAD}, FILING, {OFFICER},
       ("two_certified_handlers", "items_named"), handler_only=True),
    _t("approve_filing", "批准立案", {FILING}, INVESTIGATION, {LEADER},
       ("within_limitation",), starts=(dl.DECISION,)),
    _t("refuse_filing", "不予立案", {FILING}, NOT_FILED, {LEADER}, ("reason_given",)),
    _t("submit_case_review", "调查终结，提交案件审核", {INVESTIGATION}, CASE_REVIEW, {OFFICER},
       ("investigation_report", "evidence_list", "parties_named"), handler_only=True),
    _t("return_investigation", "退回补充调查", {CASE_REVIEW, LEGAL_REVIEW, APPROVAL},
       INVESTIGATION, {LEADER, REVIEWER}, ("reason_given",)),
    # The handling proposals (案件处理呈批表) and the engine's assessment are made in
    # case review; review and discussion then follow what the engine said.
    _t("submit_legal_review", "提交法制审核", {CASE_REVIEW, HEARING}, LEGAL_REVIEW, {OFFICER},
       ("legal_review_assessed", "opinions_answered", "hearing_report_if_requested"),
       handler_only=True),
    _t("conclude_legal_review", "法制审核同意", {LEGAL_REVIEW}, APPROVAL, {REVIEWER},
       ("review_agreed", "opinions_answered")),
    _t("return_legal_review", "法制审核退回修改", {LEGAL_REVIEW}, CASE_REVIEW, {REVIEWER},
       ("review_opinions_given",)),
    _t("submit_approval", "提请负责人审批", {CASE_REVIEW, HEARING}, APPROVAL, {OFFICER},
       ("legal_review_assessed", "legal_review_passed_if_required",
        "hearing_report_if_requested"), handler_only=True),
    _t("submit_collective", "提请集体讨论", {APPROVAL}, COLLECTIVE, {LEADER}),
    # The head approves the proposals and the notice (告知书) is issued; the statement and
    # hearing-request periods run from its service (`notice_served`).
    _t("approve_notice", "批准告知", {APPROVAL, COLLECTIVE}, NOTICE, {LEADER},
       ("legal_review_passed_if_required", "collective_done_if_required",
        "measures_within_statute", "notice_needed"),
       starts=(dl.STATEMENT, dl.HEARING_REQUEST)),
    # 陈述申辩 or hearing showed the proposal must change (第四十五条: never heavier for
    # having spoken): back to case review for a new proposal, assessment and approval.
    _t("reconsider_proposal", "采纳陈述申辩意见，重新审核", {NOTICE, HEARING}, CASE_REVIEW,
       {OFFICER}, ("reason_given",), handler_only=True),
    _t("record_hearing_request", "当事人要求听证", {NOTICE}, HEARING, {OFFICER},
       ("hearing_rights", "hearing_requested_in_time"), handler_only=True),
    # From APPROVAL / COLLECTIVE directly only for decisions that need no notice (不予处罚,
    # 移送), or after a hearing's legal review; `defence_heard` says which.
    _t("decide", "作出决定", {NOTICE, HEARING, APPROVAL, COLLECTIVE}, DECIDED, {LEADER},
       ("defence_heard", "hearing_report_if_requested", "legal_review_passed_if_required",
        "collective_done_if_required", "measures_within_statute", "decision_document"),
       starts=(dl.SERVICE, dl.PUBLICITY)),
    _t("serve", "送达完毕", {DECIDED}, SERVED, {OFFICER}, ("service_receipt",),
       handler_only=True, starts=(dl.PAYMENT, dl.RECONSIDERATION, dl.LITIGATION)),
    _t("close", "结案", {SERVED}, CLOSED, {LEADER}, ("execution_complete",)),
    _t("archive", "归档", {CLOSED}, ARCHIVED, {OFFICER, ADMIN}, ("archive_complete",)),
    _t("revoke_filing", "撤销立案", {INVESTIGATION, CASE_REVIEW}, REVOKED, {LEADER},
       ("reason_given",)),
    _t("terminate", "终止调查", _AFTER_FILING, TERMINATED, {LEADER}, ("reason_given",)),
)
# 中止 / 延期 do not change the stage: `case_suspend`, `case_resume` and `case_extend`
# record them (a head's approval, with reasons); while suspended no move is open.
SUSPENDABLE_STATES = frozenset(_AFTER_FILING | {DECIDED, SERVED})
BY_ACTION: dict[str, Transition] = {t.action: t for t in TRANSITIONS}


@dataclass(frozen=True)
class Actor:
    role: str
    is_handler: bool  # one of the case's handling officers


def problems(action: str, state: str, actor: Actor, facts: Mapping[str, bool]) -> list[str]:
    """Every reason (Chinese) `actor` may not take `action` on a case in `state`, given
    the gate `facts` (a gate missing from `facts` counts as not met). Empty: allowed."""
    transition = BY_ACTION.get(action)
    if transition is None:
        return [f"未知的办案操作：{action}"]
    if state not in transition.sources:
        return [f"案件处于“{STATE_LABELS.get(state, state)}”阶段，不能“{transition.label}”"]
    found = []
    if actor.role not in transition.roles:
        found.append(f"您的角色不能“{transition.label}”")
    elif transition.handler_only and not actor.is_handler:
        found.append(f"只有本案承办人员才能“{transition.label}”")
    found.extend(GATES[gate] for gate in transition.gates if not facts.get(gate, False))
    return found


def available(state: str) -> list[Transition]:
    """The transitions that leave `state`, in table order (for the case page's buttons)."""
    return [t for t in TRANSITIONS if state in t.sources]


def moved_by_suspension(due: datetime.date, started: datetime.date,
                        resumed: datetime.date) -> datetime.date:
    """The decision deadline after a suspension (中止) from `started` to `resumed`: the
    days suspended do not count (中止期间不计入办案期限). The platform's reading — the
    行政处罚法 itself has no suspension clause; the emergency-management procedure rule's
    text could not be read here (unconfirmed, 待核实) — so the one place to change it
    is this function."""
    return due + (resumed - started)

