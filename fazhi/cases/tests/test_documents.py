"""The documents of a penalty case (.docx): a case brought to case review through the
services, the later records (review, discussion, notice, decisions, credit, service,
payments, transfer) made with the ORM; each document opened with python-docx and checked
for the records' contents, with the periods and articles the engine gives. Refusals of
documents not ready yet, and the issue service: the event with the sha256, the users
who may not have a document."""

from __future__ import annotations

import datetime
import hashlib
import importlib.util
import io
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import docx
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fazhi.cases import documents
from fazhi.cases.models import (
    CaseNotice,
    CollectiveDiscussion,
    CreditRecord,
    DefenceStatement,
    ExemptGround,
    LegalReview,
    Outcome,
    PartyDecision,
    Payment,
    ReviewConclusion,
    ReviewOpinion,
    Transfer,
)
from fazhi.cases.services.documents import DOCUMENT_ISSUED, case_document_issue
from fazhi.cases.tests.worlds import (
    TRAINING_ITEM,
    case_in_review,
    fresh,
    load_work_safety_catalogue,
)
from fazhi.core.calendar import load_schedule
from fazhi.core.models import Event, Role
from fazhi.core.selectors import object_events
from fazhi.core.services.events import verify_record
from fazhi.inspection.documents import cn_date
from fazhi.inspection.tests.test_services import certify
from fazhi.legal.models import EnforcementItem
from fazhi.legal.rules import deadlines, exemptions, procedure
from fazhi.legal.rules.citations import APL

pytestmark = pytest.mark.django_db

NOTICED = datetime.date(2024, 6, 3)
DECIDED = datetime.date(2024, 6, 20)
SERVED = datetime.date(2024, 6, 21)
SCRIPT = Path(__file__).resolve().parents[3] / "scripts" / "make_case_docx_templates.py"


def text_of(data: bytes) -> str:
    """Every paragraph of the document, table cells included, one per line."""
    document = docx.Document(io.BytesIO(data))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(lines)


def table_rows(data: bytes) -> list[list[str]]:
    document = docx.Document(io.BytesIO(data))
    return [[cell.text for cell in row.cells] for t in document.tables for row in t.rows]


def cited(citations) -> list[str]:
    return [f"《{c.law}》{c.article}" for c in citations]


@pytest.fixture
def world(make_user, make_enterprise, jurisdictions, users):
    """A case in case review; the unit proposed a fine outside the benchmark (with the
    reason), its principal no penalty (首违不罚)."""
    load_work_safety_catalogue()
    officers, case = case_in_review(make_user, make_enterprise, jurisdictions, users)
    unit, principal = case.parties.order_by("id")
    item = EnforcementItem.objects.get(code=TRAINING_ITEM)
    unit_decision = PartyDecision.objects.create(
        party=unit, outcome=Outcome.PENALTY, item=item,
        measures=["order_correct_within_deadline", "fine"], fine=Decimal("35000"),
        tier="general", statutory_min=Decimal(0), statutory_max=Decimal("100000"),
        recommended_min=Decimal("10000"), recommended_max=Decimal("30000"),
        suggested=Decimal("20000"), deviation_reason="两年内第二次同类违法",
        credit_severity="general", reason="未对12名新入职从业人员进行安全生产教育和培训")
    principal_decision = PartyDecision.objects.create(
        party=principal, outcome=Outcome.NO_PENALTY, item=item,
        exempt_ground=ExemptGround.FIRST, waived_amount=Decimal("5000"),
        reason="初次违法，已组织补训")
    return SimpleNamespace(case=fresh(case), officers=officers, leader=users[Role.LEADER],
                           unit=unit_decision, principal=principal_decision, item=item)


def decide(w, *, serve: bool = False) -> None:
    """The decisions numbered and dated as `decide` does; the unit's credit record."""
    for n, decision in enumerate((w.unit, w.principal), start=1):
        decision.number, decision.decided_on = f"南应急罚〔2024〕{n}号", DECIDED
        if serve:
            decision.served_on, decision.service_method = SERVED, "直接送达"
            decision.service_recipient = "陈小红"
            decision.payment_due = deadlines.payment_deadline(load_schedule(), SERVED).date
        decision.save()
    credit = exemptions.credit(DECIDED, "general")
    CreditRecord.objects.create(
        decision=w.unit, enterprise=w.case.enterprise, severity=credit.severity,
        rule_version=credit.rule_version, min_period_ends=credit.min_period_ends,
        earliest_repair=credit.earliest_repair,
        publicity_ends_at_latest=credit.publicity_ends_at_latest,
        conditions=list(credit.conditions), citations=[c.as_dict() for c in credit.citations])
    w.credit = credit


