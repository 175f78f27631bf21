"""The case page as the officer's working page, over HTTP: from case review through the
proposal (with the engine's range shown), the assessment, legal review (opinions,
answers, agreement), collective discussion, the notice and its service, a statement
waiver, the decision, service, payment, publicity, closing and archiving — each record
shown on the page with the deadlines panel; refusals in Chinese with nothing changed;
scoping (another county: 404); the .docx download; the enterprise's view of its own
decided case with the credit-repair form only when the service would allow it; the
home page's overdue cases; a Chinese label for every event the services write."""

from __future__ import annotations

import io
import re
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote

import docx
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fazhi.cases.models import (
    CaseStatus,
    CreditRepairApplication,
    PartyDecision,
    PartyKind,
    PenaltyCase,
)
from fazhi.cases.tests.test_execution import decided_world, serve_all
from fazhi.cases.tests.worlds import TRAINING_ITEM, case_in_review, load_work_safety_catalogue
from fazhi.cases.views import ACTION_LABELS
from fazhi.core.models import Event, Role
from fazhi.legal.catalogue import large_fine_threshold
from fazhi.legal.models import EnforcementItem

pytestmark = pytest.mark.django_db
FINE = Decimal("30000")


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def fresh(case) -> PenaltyCase:
    return PenaltyCase.objects.get(pk=case.pk)


def page(client, case) -> str:
    response = client.get(reverse("cases:case_detail", args=[case.pk]))
    assert response.status_code == 200
    return response.content.decode()


def post(client, case, what, **data) -> str:
    """POST one record form as the page would (with the version the page shows)."""
    data.setdefault("version", fresh(case).version)
    response = client.post(reverse("cases:case_record", args=[case.pk, what]), data,
                           follow=True)
    assert response.redirect_chain[-1][0] == reverse("cases:case_detail", args=[case.pk])
    return response.content.decode()


def move(client, case, action, **extra) -> str:
    response = client.post(reverse("cases:case_transition", args=[case.pk]), {
        "action": action, "version": fresh(case).version,
        "on": timezone.localdate().isoformat(), **extra}, follow=True)
    return response.content.decode()


def today() -> str:
    return timezone.localdate().isoformat()


def first_stage(case):
    return EnforcementItem.objects.get(code=TRAINING_ITEM).stage_penalties.get(stage="first")


@pytest.fixture
def review_world(make_user, make_enterprise, jurisdictions, users):
    """A case in case review with the unit as its only party."""
    load_work_safety_catalogue()
    officers, case = case_in_review(make_user, make_enterprise, jurisdictions, users,
                                    principal=False)
    return officers, case


def _proposal(case, fine, **extra) -> dict:
    unit = case.parties.get(kind=PartyKind.UNIT)
    return {"party": unit.pk, "outcome": "penalty", "item_code": TRAINING_ITEM,
            "stage": "first", "measures": ["order_correct_within_deadline", "fine"],
            "fine": str(fine), "confiscation": "0", "credit_severity": "general",
            "reason": "未对新入职从业人员进行安全生产教育和培训", **extra}


