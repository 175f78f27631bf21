"""Permits over HTTP, as the bureau and the enterprise meet them: the API happy path
from receipt to the permit, the time limits across the National Day holiday, the one-time
correction notice and 视为受理, the head's extension, refusal with reasons, suspension and
revocation on a penalty case, scoping, the pages and the ledger."""

from __future__ import annotations

import datetime
import io
import json
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from fazhi.cases.models import PenaltyCase
from fazhi.core.models import Event, Role
from fazhi.core.services.tokens import token_issue
from fazhi.licensing.models_permits import Permit, PermitApplication
from fazhi.licensing.selectors_permits import public_permits
from fazhi.licensing.services_permits import materials_for
from fazhi.subjects.models import SupervisionCategory

pytestmark = pytest.mark.django_db
API = "/api/v1/licensing"
D = datetime.date
MARCH_4, MARCH_20 = D(2024, 3, 4), D(2024, 3, 20)


def client_for(user) -> Client:
    raw, _token = token_issue(user=user)
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def post(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, data=json.dumps(body, default=str), content_type="application/json")


@pytest.fixture
def world(make_user, make_enterprise, agencies, jurisdictions):
    enterprise = make_enterprise(jurisdictions["nanhu"], name="嘉兴南湖化工有限公司",
                                 supervision_category=SupervisionCategory.HAZCHEM_USE)
    other = make_enterprise(jurisdictions["xiuzhou"], name="秀洲化工有限公司")
    return {
        "enterprise": enterprise, "other": other,
        "officer": make_user(Role.OFFICER, full_name="许可经办甲"),
        "officer2": make_user(Role.OFFICER, full_name="许可经办乙"),
        "leader": make_user(Role.LEADER, full_name="分管局长"),
        "xiuzhou": make_user(Role.OFFICER, agency=agencies["xiuzhou"]),
        "owner": make_user(Role.ENTERPRISE, enterprise=enterprise),
        "stranger": make_user(Role.ENTERPRISE, enterprise=other),
    }


def all_codes(permit_type: str, kind: str) -> list[str]:
    return [m["code"] for m in materials_for(permit_type, kind)]


def receive(client: Client, enterprise, *, permit_type: str = "use", kind: str = "issue",
            received_on: D = MARCH_4, materials: list[str] | None = None,
            **extra: Any) -> dict[str, Any]:
    body = {"enterprise": enterprise.pk, "permit_type": permit_type, "kind": kind,
            "received_on": received_on, "scope": "使用：液氯 200吨/年",
            "materials": all_codes(permit_type, kind) if materials is None else materials,
            **extra}
    response = post(client, f"{API}/permit-applications", body)
    assert response.status_code == 201, response.content.decode()
    return response.json()


def issued_permit(world: dict[str, Any], *, decided_on: D = MARCH_20) -> Permit:
    officer, leader = client_for(world["officer"]), client_for(world["leader"])
    app = receive(officer, world["enterprise"])
    url = f"{API}/permit-applications/{app['id']}"
    assert post(officer, f"{url}/acceptance", {"accepted_on": D(2024, 3, 5)}).status_code == 200
    assert post(officer, f"{url}/verifications", {
        "verified_on": D(2024, 3, 12), "verifiers": [world["officer"].pk, world["officer2"].pk],
        "findings": "储存设施、应急器材与申请材料一致", "result": "passed"}).status_code == 200
    done = post(leader, f"{url}/decision", {"decided_on": decided_on, "approve": True})
    assert done.status_code == 200, done.content.decode()
    return Permit.objects.get(number=done.json()["issued_permit"])


