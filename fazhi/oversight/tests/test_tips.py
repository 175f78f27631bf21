"""Tips (举报) over HTTP and through the services: the portal form (tracking code and
secret shown once, tracking with them), abuse resistance (honeypot, size limit, rate
limits per address and in total; staff pages still answer), staff entry of a phone tip,
routing and deadlines, and above all confidentiality — the tipster's name, phone, ID
number and contact appear nowhere but the tip desk: not in the database row in clear,
not in event payloads, logs, other roles' pages or API answers, not in the tip ledger
(举报台账.xlsx, whoever downloads it), not on the portal."""

from __future__ import annotations

import datetime
import io
import json
import logging
import zipfile

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from fazhi.core.models import Event, Role
from fazhi.core.services.tokens import token_issue
from fazhi.core.tests.factories import make_id_number
from fazhi.oversight import ratelimit, services
from fazhi.oversight.crypto import Identity, decrypt_identity
from fazhi.oversight.models import Tip, TipKind
from fazhi.oversight.rules import tips as tip_rules

pytestmark = pytest.mark.django_db

NAME = "欧阳秘密"
PHONE = "13912345678"
ID_NUMBER = make_id_number(4242)
CONTACT = "微信 tipster-secret-wx"
SECRETS = (NAME, PHONE, ID_NUMBER, CONTACT)


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api_client(user) -> Client:
    raw, _token = token_issue(user=user)
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def portal_post(client: Client, **extra) -> object:
    data = {"kind": TipKind.HAZARD, "area": "330402", "subject_name": "嘉兴某化工有限公司",
            "place": "南湖区某路1号", "content": f"仓库超量储存危险化学品，举报人电话{PHONE}",
            "name": NAME, "phone": PHONE, "id_number": ID_NUMBER, "contact": CONTACT,
            "website": ""}
    data.update(extra)
    return client.post(reverse("public:tip_new"), data, REMOTE_ADDR=extra.pop(
        "REMOTE_ADDR", "10.0.0.1"))


def assert_no_secret(text: str, where: str) -> None:
    for secret in SECRETS:
        assert secret not in text, f"{secret!r} leaked into {where}"


@pytest.fixture
def tip(agencies):
    tip, _secret = services.tip_submit(
        actor=None, kind=TipKind.HAZARD, channel=Tip.Channel.PORTAL,
        subject_name="嘉兴某化工有限公司", content=f"仓库超量储存，联系我{PHONE}",
        jurisdiction=agencies["nanhu_town"].jurisdiction,
        identity=Identity(name=NAME, phone=PHONE, id_number=ID_NUMBER, contact=CONTACT))
    return tip


# --- the portal form and tracking --------------------------------------------------------

def test_portal_tip_gives_code_and_secret_once_and_tracking_works(agencies):
    client = Client()
    page = client.get(reverse("public:tip_new"))
    assert page.status_code == 200 and "我要举报" in page.content.decode()
    response = portal_post(client)
    assert response.status_code == 200
    tip = Tip.objects.get()
    body = response.content.decode()
    assert tip.code in body
    secret = body.split('data-testid="tip-secret">')[1].split("<")[0]
    assert services.tip_secret_matches(tip, secret)
    # routed to the county bureau of the area, acceptance due in working days
    assert tip.agency == agencies["nanhu"] and tip.status == Tip.Status.RECEIVED
    assert tip.accept_due > tip.received_on
    # tracking: right secret shows the progress, wrong one a Chinese refusal
    track = reverse("public:tip_track")
    ok = client.post(track, {"code": tip.code.lower(), "secret": secret})
    assert ok.status_code == 200 and "待受理" in ok.content.decode()
    assert_no_secret(ok.content.decode(), "the tracking page")
    bad = client.post(track, {"code": tip.code, "secret": "WRONGWRONG"})
    assert bad.status_code == 422 and "查询码或查询密码不正确" in bad.content.decode()
    assert "no-cache" in ok["Cache-Control"] or "max-age=0" in ok["Cache-Control"]


def test_the_identity_is_encrypted_at_rest_and_out_of_the_record(tip, caplog):
    # the identity columns hold only the Fernet token (the tipster's own words, `content`,
    # are kept as written and shown masked to everyone but the desk)
    row = Tip.objects.filter(pk=tip.pk).values().get()
    row.pop("content")
    assert_no_secret(json.dumps(row, default=str, ensure_ascii=False), "the tips table")
    assert decrypt_identity(tip.identity_token) == Identity(NAME, PHONE, ID_NUMBER, CONTACT)
    events = Event.objects.filter(object_type="oversight.tip")
    assert events.exists()
    assert_no_secret(json.dumps([e.payload for e in events], ensure_ascii=False), "events")
    assert_no_secret(repr(decrypt_identity(tip.identity_token)), "the identity's repr")


