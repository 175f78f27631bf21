"""The tip ledger (举报台账.xlsx) over HTTP: its rows are the tip list of the same user
with the same filters (a county user gets its county's tips only), with the dates,
deadlines, outcome and reward an officer expects; supervisors and enterprise users are
refused; the tip list page links to it with its filters. (That the informant's identity
is never in it is checked with the other confidentiality checks, test_tips.py.)"""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from fazhi.core.models import Role
from fazhi.oversight import selectors, services
from fazhi.oversight.crypto import Identity
from fazhi.oversight.ledger import HEADERS
from fazhi.oversight.models import AccidentClass, Tip, TipKind

pytestmark = pytest.mark.django_db
COLUMN = {header: i for i, header in enumerate(HEADERS)}


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def ledger_rows(user, query: str = "") -> list[tuple]:
    response = logged_in(user).get(reverse("oversight:tip_ledger_xlsx") + query)
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    assert "attachment" in response["Content-Disposition"]
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(
        values_only=True))
    assert rows[0] == HEADERS
    return rows[1:]


def codes(rows: list[tuple]) -> set[str]:
    return {row[COLUMN["查询码（编号）"]] for row in rows}


def submit(jurisdiction, subject: str, *, kind: str = TipKind.HAZARD,
           anonymous: bool = False) -> Tip:
    tip, _secret = services.tip_submit(
        actor=None, kind=kind, channel=Tip.Channel.PORTAL, subject_name=subject,
        content=f"{subject}存在隐患", jurisdiction=jurisdiction, anonymous=anonymous,
        identity=None if anonymous else Identity(name="某举报人", phone="13800001234"))
    return tip


@pytest.fixture
def tips(agencies, jurisdictions, users) -> dict[str, Tip]:
    """南湖区: a hazard tip (anonymous) waiting, a concealed-accident tip in 解放街道
    verified, substantiated and rewarded. 秀洲区: one hazard tip."""
    officer, leader = users[Role.OFFICER], users[Role.LEADER]
    waiting = submit(jurisdictions["nanhu"], "南湖某五金厂", anonymous=True)
    concealed = submit(jurisdictions["nanhu_town"], "解放某建材厂", kind=TipKind.CONCEALED)
    services.tip_accept(actor=officer, tip=concealed)
    services.tip_conclude(actor=officer, tip=concealed, outcome=Tip.Outcome.SUBSTANTIATED,
                          summary="查实瞒报", accident_class=AccidentClass.ORDINARY,
                          concealed_deaths=1)
    reward = services.tip_reward_propose(actor=officer, tip=concealed)
    services.tip_reward_decide(actor=leader, reward=reward, approve=True, reason="同意")
    other = submit(jurisdictions["xiuzhou"], "秀洲某化工厂")
    return {"waiting": waiting, "concealed": concealed, "xiuzhou": other}


def test_the_ledger_is_the_scoped_tip_list_of_its_user(tips, users, make_user, agencies):
    nanhu = users[Role.OFFICER]
    xiuzhou = make_user(Role.OFFICER, agency=agencies["xiuzhou"])
    city = make_user(Role.LEADER, agency=agencies["city"])
    for user in (nanhu, xiuzhou, city, users[Role.REVIEWER]):
        expected = set(selectors.tip_list(user=user).values_list("code", flat=True))
        assert codes(ledger_rows(user)) == expected
    # the county gets its county and its towns, never the neighbour's tip
    assert codes(ledger_rows(nanhu)) == {tips["waiting"].code, tips["concealed"].code}
    assert codes(ledger_rows(xiuzhou)) == {tips["xiuzhou"].code}
    assert len(ledger_rows(city)) == len(tips)
    # numbered in the order received
    assert [row[COLUMN["序号"]] for row in ledger_rows(city)] == list(range(1, len(tips) + 1))