def test_happy_path_from_receipt_to_a_three_year_permit(world):
    officer = client_for(world["officer"])
    app = receive(officer, world["enterprise"])
    assert app["status"] == "received"
    assert app["acceptance_due"] == "2024-03-11"
    url = f"{API}/permit-applications/{app['id']}"
    accepted = post(officer, f"{url}/acceptance", {"accepted_on": D(2024, 3, 5)}).json()
    assert accepted["status"] == "accepted" and "许受〔2024〕1号" in accepted["reference"]
    # 20 working days after Tuesday 5 March 2024 → Tuesday 2 April.
    assert accepted["deadline"]["date"] == "2024-04-02"
    assert any("第四十二条" in c["article"] for c in accepted["deadline"]["citations"])

    # One verifier is not enough (第三十四条第三款), and an officer cannot decide.
    one = post(officer, f"{url}/verifications", {
        "verified_on": D(2024, 3, 12), "verifiers": [world["officer"].pk],
        "findings": "现场核查", "result": "passed"})
    assert one.status_code == 422 and "两名以上" in one.json()["detail"]
    assert post(officer, f"{url}/decision", {"decided_on": D(2024, 3, 20),
                                              "approve": True}).status_code == 403
    permit = issued_permit(world)
    assert (permit.valid_from, permit.valid_until) == (D(2024, 3, 20), D(2027, 3, 20))
    assert permit.number.startswith("浙嘉危化使字〔2024〕")
    assert permit in public_permits()
    actions = list(Event.objects.filter(object_type="licensing.permitapplication")
                   .values_list("action", flat=True))
    assert {"licensing.application.received", "licensing.application.accepted",
            "licensing.application.verified", "licensing.application.approved"} <= set(actions)

    # The enterprise sees its own application and permit; another enterprise and another
    # county see neither (404, as missing).
    owner, stranger = client_for(world["owner"]), client_for(world["stranger"])
    assert owner.get(f"{API}/permits/{permit.pk}").json()["status"] == "valid"
    assert stranger.get(f"{API}/permits/{permit.pk}").status_code == 404
    assert client_for(world["xiuzhou"]).get(url).status_code == 404
    assert stranger.get(f"{API}/permit-applications").json()["count"] == 0


def test_time_limits_run_in_working_days_across_the_national_day_holiday(world):
    officer = client_for(world["officer"])
    app = receive(officer, world["enterprise"], received_on=D(2024, 9, 27))
    assert app["acceptance_due"] == "2024-10-10"  # 29 Sep worked, 1–7 Oct off
    calc = post(officer, f"{API}/permit-deadlines", {
        "permit_type": "use", "received_on": D(2024, 9, 27), "accepted_on": D(2024, 9, 30)})
    assert calc.json()["acceptance_due"]["date"] == "2024-10-10"
    # 30 Sep + 20 working days: 8–11 Oct (4), 12 Oct 上班 (5), 14–18 (10), 21–25 (15),
    # 28 Oct – 1 Nov (20).
    assert calc.json()["decision_due"]["date"] == "2024-11-01"


def test_correction_is_notified_once_and_too_late_means_accepted_on_receipt(world):
    officer = client_for(world["officer"])
    missing_one = all_codes("use", "issue")[1:]
    app = receive(officer, world["enterprise"], received_on=D(2024, 9, 27),
                  materials=missing_one)
    url = f"{API}/permit-applications/{app['id']}"
    late = post(officer, f"{url}/correction", {"notified_on": D(2024, 10, 11)})
    assert late.status_code == 422 and "即为受理" in late.json()["detail"]
    accepted = post(officer, f"{url}/acceptance", {"accepted_on": D(2024, 10, 14)}).json()
    assert accepted["deemed_accepted"] and accepted["accepted_on"] == "2024-09-27"

    second = receive(officer, world["enterprise"], received_on=D(2024, 9, 27),
                     materials=all_codes("operation", "issue")[2:], permit_type="operation")
    url2 = f"{API}/permit-applications/{second['id']}"
    notice = post(officer, f"{url2}/correction", {"notified_on": D(2024, 10, 10)}).json()
    assert notice["status"] == "correction" and notice["correction_missing"]
    assert post(officer, f"{url2}/correction",
                {"notified_on": D(2024, 10, 10)}).status_code == 422  # once only
    incomplete = post(officer, f"{url2}/acceptance", {"accepted_on": D(2024, 10, 21)})
    assert incomplete.status_code == 422 and "尚缺" in incomplete.json()["detail"]
    done = post(officer, f"{url2}/acceptance", {
        "accepted_on": D(2024, 10, 21), "materials": all_codes("operation", "issue")}).json()
    assert done["accepted_on"] == "2024-10-21" and not done["deemed_accepted"]