def test_a_case_from_review_to_archive_through_its_page(review_world, users):
    officers, case = review_world
    officer, leader = client_for(officers[0]), client_for(users[Role.LEADER])
    reviewer = client_for(users[Role.REVIEWER])
    stage = first_stage(case)
    # the world stays lawful: within the statute, below the hearing threshold (第六十三条)
    assert stage.unit_min <= FINE <= stage.unit_max
    assert large_fine_threshold(case.jurisdiction, timezone.localdate()).unit_min > FINE

    html = page(officer, case)
    assert 'data-testid="form-propose"' in html and 'data-testid="deadlines"' in html
    assert 'data-testid="form-propose"' not in page(leader, case)

    # 案件审核: the proposal with the engine's statutory range beside it, then the engine
    html = post(officer, case, "propose", **_proposal(case, FINE))
    assert "处理意见已保存" in html
    decision = PartyDecision.objects.get(party__case=case)
    assert (decision.statutory_min, decision.statutory_max) == (stage.unit_min, stage.unit_max)
    assert f"{stage.unit_max:.2f}元" in html and 'data-testid="engine-range"' in html
    html = post(officer, case, "assess", facts=["complex"])
    case = fresh(case)
    assert case.review_required is True and case.collective_required is True
    assert "应当法制审核" in html and "应当集体讨论" in html and "第五十八条" in html

    # 法制审核: an opinion, sent back, answered, agreed
    move(officer, case, "submit_legal_review")
    html = page(reviewer, case)
    assert 'data-testid="form-opinion"' in html and 'data-testid="form-propose"' not in html
    post(reviewer, case, "opinion", issue="违法事实中培训人数与询问笔录不一致",
         law="《行政处罚法》第五条第二款", suggestion="核实后修改")
    post(reviewer, case, "conclude_review", conclusion="modify", summary="按意见修改",
         on=today())
    assert fresh(case).status == CaseStatus.CASE_REVIEW
    opinion = fresh(case).legal_reviews.get().opinions.get()
    html = post(officer, case, "answer", opinion=opinion.pk, answer="已核实，为12名",
                on=today())
    assert "已核实，为12名" in html and "建议修改" in html
    move(officer, case, "submit_legal_review")
    post(reviewer, case, "conclude_review", conclusion="agree", on=today())
    assert fresh(case).status == CaseStatus.APPROVAL

    # 集体讨论, then the notice
    move(leader, case, "submit_collective")
    html = post(leader, case, "discussion", date=today(), host="局长",
                attendees="局长\n副局长甲", opinions="副局长甲：同意承办人意见",
                conclusion="同意按处理意见告知")
    assert "副局长甲：同意承办人意见" in html
    move(leader, case, "approve_notice")
    notice = fresh(case).notices.get()
    html = page(officer, case)
    assert notice.number in html and 'data-testid="form-notice_served"' in html
    html = post(officer, case, "notice_served", served_on=today())
    assert fresh(case).notices.get().statement_due is not None
    unit = case.parties.get()
    html = post(officer, case, "statement", party=unit.pk, received_on=today(), waived="on")
    assert "明确放弃陈述申辩" in html

    # 决定, service, payment, publicity
    html = move(leader, case, "decide")
    decision.refresh_from_db()
    assert fresh(case).status == CaseStatus.DECIDED and decision.number in html
    html = page(officer, case)
    assert 'data-testid="form-service"' in html and 'data-key="service"' in html
    post(officer, case, "service", decision=decision.pk, served_on=today(), method="直接送达",
         recipient="李明（办公室主任）")
    move(officer, case, "serve")
    decision.refresh_from_db()
    html = page(officer, case)
    assert f"尚欠 {decision.amount_due:.2f}元" in html and 'data-key="payment"' in html
    html = post(officer, case, "payment", decision=decision.pk, kind="principal",
                amount=str(decision.amount_due), paid_on=today(), receipt="NO.0001")
    assert "已缴清" in html and "NO.0001" in html
    html = post(officer, case, "publish", publicity=decision.publicity.pk, on=today())
    decision.publicity.refresh_from_db()
    assert decision.publicity.published_on is not None and "行政处罚决定书文号" in html
    move(leader, case, "close")
    html = move(officer, case, "archive")
    assert fresh(case).status == CaseStatus.ARCHIVED
    # every record left its Chinese line in the event record
    for label in ("提出处理意见", "提出法制审核意见", "回复法制审核意见", "集体讨论",
                  "告知书送达", "登记陈述申辩", "登记决定书送达", "登记缴款", "公示处罚决定"):
        assert f"<strong>{label}</strong>" in html


def test_the_deadlines_panel_shows_the_overdue_decision_in_red(review_world):
    officers, case = review_world
    html = page(client_for(officers[0]), case)
    # filed in 2024: the decision period ran out long ago and nothing was decided
    row = re.search(r'<li[^>]*data-key="decision"[^>]*>.*?</li>', html, re.S).group(0)
    assert 'data-overdue="1"' in row and "fz-overdue" in row and "已逾期" in row


def test_a_refused_post_shows_the_reason_and_changes_nothing(review_world, users):
    officers, case = review_world
    officer = client_for(officers[0])
    over = first_stage(case).unit_max + 1
    events, version = Event.objects.count(), case.version
    html = post(officer, case, "propose", **_proposal(case, over))
    assert "超出法定幅度" in html and "第四条" in html
    # a page opened before someone else's change: told to reload
    post(officer, case, "propose", **_proposal(case, FINE))
    html = post(officer, case, "propose", **_proposal(case, FINE - 1), version=version)
    assert "请刷新后重试" in html
    # the wrong role: the leader may not propose
    html = post(client_for(users[Role.LEADER]), case, "propose", **_proposal(case, FINE - 1))
    assert "您的角色不能提出处理意见" in html
    # a form error names its field
    html = post(officer, case, "propose", **_proposal(case, "十万"))
    assert "罚款（元）：" in html
    assert Event.objects.count() == events + 1  # only the one accepted proposal
    assert PartyDecision.objects.get(party__case=case).fine == FINE