def notice(w, *, hearing: bool) -> CaseNotice:
    basis = procedure.hearing_rights(party_type="unit", measures=["fine"], fine=w.unit.fine)
    return CaseNotice.objects.create(
        case=w.case, number="南应急告〔2024〕3号", issued_on=NOTICED, hearing_rights=hearing,
        served_on=NOTICED, citations=[c.as_dict() for c in basis.citations])


# --- internal forms ---------------------------------------------------------------------------

def test_filing_form_holds_the_case_and_its_approval(world):
    case = world.case
    name, data = documents.render("filing", case)
    text = text_of(data)
    assert name == f"立案审批表{case.number}.docx"
    for expected in (case.agency.name, "立案审批表", case.number, case.enterprise.name,
                     case.enterprise.uscc, world.item.name, "检查发现", cn_date(case.filed_on),
                     cn_date(case.decision_due), f"同意立案。（{world.leader.display_name}"):
        assert expected in text, expected
    rows = table_rows(data)
    for officer in world.officers:
        assert [officer.display_name, officer.certificates.get().number,
                "浙江省人民政府"] in rows


def test_interview_form_is_prefilled_with_blank_questions(world):
    text = text_of(documents.render("interview", world.case)[1])
    for expected in ("调查询问笔录", world.case.number, world.case.enterprise.name, "周建华",
                     "主要负责人", world.item.name, "你是否申请回避"):
        assert expected in text, expected
    for officer in world.officers:
        assert f"{officer.display_name}（执法证号：{officer.certificates.get().number}）" in text
    assert text.count("问：") >= 10


def test_handling_form_puts_each_proposal_beside_the_engine(world):
    # the assessment as services.review.case_assess stores it
    review = procedure.legal_review_required(complex=True)
    collective = procedure.collective_discussion_required(decided=DECIDED)
    case = world.case
    case.review_required, case.collective_required = review.required, collective.required
    case.assessment = {key: {"required": r.required, "grounds": list(r.grounds),
                             "citations": [c.as_dict() for c in r.citations]}
                       for key, r in (("legal_review", review), ("collective", collective))}
    case.save()
    data = documents.render("handling", case)[1]
    rows = table_rows(data)
    assert ["当事人", f"{world.unit.party.name}（生产经营单位）"] in rows
    assert ["当事人", "周建华（主要负责人）"] in rows
    assert ["处罚种类", "责令限期改正；罚款人民币35,000.00元"] in rows
    assert ["法定罚款幅度", "人民币0.00元至人民币100,000.00元"] in rows
    assert ["裁量基准幅度（一般）", "人民币10,000.00元至人民币30,000.00元"] in rows
    assert ["引擎建议罚款", "人民币20,000.00元"] in rows
    assert ["偏离裁量基准的理由", "两年内第二次同类违法"] in rows
    assert ["不予处罚情形", str(ExemptGround.FIRST.label)] in rows
    assert ["免除罚款", "人民币5,000.00元"] in rows
    text = text_of(data)
    assert "是否必须：是" in text and "是否必须：否" in text
    assert f"情形：{review.grounds[0]}" in text
    assert f"依据：{cited(review.citations)[0]}" in text
    assert f"依据：{cited(collective.citations)[0]}" in text


def test_legal_review_opinions_and_conclusion(world):
    case = world.case
    reviewer = world.leader
    review = LegalReview.objects.create(case=case, round=1, submitted_on=DECIDED,
                                        submitted_by=world.officers[0])
    assert documents.document_available("legal_review", case, review) == (
        "第1轮法制审核尚未作出结论，不能制作法制审核意见书")
    ReviewOpinion.objects.create(review=review, number=1, issue="罚款偏离裁量基准",
                                 law="行政处罚法第三十四条", suggestion="补充偏离理由",
                                 answer="已补充", answered_by=world.officers[0])
    ReviewOpinion.objects.create(review=review, number=2, issue="证据清单缺少培训档案",
                                 law="行政处罚法第四十条", suggestion="补充调取")
    review.reviewer, review.concluded_on = reviewer, DECIDED
    review.conclusion, review.summary = ReviewConclusion.MODIFY, "补充后再审"
    review.save()
    name, data = documents.render("legal_review", case, review)
    assert name == f"法制审核意见书{case.number}第1轮.docx"
    rows = table_rows(data)
    assert ["1", "罚款偏离裁量基准", "行政处罚法第三十四条", "补充偏离理由", "已补充"] in rows
    assert ["2", "证据清单缺少培训档案", "行政处罚法第四十条", "补充调取", "（未回复）"] in rows
    text = text_of(data)
    assert "建议修改" in text and "补充后再审" in text and reviewer.display_name in text