def test_the_head_extends_once_by_ten_working_days_and_pauses_move_the_deadline(world):
    officer = client_for(world["officer"])
    app = receive(officer, world["enterprise"], received_on=D(2024, 9, 19))
    url = f"{API}/permit-applications/{app['id']}"
    base = post(officer, f"{url}/acceptance", {"accepted_on": D(2024, 9, 20)}).json()
    assert base["deadline"]["date"] == "2024-10-23"
    extended = post(officer, f"{url}/extension", {
        "approved_on": D(2024, 10, 22), "reason": "需组织专家论证储存设施",
        "approved_by": "分管局长"}).json()
    assert extended["extended"] and extended["deadline"]["date"] == "2024-11-06"
    again = post(officer, f"{url}/extension", {"approved_on": D(2024, 10, 22),
                                                "reason": "再延", "approved_by": "局长"})
    assert again.status_code == 422 and "已延长过" in again.json()["detail"]
    paused = post(officer, f"{url}/pauses", {
        "reason": "expert_review", "started_on": D(2024, 10, 28), "ended_on": D(2024, 10, 30),
        "notified_on": D(2024, 10, 25)}).json()
    assert paused["deadline"]["date"] == "2024-11-11"  # 3 working days later
    assert any(c["article"] == "第四十五条" for c in paused["deadline"]["citations"])

    production = receive(officer, world["enterprise"], permit_type="production",
                         received_on=D(2024, 9, 19))
    purl = f"{API}/permit-applications/{production['id']}"
    post(officer, f"{purl}/acceptance", {"accepted_on": D(2024, 9, 20)})
    refused = post(officer, f"{purl}/extension", {"approved_on": D(2024, 9, 25),
                                                   "reason": "复杂", "approved_by": "局长"})
    assert refused.status_code == 422 and "第七条" in refused.json()["detail"]


def test_an_extension_after_the_period_ran_out_is_refused(world):
    officer = client_for(world["officer"])
    app = receive(officer, world["enterprise"], received_on=D(2024, 9, 19))
    url = f"{API}/permit-applications/{app['id']}"
    post(officer, f"{url}/acceptance", {"accepted_on": D(2024, 9, 20)})
    late = post(officer, f"{url}/extension", {"approved_on": D(2024, 10, 24),
                                               "reason": "来不及", "approved_by": "局长"})
    assert late.status_code == 422 and "届满" in late.json()["detail"]


def test_refusal_needs_reasons_and_issues_no_permit(world):
    officer, leader = client_for(world["officer"]), client_for(world["leader"])
    app = receive(officer, world["enterprise"])
    url = f"{API}/permit-applications/{app['id']}"
    post(officer, f"{url}/acceptance", {"accepted_on": D(2024, 3, 5)})
    bare = post(leader, f"{url}/decision", {"decided_on": D(2024, 3, 20), "approve": False})
    assert bare.status_code == 422 and "第三十八条" in bare.json()["detail"]
    unverified = post(leader, f"{url}/decision", {"decided_on": D(2024, 3, 20), "approve": True})
    assert unverified.status_code == 422 and "现场核查" in unverified.json()["detail"]
    refused = post(leader, f"{url}/decision", {
        "decided_on": D(2024, 3, 20), "approve": False,
        "reasons": "储存场所与周边居民区距离不符合国家标准；"
                   "可依法申请行政复议或提起行政诉讼"}).json()
    assert refused["status"] == "refused" and refused["issued_permit"] is None
    assert "许决〔2024〕" in refused["decision_number"]
    assert not Permit.objects.exists()


def test_renewal_replaces_change_and_extension_keep_the_number(world):
    permit = issued_permit(world)
    officer, leader = client_for(world["officer"]), client_for(world["leader"])
    change = receive(officer, world["enterprise"], kind="change", permit=permit.pk,
                     received_on=D(2024, 6, 3), change_note="增加使用品种：液氨",
                     scope="使用：液氯 200吨/年；液氨 50吨/年")
    url = f"{API}/permit-applications/{change['id']}"
    post(officer, f"{url}/acceptance", {"accepted_on": D(2024, 6, 3)})
    changed = post(leader, f"{url}/decision", {"decided_on": D(2024, 6, 12), "approve": True})
    assert changed.json()["issued_permit"] == permit.number
    permit.refresh_from_db()
    assert "液氨" in permit.scope and permit.valid_until == D(2027, 3, 20)

    renew = receive(officer, world["enterprise"], kind="renew", permit=permit.pk,
                    received_on=D(2024, 7, 1))
    url = f"{API}/permit-applications/{renew['id']}"
    post(officer, f"{url}/acceptance", {"accepted_on": D(2024, 7, 1)})
    post(officer, f"{url}/verifications", {
        "verified_on": D(2024, 7, 5), "verifiers": [world["officer"].pk, world["officer2"].pk],
        "findings": "符合", "result": "passed"})
    renewed = post(leader, f"{url}/decision", {"decided_on": D(2024, 7, 10), "approve": True})
    new = Permit.objects.get(number=renewed.json()["issued_permit"])
    permit.refresh_from_db()
    assert permit.status == "superseded" and new.previous == permit
    assert permit not in public_permits() and new in public_permits()


