"""Social supervisors (appointment with a numbered certificate, remarks and the bureau's
written answers with a deadline, a supervisor's read-only desk scoped to the area they
oversee, linking to that area's enforcement records) and disclosure on request (20
working days, one approved extension of at most 20, 补正 restarting the period, the
answer and its form, timeliness), over HTTP where a user meets them."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fazhi.core import calendar
from fazhi.core.models import Event, Role
from fazhi.oversight import selectors, services
from fazhi.oversight.models import DisclosureRequest, Supervisor, SupervisorRemark
from fazhi.oversight.rules import disclosure as disclosure_rules
from fazhi.oversight.rules import supervision as supervision_rules
from fazhi.reports.registry import Period, get_indicator

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def appointed(users, make_user, agencies):
    leader = make_user(Role.LEADER, agency=agencies["city"])
    supervisor_user = users[Role.SUPERVISOR]  # oversees 南湖区
    appointment = services.supervisor_appoint(
        actor=leader, user=supervisor_user, name="周监督", work_unit="律师",
        term_start=TODAY - datetime.timedelta(days=30),
        term_end=TODAY + datetime.timedelta(days=700))
    return leader, appointment


def test_appointment_gets_a_numbered_certificate_and_shows_on_the_portal(appointed):
    leader, appointment = appointed
    assert appointment.certificate_number == f"嘉应急监聘〔{TODAY.year}〕1号"
    assert Event.objects.filter(action="oversight.supervisor.appointed").exists()
    page = Client().get(reverse("public:supervisors")).content.decode()
    assert "周监督" in page and appointment.certificate_number in page
    with pytest.raises(ValidationError, match="已被聘任"):
        services.supervisor_appoint(actor=leader, user=appointment.user, name="周监督",
                                    term_start=TODAY, term_end=TODAY)


def test_only_heads_of_the_area_appoint(users, make_user, agencies):
    with pytest.raises(PermissionDenied):
        services.supervisor_appoint(actor=users[Role.OFFICER], user=users[Role.SUPERVISOR],
                                    name="某", term_start=TODAY, term_end=TODAY)
    xiuzhou_leader = make_user(Role.LEADER, agency=agencies["xiuzhou"])
    with pytest.raises(PermissionDenied):
        services.supervisor_appoint(actor=xiuzhou_leader, user=users[Role.SUPERVISOR],
                                    name="某", term_start=TODAY, term_end=TODAY)
    assert not Supervisor.objects.exists()


def test_a_remark_is_answered_in_writing_by_its_due_day(appointed, users):
    leader, appointment = appointed
    supervisor = client_for(appointment.user)
    response = supervisor.post(reverse("oversight:supervisor_desk"), {
        "subject": "行政处罚公示及时性", "text": "部分决定公示不及时，建议改进。"})
    assert response.status_code == 302
    remark = SupervisorRemark.objects.get()
    assert remark.answer_due == supervision_rules.answer_due(
        calendar.load_schedule(), remark.submitted_on).date
    # the supervisor reads, never writes, the answer; staff answer
    page = supervisor.get(reverse("oversight:remark_detail", args=[remark.pk]))
    assert page.status_code == 200 and "尚未答复" in page.content.decode()
    supervisor.post(reverse("oversight:remark_detail", args=[remark.pk]), {"answer": "好"})
    remark.refresh_from_db()
    assert remark.answered_on is None
    client_for(leader).post(reverse("oversight:remark_detail", args=[remark.pk]),
                            {"answer": "已责成执法支队在7个工作日内完成公示。"})
    remark.refresh_from_db()
    assert remark.answered_on == TODAY and remark.answered_by == leader
    assert "已责成" in supervisor.get(
        reverse("oversight:remark_detail", args=[remark.pk])).content.decode()


def test_a_supervisor_reads_only_their_area_and_nothing_internal(appointed, users, make_user,
                                                                 jurisdictions):
    _leader, appointment = appointed
    client = client_for(appointment.user)
    assert client.get(reverse("oversight:supervisor_desk")).status_code == 200
    assert client.get(reverse("oversight:overview")).status_code == 302
    for name in ("tip_list", "disclosure_list", "post_list", "supervisor_list"):
        assert client.get(reverse(f"oversight:{name}")).status_code == 403
    other = make_user(Role.SUPERVISOR, supervised_jurisdiction=jurisdictions["xiuzhou"])
    remark = services.remark_submit(actor=appointment.user, subject="事项", text="意见")
    assert client_for(other).get(
        reverse("oversight:remark_detail", args=[remark.pk])).status_code == 404
    with pytest.raises(PermissionDenied, match="在聘期内"):
        services.remark_submit(actor=other, subject="事项", text="意见")


def test_the_desk_links_to_the_enforcement_records_of_the_area(appointed, make_user,
                                                                 jurisdictions):
    _leader, appointment = appointed
    client = client_for(appointment.user)
    desk = client.get(reverse("oversight:supervisor_desk")).content.decode()
    records = desk.split('data-testid="area-records"')[1].split("</section>")[0]
    assert "南湖区" in records and "只读" in records
    for name in ("inspection:inspection_list", "inspection:hazard_list", "cases:case_list",
                 "accidents:accident_list"):
        url = reverse(name)
        assert f'href="{url}"' in records, name
        assert client.get(url).status_code == 200, name  # the link opens for them
    # a supervisor without an area gets no links, but a hint
    loose = make_user(Role.SUPERVISOR, supervised_jurisdiction=None)
    page = client_for(loose).get(reverse("oversight:supervisor_desk")).content.decode()
    records = page.split('data-testid="area-records"')[1].split("</section>")[0]
    assert "尚未设定监督辖区" in records and reverse("cases:case_list") not in records


def test_supervisors_indicator_counts_appointments_overlapping_the_period(appointed,
                                                                          jurisdictions):
    year = Period.for_year(TODAY.year)
    indicator = get_indicator("oversight.supervisors")
    assert indicator.evaluate(year, jurisdictions["city"]) == 1
    assert indicator.evaluate(year, jurisdictions["xiuzhou"]) == 0
    assert indicator.evaluate(Period.for_year(TODAY.year + 5), jurisdictions["city"]) == 0


# --- disclosure --------------------------------------------------------------------------------

def _register(officer, received=None) -> DisclosureRequest:
    return services.disclosure_register(
        actor=officer, applicant_kind="citizen", applicant_name="赵申请",
        applicant_contact="嘉兴市南湖区某路", description="2024年某企业行政处罚决定书",
        channel="online", received_on=received or TODAY)


def test_disclosure_request_answer_period_and_answer(users):
    officer = users[Role.OFFICER]
    client = client_for(officer)
    response = client.post(reverse("oversight:disclosure_list"), {
        "applicant_kind": "citizen", "applicant_name": "赵申请", "applicant_contact": "电话",
        "description": "某企业行政处罚决定书", "form_requested": "electronic",
        "channel": "online", "received_on": TODAY.isoformat()})
    assert response.status_code == 302
    row = DisclosureRequest.objects.get()
    schedule = calendar.load_schedule()
    assert row.due == disclosure_rules.answer_due(schedule, TODAY).date
    assert row.acknowledged_on == TODAY and row.number.startswith("南应急依申")
    assert row.citations[0]["article"] == "第三十三条第二款"
    # an officer may not extend; the head may, by at most 20 working days, once
    with pytest.raises(PermissionDenied):
        services.disclosure_extend(actor=officer, request=row, days=10, reason="检索")
    with pytest.raises(ValidationError, match="20个工作日"):
        services.disclosure_extend(actor=users[Role.LEADER], request=row, days=21,
                                   reason="检索")
    row = services.disclosure_extend(actor=users[Role.LEADER], request=row, days=20,
                                     reason="需检索档案")
    assert row.due == disclosure_rules.answer_due(schedule, TODAY, extension_days=20).date
    client.post(reverse("oversight:disclosure_detail", args=[row.pk]), {
        "action": "answer", "kind": "disclosed", "form": "paper", "text": "予以公开，见附件"})
    row.refresh_from_db()
    assert (row.answered_on, row.answer_kind, row.answer_form, row.on_time) == (
        TODAY, "disclosed", "paper", True)
    year = Period.for_year(TODAY.year)
    city = officer.agency.jurisdiction.parent
    assert get_indicator("oversight.disclosure.requests").evaluate(year, city) == 1
    assert get_indicator("oversight.disclosure.on_time_rate").evaluate(year, city) == 100


def test_supplement_restarts_the_period_and_late_answers_are_counted(users):
    officer = users[Role.OFFICER]
    received = TODAY - datetime.timedelta(days=60)
    row = _register(officer, received)
    schedule = calendar.load_schedule()
    limit = disclosure_rules.supplement_due(schedule, received).date
    with pytest.raises(ValidationError, match="7个工作日"):
        services.disclosure_supplement(actor=officer, request=row,
                                       requested_on=limit + datetime.timedelta(days=1))
    completed = limit + datetime.timedelta(days=3)
    row = services.disclosure_supplement(actor=officer, request=row, requested_on=limit,
                                         received_on=completed)
    assert row.due == disclosure_rules.answer_due(schedule, received, completed).date
    row = services.disclosure_answer(actor=officer, request=row, kind="nonexistent",
                                     form="electronic", text="经检索，该信息不存在")
    assert row.on_time is (row.due >= TODAY)
    assert selectors.disclosure_get(user=users[Role.SUPERVISOR], pk=row.pk) is None