def test_collective_discussion_record(world):
    discussion = CollectiveDiscussion.objects.create(
        case=world.case, date=DECIDED, host="王局长", attendees=["王局长", "李副局长"],
        opinions=[{"name": "李副局长", "opinion": "同意处罚35000元"}],
        conclusion="同意承办人意见", recorded_by=world.officers[1])
    text = text_of(documents.render("discussion", world.case, discussion)[1])
    for expected in ("集体讨论记录", cn_date(DECIDED), "王局长、李副局长",
                     "李副局长：同意处罚35000元", "同意承办人意见",
                     world.officers[1].display_name):
        assert expected in text, expected


# --- the notice --------------------------------------------------------------------------------

def test_notice_without_hearing_rights(world):
    name, data = documents.render("notice", world.case, notice(world, hearing=False))
    text = text_of(data)
    statement = deadlines.statement_deadline(load_schedule(), NOTICED)
    assert name == "行政处罚告知书南应急告〔2024〕3号.docx"
    assert "行政处罚告知书" in text and "听证" not in text
    for expected in ("南应急告〔2024〕3号", "本机关拟对嘉兴", "罚款人民币35,000.00元",
                     f"自收到本告知书之日起{statement.period}内", cited(statement.citations)[0],
                     "1．询问笔录（当事人的陈述，来源：承办人员询问制作）"):
        assert expected in text, expected
    assert "周建华" not in text  # not penalised: not told


def test_notice_with_hearing_rights_has_the_hearing_paragraph(world):
    case_notice = notice(world, hearing=True)
    text = text_of(documents.render("notice", world.case, case_notice)[1])
    request = deadlines.hearing_request_deadline(load_schedule(), NOTICED)
    assert "行政处罚听证告知书" in text
    assert "有要求举行听证的权利" in text
    assert f"应当自收到本告知书之日起{request.period}内向本机关提出" in text
    paragraph = next(line for line in text.splitlines() if "有要求举行听证的权利" in line)
    for c in [*request.citations, *(SimpleNamespace(**c) for c in case_notice.citations)]:
        assert f"《{c.law}》" in paragraph and c.article in paragraph, c


# --- decisions and service ---------------------------------------------------------------------

def test_penalty_decision_with_payment_rights_and_credit_notice(world):
    notice(world, hearing=False)
    DefenceStatement.objects.create(case=world.case, party=world.unit.party,
                                    received_on=NOTICED + datetime.timedelta(days=1),
                                    content="已开始整改", review="整改不影响违法事实认定",
                                    adopted=False, recorded_by=world.officers[0])
    decide(world)
    name, data = documents.render("penalty_decision", world.case, fresh_decision(world.unit))
    text = text_of(data)
    schedule = load_schedule()
    payment = deadlines.payment_deadline(schedule, DECIDED)
    reconsideration = deadlines.reconsideration_deadline(schedule, DECIDED).deadline
    litigation = deadlines.litigation_deadline(schedule, DECIDED).deadline
    enterprise = world.case.enterprise
    assert name == "行政处罚决定书南应急罚〔2024〕1号.docx"
    for expected in (
        "行政处罚决定书", "南应急罚〔2024〕1号", f"当事人：{enterprise.name}", enterprise.uscc,
        "该公司未对新入职的12名从业人员进行安全生产教育和培训", "询问笔录",
        "南应急告〔2024〕3号", "提出陈述、申辩：已开始整改", "意见不成立，不予采纳",
        "违反了《中华人民共和国安全生产法》第九十七条第（三）项",
        "1．责令限期改正", "2．罚款人民币35,000.00元",
        f"自收到本决定书之日起{payment.period}内", cited(payment.citations)[0],
        f"{reconsideration.period}内依法申请行政复议",
        f"{litigation.period}内依法向人民法院提起行政诉讼",
        cited(reconsideration.citations)[0], cited(litigation.citations)[0],
        "加处罚款", cn_date(DECIDED),
    ):
        assert expected in text, expected
    # 双告知: the credit record's periods and repair
    credit = world.credit
    assert f"最短公示期至{cn_date(credit.min_period_ends)}届满" in text
    assert f"最长公示期至{cn_date(credit.publicity_ends_at_latest)}届满" in text
    assert f"自{cn_date(credit.earliest_repair)}起" in text
    assert all(condition in text for condition in credit.conditions)
    assert "信用修复" in text