def test_the_ledger_honours_the_list_filters(tips, users):
    officer = users[Role.OFFICER]
    concluded = ledger_rows(officer, f"?status={Tip.Status.CONCLUDED}")
    assert codes(concluded) == {tips["concealed"].code}
    hazard = ledger_rows(officer, f"?kind={TipKind.HAZARD}")
    assert codes(hazard) == {tips["waiting"].code}
    by_code = ledger_rows(officer, f"?q={tips['waiting'].code.lower()}")
    assert codes(by_code) == {tips["waiting"].code}
    # an unknown value is dropped, as the list page drops it
    assert len(ledger_rows(officer, "?status=bogus&kind=bogus")) == 2


def test_a_ledger_row_carries_what_an_officer_expects(tips, users, agencies):
    rows = {row[COLUMN["查询码（编号）"]]: row for row in ledger_rows(users[Role.OFFICER])}
    waiting, concealed = tips["waiting"], tips["concealed"]
    concealed.refresh_from_db()
    row = rows[concealed.code]
    assert row[COLUMN["收到日期"]].date() == concealed.received_on
    assert row[COLUMN["举报渠道"]] == "网上举报"
    assert row[COLUMN["实名/匿名"]] == "实名"
    assert row[COLUMN["属地"]] == "解放街道"
    assert row[COLUMN["承办机关"]] == concealed.agency.name
    assert row[COLUMN["举报类别"]] == concealed.get_kind_display()
    assert row[COLUMN["被举报单位或场所"]] == "解放某建材厂"
    assert "存在隐患" in row[COLUMN["举报事项摘要"]]
    assert row[COLUMN["受理期限"]].date() == concealed.accept_due
    assert row[COLUMN["受理日期"]].date() == concealed.accepted_on
    assert row[COLUMN["办结期限"]].date() == concealed.handling_due
    assert row[COLUMN["办结日期"]].date() == concealed.concluded_on
    assert row[COLUMN["办理状态"]] == "已办结" and row[COLUMN["是否超期"]] is None
    assert row[COLUMN["核查结论"]] == "举报属实"
    assert Decimal(str(row[COLUMN["奖励金额（元）"]])) == concealed.reward.amount > 0
    assert row[COLUMN["奖励状态"]] == concealed.reward.get_status_display()
    row = rows[waiting.code]
    assert row[COLUMN["实名/匿名"]] == "匿名" and row[COLUMN["办理状态"]] == "待受理"
    assert row[COLUMN["办结期限"]] is None and row[COLUMN["奖励金额（元）"]] is None


def test_an_overdue_tip_is_marked(tips, users):
    Tip.objects.filter(pk=tips["waiting"].pk).update(
        accept_due=timezone.localdate() - datetime.timedelta(days=1))
    rows = {row[COLUMN["查询码（编号）"]]: row for row in ledger_rows(users[Role.OFFICER])}
    assert rows[tips["waiting"].code][COLUMN["是否超期"]] == "是"
    assert selectors.tips_overdue(user=users[Role.OFFICER], today=timezone.localdate()) \
        .filter(pk=tips["waiting"].pk).exists()


def test_supervisors_enterprise_users_and_visitors_are_refused(tips, users):
    url = reverse("oversight:tip_ledger_xlsx")
    for role in (Role.SUPERVISOR, Role.ENTERPRISE):
        response = logged_in(users[role]).get(url)
        assert response.status_code == 403
        assert tips["waiting"].code not in response.content.decode("utf-8", "replace")
    assert Client().get(url).status_code == 302  # to the login
    assert logged_in(users[Role.OFFICER]).post(url).status_code == 405


def test_the_tip_list_links_to_the_ledger_with_its_filters(tips, users):
    page = logged_in(users[Role.OFFICER]).get(
        reverse("oversight:tip_list"), {"status": Tip.Status.RECEIVED, "page": "1"})
    body = page.content.decode()
    assert page.status_code == 200
    assert f'href="{reverse("oversight:tip_ledger_xlsx")}?status=received"' in body