def test_another_county_gets_404(review_world, make_user, agencies):
    _officers, case = review_world
    outsider = client_for(make_user(Role.OFFICER, agency=agencies["xiuzhou"]))
    assert outsider.get(reverse("cases:case_detail", args=[case.pk])).status_code == 404
    response = outsider.post(reverse("cases:case_record", args=[case.pk, "propose"]),
                             _proposal(case, FINE) | {"version": case.version})
    assert response.status_code == 404
    assert outsider.get(reverse("cases:case_document",
                                args=[case.pk, "filing"])).status_code == 404
    assert not PartyDecision.objects.filter(party__case=case).exists()


@pytest.fixture
def decided(make_user, make_enterprise, jurisdictions, users):
    """A case decided in 2024 (the unit fined), served, the fine not yet paid."""
    officers, case = decided_world(make_user, make_enterprise, jurisdictions, users)
    return officers, serve_all(officers[0], case)


def test_the_decision_downloads_as_a_docx(decided):
    officers, case = decided
    decision = PartyDecision.objects.get(party__case=case)
    html = page(client_for(officers[0]), case)
    url = reverse("cases:case_document", args=[case.pk, "penalty_decision"])
    assert f"{url}?obj={decision.pk}" in html
    events = Event.objects.filter(action="case.document_issued").count()
    response = client_for(officers[0]).get(url, {"obj": decision.pk})
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    disposition = response["Content-Disposition"]
    name = re.search(r"filename\*=UTF-8''(\S+)", disposition).group(1)
    assert name.endswith(".docx") and quote("行政处罚决定书", safe="") in name
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(response.content)).paragraphs)
    assert decision.number in text
    assert Event.objects.filter(action="case.document_issued").count() == events + 1
    # a document of another case's record: 404
    assert client_for(officers[0]).get(url, {"obj": 999999}).status_code == 404


def test_the_enterprise_sees_its_case_and_repairs_its_credit_once_allowed(decided,
                                                                         make_user, users):
    officers, case = decided
    decision = PartyDecision.objects.get(party__case=case)
    owner = client_for(make_user(Role.ENTERPRISE, enterprise=case.enterprise))
    html = page(owner, case)
    assert decision.number in html and 'data-testid="credit"' in html
    assert 'data-testid="section-review"' not in html  # the agency's internal work
    assert 'data-testid="form-repair_apply"' not in html  # the fine is not paid yet
    # its decision yes, the agency's internal filing form no
    assert owner.get(reverse("cases:case_document", args=[case.pk, "penalty_decision"]),
                     {"obj": decision.pk}).status_code == 200
    assert owner.get(reverse("cases:case_document",
                             args=[case.pk, "filing"])).status_code == 403
    post(client_for(officers[0]), case, "payment", decision=decision.pk, kind="principal",
         amount=str(decision.amount_due), paid_on=decision.served_on.isoformat())
    assert decision.credit.earliest_repair <= timezone.localdate()  # decided in 2024
    html = page(owner, case)
    assert 'data-testid="form-repair_apply"' in html
    post(owner, case, "repair_apply", credit=decision.credit.pk, statement="已缴清罚款并完成整改")
    application = CreditRepairApplication.objects.get(credit=decision.credit)
    assert 'data-testid="form-repair_apply"' not in page(owner, case)  # one pending
    html = post(client_for(officers[0]), case, "repair_decide", application=application.pk,
                approve="yes", reason="符合修复条件", on=today())
    assert 'data-testid="credit-repaired"' in html
    application.refresh_from_db()
    assert application.status == CreditRepairApplication.Status.APPROVED


def test_officers_and_leaders_see_overdue_cases_on_their_home_page(review_world, users):
    officers, case = review_world
    for user in (officers[0], users[Role.LEADER]):
        html = client_for(user).get("/").content.decode()
        panel = re.search(r'data-testid="overdue-cases".*?</section>', html, re.S).group(0)
        assert case.number in panel and "text-danger" in panel and "作出决定期限" in panel
    html = client_for(users[Role.REVIEWER]).get("/").content.decode()
    assert 'data-testid="overdue-cases"' not in html


def test_every_event_the_services_write_has_a_chinese_label():
    services_dir = Path(__file__).resolve().parent.parent / "services"
    actions = set()
    for source in services_dir.glob("*.py"):
        actions |= set(re.findall(r'action="(case\.[a-z_]+)"', source.read_text()))
        actions |= set(re.findall(r'= "(case\.[a-z_]+)"', source.read_text()))
    assert {"case.proposed", "case.publicity_published"} <= actions
    assert sorted(actions - set(ACTION_LABELS)) == []