def fresh_decision(decision: PartyDecision) -> PartyDecision:
    return PartyDecision.objects.get(pk=decision.pk)


def test_no_penalty_decision_names_the_ground(world):
    decide(world)
    text = text_of(documents.render("no_penalty_decision", world.case,
                                    fresh_decision(world.principal))[1])
    ground = exemptions.exemption(
        {"first_violation": True, "harm_minor": True, "corrected_in_time": True},
        decided=DECIDED).grounds[0]
    for expected in ("不予行政处罚决定书", "南应急罚〔2024〕2号", "当事人：周建华",
                     world.principal.party.person.id_number, str(ExemptGround.FIRST.label),
                     f"《{APL.name}》{ground.article}", "决定对你不予行政处罚", "进行教育"):
        assert expected in text, expected
    assert "信用" not in text and "罚款人民币" not in text


def test_service_receipt(world):
    decide(world, serve=True)
    name, data = documents.render("service", world.case, fresh_decision(world.unit))
    rows = table_rows(data)
    assert name == "送达回证南应急罚〔2024〕1号.docx"
    assert ["送达文书名称及文号", "行政处罚决定书（南应急罚〔2024〕1号）"] in rows
    assert ["送达方式", "直接送达"] in rows
    assert ["送达日期", cn_date(SERVED)] in rows
    assert ["签收人", "陈小红"] in rows


def test_closure_form_shows_payments_and_the_surcharge(world):
    decide(world, serve=True)
    unit = fresh_decision(world.unit)
    paid_on = unit.payment_due + datetime.timedelta(days=2)
    Payment.objects.create(decision=unit, kind=Payment.Kind.PRINCIPAL, amount=unit.fine,
                           paid_on=paid_on, receipt="PJ001", recorded_by=world.officers[0])
    surcharge = deadlines.late_payment_surcharge(unit.fine, unit.payment_due, paid_on).amount
    assert surcharge > 0
    rows = table_rows(documents.render("closure", world.case)[1])
    assert ["决定书文号", "南应急罚〔2024〕1号"] in rows
    assert ["缴款期限", cn_date(unit.payment_due)] in rows
    assert ["缴款记录", f"{cn_date(paid_on)}缴纳罚没款人民币35,000.00元（凭证号PJ001）"] in rows
    assert ["加处罚款", f"应加处{documents.money(surcharge)}，已缴人民币0.00元"] in rows
    assert ["未缴罚没款", "人民币0.00元"] in rows


def test_transfer_letter(world):
    transfer = Transfer.objects.create(
        case=world.case, kind=Transfer.Kind.CRIMINAL, number="南应急移〔2024〕1号",
        transferred_on=DECIDED, receiver="嘉兴市公安局南湖区分局", persons=["周建华"],
        facts="涉嫌重大责任事故", created_by=world.officers[0])
    name, data = documents.render("transfer", world.case, transfer)
    text = text_of(data)
    assert name == "案件移送书南应急移〔2024〕1号.docx"
    for expected in ("嘉兴市公安局南湖区分局：", "周建华", "涉嫌重大责任事故",
                     "行政处罚法》第二十七条", "《行政执法机关移送涉嫌犯罪案件的规定》第六条",
                     "询问笔录"):
        assert expected in text, expected


# --- refusals ----------------------------------------------------------------------------------