def test_named_tip_needs_a_name_and_phone_anonymous_keeps_nothing(agencies):
    response = portal_post(Client(), name="", phone="")
    assert response.status_code == 422 and "请填写举报人姓名" in response.content.decode()
    assert not Tip.objects.exists()
    response = portal_post(Client(), anonymous="on", REMOTE_ADDR="10.0.0.2")
    assert response.status_code == 200
    tip = Tip.objects.get()
    assert tip.anonymous and tip.identity_token == ""


def test_honeypot_drops_the_submission_silently(agencies):
    response = portal_post(Client(), website="http://spam.example")
    assert response.status_code == 200 and "感谢" in response.content.decode()
    assert not Tip.objects.exists()


def test_oversized_body_is_refused_unread(agencies):
    response = portal_post(Client(), content="很" * 12000)
    assert response.status_code == 413 and not Tip.objects.exists()


def test_rate_limits_per_address_and_a_flood_leaves_staff_pages_alone(agencies, users):
    client = Client()
    limit, _window = ratelimit.TIP_PER_ADDRESS
    for _ in range(limit):
        assert portal_post(client).status_code == 200
    blocked = portal_post(client)
    assert blocked.status_code == 429 and "频繁" in blocked.content.decode()
    assert Tip.objects.count() == limit
    # another address may still report
    assert portal_post(client, REMOTE_ADDR="10.9.9.9").status_code == 200
    # staff pages answer during the flood
    staff = logged_in(users[Role.OFFICER])
    assert staff.get(reverse("oversight:tip_list")).status_code == 200


def test_total_limit_cuts_a_distributed_flood(agencies, settings, monkeypatch):
    monkeypatch.setattr(ratelimit, "TIP_TOTAL", (3, 60))
    client = Client()
    codes = [portal_post(client, REMOTE_ADDR=f"10.1.0.{i}").status_code for i in range(5)]
    assert codes == [200, 200, 200, 429, 429]


def test_tracking_is_rate_limited(tip):
    client = Client()
    limit, _window = ratelimit.TRACK_PER_ADDRESS
    for _ in range(limit):
        client.post(reverse("public:tip_track"), {"code": tip.code, "secret": "x"})
    assert client.post(reverse("public:tip_track"),
                       {"code": tip.code, "secret": "x"}).status_code == 429


# --- staff -------------------------------------------------------------------------------

def test_staff_enter_a_phone_tip_and_handle_it(agencies, users, desk):
    client = logged_in(desk)
    response = client.post(reverse("oversight:tip_create"), {
        "kind": TipKind.HAZARD, "channel": Tip.Channel.PHONE, "area": "330402",
        "subject_name": "某五金厂", "content": "粉尘车间未设除尘", "name": NAME, "phone": PHONE,
        "id_number": "", "contact": ""})
    assert response.status_code == 200, response.content.decode()[:2000]
    tip = Tip.objects.get()
    assert tip.channel == Tip.Channel.PHONE and tip.entered_by == desk
    officer = logged_in(users[Role.OFFICER])
    officer.post(reverse("oversight:tip_action", args=[tip.pk, "accept"]), {})
    tip.refresh_from_db()
    assert tip.status == Tip.Status.ACCEPTED
    assert tip.handling_due == tip_rules.handling_due(tip.accepted_on)
    # an officer may not extend; a leader may, once, ≤ 30 days
    officer.post(reverse("oversight:tip_action", args=[tip.pk, "extend"]),
                 {"days": 30, "reason": "涉及多个部门"})
    tip.refresh_from_db()
    assert tip.extension_days == 0
    leader = logged_in(users[Role.LEADER])
    leader.post(reverse("oversight:tip_action", args=[tip.pk, "extend"]),
                {"days": 30, "reason": "涉及多个部门"})
    tip.refresh_from_db()
    assert tip.extension_days == 30
    assert tip.handling_due == tip.accepted_on + datetime.timedelta(days=90)
    actions = list(Event.objects.filter(object_type="oversight.tip", object_id=str(tip.pk))
                   .values_list("action", flat=True))
    assert actions == ["oversight.tip.received", "oversight.tip.accepted",
                       "oversight.tip.extended"]