def decided_case(enterprise, agency, user, status: str = "decided") -> PenaltyCase:
    """A penalty case already at the decision (the cases app owns how it got there)."""
    return PenaltyCase.objects.create(
        agency=agency, enterprise=enterprise, jurisdiction=enterprise.jurisdiction,
        source="inspection", status=status, facts="储存设施不符合许可条件",
        discovered_on=D(2024, 4, 1), created_by=user,
        jurisdiction_path=enterprise.jurisdiction.path)


def test_suspension_and_revocation_rest_on_a_decided_penalty_case(world, agencies):
    permit = issued_permit(world)
    leader = world["leader"]
    web = Client()
    web.force_login(leader)
    lead = decided_case(world["enterprise"], agencies["nanhu"], leader, status="lead")
    url = f"/licensing/permits/{permit.pk}/suspend/"
    body = {"case": lead.pk, "decided_on": "2024-05-06", "until": "2024-08-06",
            "reason": "暂扣三个月"}
    page = web.post(url, body, follow=True)
    assert "尚未作出行政处罚决定" in page.content.decode()
    permit.refresh_from_db()
    assert permit.status == "valid"

    case = decided_case(world["enterprise"], agencies["nanhu"], leader)
    page = web.post(url, {**body, "case": case.pk}, follow=True)
    assert page.status_code == 200
    permit.refresh_from_db()
    assert (permit.status, permit.suspended_until) == ("suspended", D(2024, 8, 6))
    assert permit.actions.get().case == case
    assert "暂扣" in page.content.decode()

    other_case = decided_case(world["other"], agencies["xiuzhou"], leader)
    revoke = post(client_for(leader), f"{API}/permits/{permit.pk}/revocation", {
        "case": other_case.pk, "decided_on": D(2024, 6, 1), "reason": "吊销"})
    assert revoke.status_code == 422  # not visible to a 南湖 leader, or not the holder's
    revoked = post(client_for(leader), f"{API}/permits/{permit.pk}/revocation", {
        "case": case.pk, "decided_on": D(2024, 6, 1), "reason": "暂扣期间拒不整改"})
    assert revoked.json()["status"] == "revoked"
    assert Event.objects.filter(action="licensing.permit.revoked").count() == 1


def test_expiry_reminders_list_permits_due_within_n_days(world):
    permit = issued_permit(world)
    owner = client_for(world["owner"])
    days = (permit.valid_until - datetime.date.today()).days
    assert owner.get(f"{API}/permits", {"expiring_within": days}).json()["count"] == 1
    assert owner.get(f"{API}/permits", {"expiring_within": max(days - 1, 0)}).json()["count"] == 0


def test_pages_and_the_ledger(world):
    permit = issued_permit(world)
    app = PermitApplication.objects.get(issued_permit=permit)
    web = Client()
    web.force_login(world["officer"])
    listing = web.get("/licensing/permits/applications/", {"decided_year": 2024,
                                                           "permit_type": "production,use"})
    assert listing.status_code == 200 and app.enterprise.name in listing.content.decode()
    detail = web.get(f"/licensing/permits/applications/{app.pk}/").content.decode()
    assert "作出决定期限" in detail and "第四十二条" in detail
    assert web.get(f"/licensing/permits/{permit.pk}/").status_code == 200
    ledger = web.get("/licensing/permits/ledger.xlsx")
    sheet = load_workbook(io.BytesIO(ledger.content)).active
    assert sheet.cell(row=2, column=1).value == permit.number
    stranger = Client()
    stranger.force_login(world["xiuzhou"])
    assert stranger.get(f"/licensing/permits/{permit.pk}/").status_code == 404
    assert stranger.get(f"/licensing/permits/applications/{app.pk}/").status_code == 404

    # Receipt and acceptance through the page forms.
    new = web.post("/licensing/permits/applications/new/", {
        "uscc": world["enterprise"].uscc, "permit_type": "operation", "kind": "issue",
        "received_on": "2024-09-27", "scope": "批发：甲苯"}, follow=True)
    created = PermitApplication.objects.filter(permit_type="operation").get()
    assert "2024-10-10" in new.content.decode()
    web.post(f"/licensing/permits/applications/{created.pk}/accept/", {
        "accepted_on": "2024-09-30", "materials": all_codes("operation", "issue")})
    created.refresh_from_db()
    assert created.status == "accepted" and created.decision_due == D(2024, 11, 1)