def test_documents_not_ready_say_why(world, make_user, make_enterprise, jurisdictions, users):
    case, unit = world.case, world.unit
    available = documents.document_available
    assert available("penalty_decision", case, unit) == (
        f"尚未对{unit.party.name}作出决定，不能制作行政处罚决定书")
    assert available("no_penalty_decision", case, unit) == (
        f"{unit.party.name}的处理结果是“行政处罚”，不能制作不予行政处罚决定书")
    assert available("service", case, unit) == f"尚未对{unit.party.name}作出决定，不能制作送达回证"
    assert available("closure", case) == "案件尚未作出决定，不能制作结案审批表"
    assert available("notice", case) == "制作行政处罚告知书应指明告知书"
    assert available("notice", case, unit) == "行政处罚告知书应依据告知书制作"
    assert available("nonsense", case) == "未知的文书种类：nonsense"
    decide(world)
    assert available("penalty_decision", case, fresh_decision(unit)) is None
    assert available("service", case, fresh_decision(unit)) == (
        f"尚未登记对{unit.party.name}的送达情况，不能制作送达回证")
    with pytest.raises(ValidationError) as err:
        documents.render("service", case, fresh_decision(unit))
    assert "尚未登记" in err.value.messages[0]
    _, other = case_in_review(make_user, make_enterprise, jurisdictions, users, principal=False)
    assert available("handling", other) == "尚未提出处理意见，不能制作案件处理呈批表"
    assert available("penalty_decision", other, unit) == "该当事人的处理决定不属于本案件"


# --- issuing: the event record and who may have a document -----------------------------------

def test_issue_records_the_document_with_its_sha256(world):
    decide(world)
    officer = world.officers[1]
    unit = fresh_decision(world.unit)
    name, data = case_document_issue(actor=officer, case=world.case, kind="penalty_decision",
                                     obj=unit)
    event = object_events(world.case).get(action=DOCUMENT_ISSUED)
    assert event.actor == officer
    assert event.payload == {"kind": "penalty_decision", "title": "行政处罚决定书",
                             "object": unit.pk, "file_name": name,
                             "sha256": hashlib.sha256(data).hexdigest()}
    assert "南应急罚〔2024〕1号" in text_of(data)
    case_document_issue(actor=officer, case=world.case, kind="filing")
    assert object_events(world.case).filter(action=DOCUMENT_ISSUED).count() == 2
    assert verify_record() == []


def test_issue_refuses_users_who_may_not_have_the_document(world, make_user, agencies):
    decide(world)
    unit = fresh_decision(world.unit)
    events = Event.objects.count()
    other_county = certify(make_user(Role.OFFICER, agency=agencies["xiuzhou"]))
    with pytest.raises(PermissionDenied, match="不在您的辖区内"):
        case_document_issue(actor=other_county, case=world.case, kind="filing")
    own = make_user(Role.ENTERPRISE, enterprise=world.case.enterprise)
    with pytest.raises(PermissionDenied, match="内部文书"):
        case_document_issue(actor=own, case=world.case, kind="handling")
    stranger = make_user(Role.ENTERPRISE)
    with pytest.raises(PermissionDenied, match="不是本企业的案件"):
        case_document_issue(actor=stranger, case=world.case, kind="penalty_decision", obj=unit)
    supervisor = make_user(Role.SUPERVISOR)  # oversees 南湖区, the case's county
    for kind, obj in (("penalty_decision", unit), ("filing", None)):
        with pytest.raises(PermissionDenied, match="您的角色不能下载"):
            case_document_issue(actor=supervisor, case=world.case, kind=kind, obj=obj)
    with pytest.raises(ValidationError, match="未知的文书种类"):
        case_document_issue(actor=world.officers[0], case=world.case, kind="nonsense")
    assert Event.objects.count() == events
    # the enterprise has its own decision once decided, and it is recorded
    case_document_issue(actor=own, case=world.case, kind="penalty_decision", obj=unit)
    assert object_events(world.case).get(action=DOCUMENT_ISSUED).actor == own
    # a city leader sees the county's case
    leader = make_user(Role.LEADER, agency=agencies["city"])
    case_document_issue(actor=leader, case=world.case, kind="closure")


def test_enterprise_waits_for_the_decision(world, make_user):
    own = make_user(Role.ENTERPRISE, enterprise=world.case.enterprise)
    with pytest.raises(PermissionDenied, match="尚未作出决定"):
        case_document_issue(actor=own, case=world.case, kind="penalty_decision", obj=world.unit)


# --- the templates --------------------------------------------------------------------------------

def test_committed_templates_match_the_script():
    spec = importlib.util.spec_from_file_location("make_case_docx_templates", SCRIPT)
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    assert set(script.TEMPLATES) == {s.template for s in documents.DOCUMENTS.values()}
    for name, build in script.TEMPLATES.items():
        committed = (documents.TEMPLATE_DIR / name).read_bytes()
        assert text_of(script.docx_bytes(build)) == text_of(committed), name