def test_only_the_tip_desk_reads_the_identity_pages(tip, users, desk, caplog):
    caplog.set_level(logging.DEBUG)
    url = reverse("oversight:tip_detail", args=[tip.pk])
    for role in (Role.OFFICER, Role.LEADER, Role.REVIEWER, Role.ADMIN):
        page = logged_in(users[role]).get(url)
        assert page.status_code == 200
        assert_no_secret(page.content.decode(), f"the tip page of a {role}")
        assert "仅举报受理岗可查看" in page.content.decode()
        denied = logged_in(users[role]).post(reverse("oversight:tip_identity", args=[tip.pk]))
        assert denied.status_code == 403
        assert_no_secret(denied.content.decode(), "a refusal")
    # the list and the supervisor / enterprise users
    assert_no_secret(logged_in(users[Role.OFFICER]).get(
        reverse("oversight:tip_list")).content.decode(), "the tip list")
    assert logged_in(users[Role.SUPERVISOR]).get(url).status_code in (403, 404)
    assert logged_in(users[Role.ENTERPRISE]).get(url).status_code in (403, 404)
    # the desk: the page itself still shows nothing until asked; asking is recorded
    page = logged_in(desk).get(url).content.decode()
    assert NAME not in page and PHONE in page  # the desk sees the text unmasked
    shown = logged_in(desk).post(reverse("oversight:tip_identity", args=[tip.pk]))
    body = shown.content.decode()
    assert shown.status_code == 200 and all(s in body for s in SECRETS)
    assert shown["Cache-Control"] == "no-store"
    viewed = Event.objects.get(action="oversight.tip.identity_viewed")
    assert viewed.actor == desk and viewed.payload == {}
    # the tip ledger (举报台账.xlsx): the tip is in it, the identity never — not even in
    # the desk's own download, and not in any part of the file
    for user in (users[Role.OFFICER], users[Role.LEADER], desk):
        response = logged_in(user).get(reverse("oversight:tip_ledger_xlsx"))
        assert response.status_code == 200
        cells = "\n".join(str(value) for row in load_workbook(io.BytesIO(
            response.content)).active.iter_rows(values_only=True) for value in row)
        assert tip.code in cells and "139****5678" in cells  # the text, phone masked
        assert_no_secret(cells, f"the tip ledger of {user.username}")
        with zipfile.ZipFile(io.BytesIO(response.content)) as book:
            for part in book.namelist():
                assert_no_secret(book.read(part).decode("utf-8", "replace"),
                                 f"{part} of the tip ledger")
    assert_no_secret(caplog.text, "the logs")


def test_the_api_of_other_roles_never_carries_the_identity(tip, users, desk):
    for role in (Role.OFFICER, Role.LEADER, Role.REVIEWER, Role.ADMIN, Role.SUPERVISOR,
                 Role.ENTERPRISE):
        client = api_client(users[role])
        listing = client.get("/api/v1/oversight/tips")
        assert listing.status_code == 200
        assert_no_secret(listing.content.decode(), f"the tip list API of a {role}")
        detail = client.get(f"/api/v1/oversight/tips/{tip.pk}")
        assert_no_secret(detail.content.decode(), f"the tip API of a {role}")
        identity = client.get(f"/api/v1/oversight/tips/{tip.pk}/identity")
        assert identity.status_code in (403, 404)
        assert_no_secret(identity.content.decode(), "an identity refusal")
    # staff in scope get the tip with the phone masked in its text
    detail = api_client(users[Role.OFFICER]).get(f"/api/v1/oversight/tips/{tip.pk}").json()
    assert detail["code"] == tip.code and "139****5678" in detail["content"]
    assert api_client(users[Role.SUPERVISOR]).get(
        f"/api/v1/oversight/tips/{tip.pk}").status_code == 404
    answer = api_client(desk).get(f"/api/v1/oversight/tips/{tip.pk}/identity")
    assert answer.status_code == 200 and answer.json()["id_number"] == ID_NUMBER


def test_another_county_does_not_see_the_tip(tip, make_user, agencies):
    other = make_user(Role.OFFICER, agency=agencies["xiuzhou"])
    assert logged_in(other).get(reverse("oversight:tip_detail", args=[tip.pk])).status_code \
        == 404
    assert api_client(other).get(f"/api/v1/oversight/tips/{tip.pk}").status_code == 404
