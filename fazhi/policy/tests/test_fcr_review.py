"""The close review (严格审查) over HTTP: a text is screened into flags, the reviewer
(法制审核员 / 负责人) confirms or dismisses each one and concludes 符合 / 不符合 /
适用例外 (purpose, reason and period required); refusals change nothing; events are
recorded; scoping answers 404."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from fazhi.core.models import Event, Role
from fazhi.policy.models_fcr import FcrConclusion, FcrReview, FlagDecision
from fazhi.policy.services_fcr import fcr_flag_decide, fcr_review_conclude, fcr_review_open

TEXT = ("关于进一步规范全区安全生产社会化服务的通知\n"
        "一、各企业应急演练评估须委托列入区应急管理局推荐名录的机构开展。\n"
        "二、参与本区安全生产托管服务的企业，须在本区注册成立独立法人公司。\n"
        "三、各企业应当加强安全生产教育培训。")


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def review(users) -> FcrReview:
    return fcr_review_open(actor=users["officer"], title="关于规范安全生产社会化服务的通知",
                           text=TEXT, source="adhoc")


def test_an_officer_screens_a_pasted_text_and_opens_a_review(users):
    client = _client(users["officer"])
    page = client.post("/policy/fcr/", {"text": TEXT})
    assert page.status_code == 200
    html = page.content.decode()
    assert "FCR-8-3" in html and "FCR-9-2" in html and 'data-testid="fcr-mark"' in html
    assert not FcrReview.objects.exists()  # screening alone stores nothing
    response = client.post("/policy/fcr/", {"text": TEXT, "title": "社会化服务通知",
                                            "open_review": "1"})
    review = FcrReview.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/policy/fcr/reviews/{review.pk}/"
    assert sorted(review.flags.values_list("standard", flat=True)) == ["FCR-8-3", "FCR-9-2"]
    for flag in review.flags.all():
        assert TEXT[flag.start:flag.end] == flag.clause
    event = Event.objects.get(object_type="policy.fcrreview", object_id=str(review.pk))
    assert event.action == "policy.fcr_review.open"
    assert event.payload["flags"] == ["FCR-8-3", "FCR-9-2"]


def test_the_reviewer_dismisses_and_confirms_flags_then_concludes_noncompliant(users, review):
    client = _client(users["reviewer"])
    first, second = review.flags.order_by("start")
    refused = client.post(review.get_absolute_url(), {"what": "flag", "flag": first.pk,
                                                      "decision": "dismissed", "note": ""})
    assert refused.status_code == 422 and "理由" in refused.content.decode()
    first.refresh_from_db()
    assert first.decision == FlagDecision.PENDING
    assert client.post(review.get_absolute_url(), {
        "what": "flag", "flag": first.pk, "decision": "dismissed",
        "note": "推荐名录向所有符合条件的机构开放，企业可自主选择"}).status_code == 302
    # 符合 is refused while a flag is pending, and once a flag is confirmed
    pending = client.post(review.get_absolute_url(), {"what": "conclude",
                                                      "conclusion": "compliant"})
    assert pending.status_code == 422 and "未认定" in pending.content.decode()
    client.post(review.get_absolute_url(), {"what": "flag", "flag": second.pk,
                                            "decision": "confirmed", "note": "要求本地注册"})
    compliant = client.post(review.get_absolute_url(), {"what": "conclude",
                                                        "conclusion": "compliant"})
    assert compliant.status_code == 422
    review.refresh_from_db()
    assert review.conclusion == ""
    done = client.post(review.get_absolute_url(), {
        "what": "conclude", "conclusion": "noncompliant",
        "justification": "删除第二项本地注册要求后重新审查"})
    assert done.status_code == 302
    review.refresh_from_db()
    assert review.conclusion == FcrConclusion.NONCOMPLIANT and not review.allows_issue
    assert review.reviewer == users["reviewer"] and review.concluded_at
    actions = list(Event.objects.filter(object_type="policy.fcrreview",
                                        object_id=str(review.pk))
                   .order_by("seq").values_list("action", flat=True))
    assert actions == ["policy.fcr_review.open", "policy.fcr_review.flag",
                       "policy.fcr_review.flag", "policy.fcr_review.conclude"]
    page = client.get(review.get_absolute_url()).content.decode()
    assert "不符合（应当修改）" in page and "删除第二项本地注册要求" in page
    # a concluded review is final
    with pytest.raises(ValidationError):
        fcr_review_conclude(actor=users["reviewer"], review=review, conclusion="compliant")


def test_an_exception_needs_its_purpose_reason_and_a_later_period(users, review):
    reviewer = users["leader"]  # the head (负责人) may conclude too
    for flag in review.flags.all():
        fcr_flag_decide(actor=reviewer, flag=flag, decision="confirmed", note="确有限制效果")
    at = datetime.datetime(2024, 7, 1, 10, tzinfo=datetime.UTC)
    bad = [
        {"justification": "无替代方案", "exception_until": datetime.date(2025, 6, 30)},
        {"exception_purpose": "FCR-12-3", "exception_until": datetime.date(2025, 6, 30)},
        {"exception_purpose": "FCR-12-3", "justification": "无替代方案"},
        {"exception_purpose": "FCR-12-3", "justification": "无替代方案",
         "exception_until": datetime.date(2024, 7, 1)},
        {"exception_purpose": "FCR-13-1", "justification": "无替代方案",
         "exception_until": datetime.date(2025, 6, 30)},
    ]
    for kwargs in bad:
        with pytest.raises(ValidationError):
            fcr_review_conclude(actor=reviewer, review=review, conclusion="exception", at=at,
                                **kwargs)
    review.refresh_from_db()
    assert review.conclusion == ""
    fcr_review_conclude(actor=reviewer, review=review, conclusion="exception", at=at,
                        exception_purpose="FCR-12-3",
                        justification="汛期抢险须两小时内送达，没有影响更小的替代方案",
                        exception_until=datetime.date(2025, 6, 30))
    review.refresh_from_db()
    assert review.conclusion == FcrConclusion.EXCEPTION and review.allows_issue
    assert review.exception_until == datetime.date(2025, 6, 30)


def test_only_a_reviewer_or_the_head_decides_flags_and_concludes(users, review):
    flag = review.flags.first()
    for role in (Role.OFFICER,):
        with pytest.raises(PermissionDenied):
            fcr_flag_decide(actor=users[role], flag=flag, decision="dismissed", note="x")
    with pytest.raises(PermissionDenied):
        fcr_review_conclude(actor=users["officer"], review=review, conclusion="noncompliant",
                            justification="x")
    page = _client(users["officer"]).get(review.get_absolute_url()).content.decode()
    assert 'data-testid="conclude-form"' not in page
    for role in (Role.ENTERPRISE, Role.SUPERVISOR):
        with pytest.raises(PermissionDenied):
            fcr_review_open(actor=users[role], title="x", text="y", source="adhoc")


def test_a_review_with_no_flags_concludes_compliant_directly(users):
    review = fcr_review_open(actor=users["officer"], title="培训通知", source="normdoc",
                             text="各企业应当于每年12月31日前完成年度安全生产培训。")
    assert not review.flags.exists()
    fcr_review_conclude(actor=users["reviewer"], review=review, conclusion="compliant")
    review.refresh_from_db()
    assert review.allows_issue


def test_bad_openings_are_refused_and_save_nothing(users):
    for kwargs in ({"title": "", "text": "x", "source": "adhoc"},
                   {"title": "x", "text": "  ", "source": "adhoc"},
                   {"title": "x", "text": "y", "source": "other"},
                   {"title": "x", "text": "y", "source": "archive"}):
        with pytest.raises(ValidationError):
            fcr_review_open(actor=users["officer"], **kwargs)
    assert not FcrReview.objects.exists()


def test_another_area_sees_the_review_as_missing(users, make_user, agencies, review):
    other = make_user(Role.REVIEWER, agency=agencies["xiuzhou"])
    client = _client(other)
    assert client.get(review.get_absolute_url()).status_code == 404
    assert client.post(review.get_absolute_url(), {"what": "conclude",
                                                   "conclusion": "compliant"}).status_code == 404
    assert review.title not in client.get("/policy/fcr/reviews/").content.decode()
    # the city bureau sees what is below it
    city = make_user(Role.REVIEWER, agency=agencies["city"])
    assert _client(city).get(review.get_absolute_url()).status_code == 200
    with pytest.raises(PermissionDenied):
        fcr_review_conclude(actor=other, review=review, conclusion="noncompliant",
                            justification="x")
    assert _client(users["enterprise"]).get(review.get_absolute_url()).status_code == 403
