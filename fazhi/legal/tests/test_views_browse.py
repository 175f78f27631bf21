"""The 法律法规库 and 执法事项目录 pages through the Django test client, on a small
catalogue loaded from a YAML file written here (the shipped loader, `catalogue_load`):
who may read, search by keyword and by article, the filters, laws in force or repealed
on a date, the item page's statutory ranges, citations, benchmark and exemption list, and
a bounded number of queries for the list.

The two items are copied from the shipped 安全生产法(2021) file (第九十四条第一款,
第九十七条第（一）项); the provision texts are the statute's. Expected figures are read
from the YAML data below, never from the code under test."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.test import Client
from django.urls import reverse

from fazhi.legal import services
from fazhi.legal.models import EnforcementItem, Law, Provision
from fazhi.legal.rules.discretion import BenchmarkTier, FineRange, Tier

pytestmark = pytest.mark.django_db

LAW = {"name": "中华人民共和国安全生产法", "short_name": "安全生产法", "level": "law",
       "issuer": "全国人民代表大会常务委员会", "version": "2021",
       "promulgated": datetime.date(2021, 6, 10), "effective": datetime.date(2021, 9, 1)}


def _cite(article: int, **more: int) -> dict[str, Any]:
    return {"law": "安全生产法", "version": "2021", "article": article, **more}


ITEM_097 = {
    "code": "WSL2021-097-01",
    "name": "未按照规定设置安全生产管理机构或者配备安全生产管理人员、注册安全工程师",
    "kind": "行政处罚", "violated": [_cite(97, item=1)], "penalty": [_cite(97, item=1)],
    "parties": ["unit", "responsible_persons"], "dual_penalty": True,
    "valid_from": datetime.date(2021, 9, 1),
    "stages": [
        {"stage": "first", "provision": _cite(97), "unit": [0, 100000],
         "measures": ["order_correct_within_deadline", "fine"], "mandatory": True},
        {"stage": "overdue", "provision": _cite(97), "unit": [100000, 200000],
         "responsible_persons": [20000, 50000], "measures": ["suspend_business", "fine"],
         "mandatory": True},
    ],
}
ITEM_094 = {
    "code": "WSL2021-094-K1", "name": "生产经营单位的主要负责人未履行本法规定的安全生产管理职责",
    "kind": "行政处罚", "violated": [_cite(94, paragraph=1)], "penalty": [_cite(94, paragraph=1)],
    "parties": ["unit", "principal"], "dual_penalty": False,
    "valid_from": datetime.date(2021, 9, 1),
    "stages": [
        {"stage": "first", "provision": _cite(94, paragraph=1), "individual": [20000, 50000],
         "measures": ["order_correct_within_deadline", "fine"], "mandatory": True},
        {"stage": "overdue", "provision": _cite(94, paragraph=1), "individual": [50000, 100000],
         "measures": ["suspend_business", "fine"], "mandatory": True},
    ],
}
# 安全生产法(2021) 第九十四条第一款 and 第九十七条第（一）项.
TEXT_094_1 = ("生产经营单位的主要负责人未履行本法规定的安全生产管理职责的，责令限期改正，"
              "处二万元以上五万元以下的罚款；逾期未改正的，处五万元以上十万元以下的罚款，"
              "责令生产经营单位停产停业整顿。")
TEXT_097_1 = "（一）未按照规定设置安全生产管理机构或者配备安全生产管理人员、注册安全工程师的；"
ONLY_IN_094_TEXT = "停产停业整顿"  # in the provision's text, in neither item's name

LAWS_URL = reverse("legal:law_list")
ITEMS_URL = reverse("legal:item_list")


@pytest.fixture
def catalogue(tmp_path: Path) -> dict[str, Any]:
    path = tmp_path / "wsl.yaml"
    path.write_text(yaml.safe_dump({"law": LAW, "items": [ITEM_097, ITEM_094]},
                                   allow_unicode=True), encoding="utf-8")
    services.catalogue_load(actor=None, files=[path])
    law = Law.objects.get(name=LAW["name"], version="2021")
    Provision.objects.filter(law=law, article=94, paragraph=1, item=None).update(text=TEXT_094_1)
    Provision.objects.filter(law=law, article=97, paragraph=None, item=1).update(text=TEXT_097_1)
    # The 2014 amendment, superseded by the 2021 one on its effective day.
    old = Law.objects.create(name=LAW["name"], short_name="安全生产法", level="law",
                             issuer=LAW["issuer"], version="2014",
                             promulgated=datetime.date(2014, 8, 31),
                             effective=datetime.date(2014, 12, 1),
                             repealed=LAW["effective"])
    return {"law": law, "old": old}


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def codes(html: str) -> set[str]:
    """The item codes listed in an item-list page or partial."""
    rows = re.findall(r'data-testid="item-row">(.*?)</tr>', html, flags=re.S)
    return {m for row in rows for m in re.findall(r"/legal/items/([^/\"]+)/", row)}


def laws_listed(html: str) -> list[str]:
    rows = re.findall(r'data-testid="law-row">(.*?)</tr>', html, flags=re.S)
    return [re.sub(r"\s+", "", re.sub(r"<[^>]+>", "", row.split("</td>")[0])) for row in rows]


def yuan(amount: int) -> str:
    return f"{amount:,} 元"


# --- access -----------------------------------------------------------------------------

def test_anonymous_users_are_sent_to_login(catalogue) -> None:
    urls = [LAWS_URL, ITEMS_URL, reverse("legal:law_detail", args=[catalogue["law"].pk]),
            reverse("legal:item_detail", args=[ITEM_097["code"]])]
    for url in urls:
        response = Client().get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url


@pytest.mark.parametrize("role", ["officer", "reviewer", "leader", "admin", "enterprise",
                                  "supervisor"])
def test_every_logged_in_role_may_read(users, catalogue, role) -> None:
    client = client_for(users[role])
    for url in (LAWS_URL, ITEMS_URL, reverse("legal:law_detail", args=[catalogue["law"].pk]),
                reverse("legal:item_detail", args=[ITEM_097["code"]])):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert f'href="{LAWS_URL}"' in html and f'href="{ITEMS_URL}"' in html  # the nav


def test_unknown_item_or_law_is_404(users, catalogue) -> None:
    client = client_for(users["officer"])
    assert client.get(reverse("legal:item_detail", args=["NO-SUCH-1"])).status_code == 404
    missing = Law.objects.order_by("-pk").first().pk + 1
    assert client.get(reverse("legal:law_detail", args=[missing])).status_code == 404


# --- the item catalogue -----------------------------------------------------------------

def _items(client: Client, **params: str) -> set[str]:
    response = client.get(ITEMS_URL, {"on": "", **params})
    assert response.status_code == 200
    return codes(response.content.decode())


def test_keyword_search_looks_in_code_name_provision_text_and_law_name(users, catalogue) -> None:
    client = client_for(users["officer"])
    assert _items(client) == {ITEM_097["code"], ITEM_094["code"]}
    assert _items(client, q=ONLY_IN_094_TEXT) == {ITEM_094["code"]}
    assert _items(client, q="注册安全工程师") == {ITEM_097["code"]}
    assert _items(client, q=ITEM_097["code"].lower()) == {ITEM_097["code"]}
    assert _items(client, q="安全生产法") == {ITEM_097["code"], ITEM_094["code"]}
    assert _items(client, q="安全生产法 注册安全工程师") == {ITEM_097["code"]}  # every word
    assert _items(client, q="危险化学品") == set()


@pytest.mark.parametrize(("citation", "expected"), [
    ("安全生产法第九十七条", {ITEM_097["code"]}),
    ("《中华人民共和国安全生产法》第97条第1项", {ITEM_097["code"]}),
    ("安全生产法 第九十七条第（一）项", {ITEM_097["code"]}),
    ("第97条第1项", {ITEM_097["code"]}),
    ("第94条", {ITEM_094["code"]}),
    ("安全生产法第九十四条第一款", {ITEM_094["code"]}),
    ("安全生产法第九十七条第（二）项", set()),
    ("安全生产法第九十九条", set()),
    ("危险化学品安全管理条例第九十七条", set()),
])
def test_search_by_article(users, catalogue, citation, expected) -> None:
    assert _items(client_for(users["officer"]), q=citation) == expected


def test_filters(users, catalogue) -> None:
    client = client_for(users["officer"])
    both = {ITEM_097["code"], ITEM_094["code"]}
    assert _items(client, party="principal") == {ITEM_094["code"]}
    assert _items(client, party="responsible_persons") == {ITEM_097["code"]}
    assert _items(client, party="unit") == both
    assert _items(client, dual_penalty="yes") == {ITEM_097["code"]}
    assert _items(client, dual_penalty="no") == {ITEM_094["code"]}
    assert _items(client, kind="行政检查") == set()
    assert _items(client, kind="行政处罚") == both
    assert _items(client, law=str(catalogue["law"].pk)) == both
    assert _items(client, law=str(catalogue["old"].pk)) == set()
    assert _items(client, on="2021-08-31") == set()  # the day before valid_from
    assert _items(client, on="2021-09-01") == both


def test_items_default_to_those_in_force_today(users, catalogue) -> None:
    EnforcementItem.objects.filter(code=ITEM_094["code"]).update(
        valid_to=datetime.date(2022, 12, 31))
    client = client_for(users["officer"])
    assert codes(client.get(ITEMS_URL).content.decode()) == {ITEM_097["code"]}
    assert _items(client) == {ITEM_097["code"], ITEM_094["code"]}  # on= cleared: all


def test_a_bad_filter_is_ignored_and_said(users, catalogue) -> None:
    response = client_for(users["officer"]).get(ITEMS_URL, {"on": "", "law": "abc"})
    html = response.content.decode()
    assert codes(html) == {ITEM_097["code"], ITEM_094["code"]}
    assert "该条件已忽略" in html


def test_htmx_refresh_answers_only_the_results(users, catalogue) -> None:
    response = client_for(users["officer"]).get(ITEMS_URL, {"q": "第97条第1项"},
                                                HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html and "<form" not in html
    assert codes(html) == {ITEM_097["code"]}
    assert "HX-Request" in response["Vary"]


def test_list_pages(users, catalogue, settings) -> None:
    settings.FAZHI_PAGE_SIZE = 1
    client = client_for(users["officer"])
    first = codes(client.get(ITEMS_URL, {"on": ""}).content.decode())
    second = codes(client.get(ITEMS_URL, {"on": "", "page": "2"}).content.decode())
    assert len(first) == len(second) == 1
    assert first | second == {ITEM_097["code"], ITEM_094["code"]}


def _add_items(law: Law, count: int) -> None:
    """`count` more items on the law's provisions (the catalogue's own shape)."""
    provisions = list(Provision.objects.filter(law=law))
    for n in range(count):
        item = EnforcementItem.objects.create(code=f"TEST-{n:03d}", name=f"测试事项{n}",
                                              valid_from=datetime.date(2021, 9, 1))
        item.penalty.add(provisions[n % len(provisions)])
        item.violated.add(provisions[n % len(provisions)])


def test_list_queries_do_not_grow_with_the_items(users, catalogue,
                                                 django_assert_max_num_queries) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(users["officer"])
    client.get(ITEMS_URL)  # the session and user are cached the same on both counts
    with CaptureQueriesContext(connection) as small:
        client.get(ITEMS_URL, {"q": "安全生产法"})
    _add_items(catalogue["law"], 15)
    with django_assert_max_num_queries(len(small.captured_queries)):
        html = client.get(ITEMS_URL, {"q": "安全生产法"}).content.decode()
    assert len(codes(html)) == 17
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(LAWS_URL)


# --- the law library --------------------------------------------------------------------

def test_repealed_versions_are_hidden_on_a_date_after_repeal(users, catalogue) -> None:
    client = client_for(users["officer"])
    html = client.get(LAWS_URL, {"on": "2022-01-01"}).content.decode()
    assert laws_listed(html) == [f"{LAW['name']}（2021）"]
    html = client.get(LAWS_URL, {"on": "2022-01-01", "status": "repealed"}).content.decode()
    assert laws_listed(html) == [f"{LAW['name']}（2014）已失效"]
    # Before the 2021 amendment took effect the 2014 text was the law in force.
    html = client.get(LAWS_URL, {"on": "2021-08-31"}).content.decode()
    assert laws_listed(html) == [f"{LAW['name']}（2014）"]
    html = client.get(LAWS_URL, {"on": "2021-08-31", "status": "all"}).content.decode()
    assert set(laws_listed(html)) == {f"{LAW['name']}（2014）", f"{LAW['name']}（2021）尚未施行"}


def test_law_list_filters_and_counts(users, catalogue) -> None:
    client = client_for(users["officer"])
    html = client.get(LAWS_URL, {"status": "all"}).content.decode()
    row = re.search(r'data-testid="law-row">(.*?)</tr>', html, flags=re.S).group(1)
    assert f">{LAW['name']}<" in row and "（2021）" in row  # newest version first
    assert LAW["issuer"] in row
    provisions = Provision.objects.filter(law=catalogue["law"]).count()
    assert re.search(rf'data-testid="provision-count">{provisions}<', row)
    assert re.search(r'data-testid="item-count"><a [^>]*>2<', row)
    assert laws_listed(client.get(LAWS_URL, {"level": "administrative_regulation",
                                             "status": "all"}).content.decode()) == []
    assert laws_listed(client.get(LAWS_URL, {"q": "全国人民代表大会"}).content.decode())
    assert laws_listed(client.get(LAWS_URL, {"q": "国务院"}).content.decode()) == []


def test_law_detail_shows_provisions_with_anchors_texts_items_and_versions(
        users, catalogue) -> None:
    law, old = catalogue["law"], catalogue["old"]
    html = client_for(users["officer"]).get(
        reverse("legal:law_detail", args=[law.pk])).content.decode()
    assert 'id="a97"' in html and 'id="a94"' in html
    assert html.index('id="a94"') < html.index('id="a97"')  # article order
    assert TEXT_097_1 in html and TEXT_094_1 in html
    item_url = reverse("legal:item_detail", args=[ITEM_097["code"]])
    a97 = html[html.index('id="a97"'):]
    assert f'href="{item_url}"' in a97
    assert f'href="{reverse("legal:law_detail", args=[old.pk])}"' in html  # other version


def test_law_detail_keyword_keeps_and_highlights_matches(users, catalogue) -> None:
    url = reverse("legal:law_detail", args=[catalogue["law"].pk])
    html = client_for(users["officer"]).get(url, {"q": ONLY_IN_094_TEXT}).content.decode()
    assert f"<mark>{ONLY_IN_094_TEXT}</mark>" in html
    assert 'id="a94"' in html and 'id="a97"' not in html
    partial = client_for(users["officer"]).get(url, {"q": "<b>"}, HTTP_HX_REQUEST="true")
    assert "<html" not in partial.content.decode()
    assert "<b>" not in partial.content.decode().replace("&lt;b&gt;", "")


# --- the item page ----------------------------------------------------------------------

def test_item_detail_shows_stage_ranges_and_citations(users, catalogue) -> None:
    law = catalogue["law"]
    html = client_for(users["officer"]).get(
        reverse("legal:item_detail", args=[ITEM_097["code"]])).content.decode()
    stages = re.findall(r'data-testid="stage">(.*?)</li>', html, flags=re.S)
    assert [re.search(r'data-testid="stage-label">([^<]+)<', s).group(1) for s in stages] == [
        "首次发现", "逾期未改正"]
    first, overdue = stages
    low, high = ITEM_097["stages"][0]["unit"]
    assert low == 0 and f"{yuan(high)}以下" in first
    low, high = ITEM_097["stages"][1]["unit"]
    assert f"{yuan(low)} 至 {yuan(high)}" in overdue
    low, high = ITEM_097["stages"][1]["responsible_persons"]
    assert f"{yuan(low)} 至 {yuan(high)}" in overdue
    assert "责令停产停业整顿" in overdue and "罚款" in overdue
    assert "应当处罚" in overdue
    # Both bases cite 第九十七条第（一）项 and link to its anchor on the law's page.
    link = f'{reverse("legal:law_detail", args=[law.pk])}#a97x1'
    assert html.count(f'href="{link}"') == 2
    assert "第九十七条第（一）项" in html and TEXT_097_1 in html
    assert f'{reverse("legal:law_detail", args=[law.pk])}#a97"' in first  # stage provision
    assert "一案双罚" in html


def test_item_detail_shows_benchmarks_and_exemptions(users, catalogue) -> None:
    item = EnforcementItem.objects.get(code=ITEM_097["code"])
    # Test data, not a published benchmark: tiers within the statutory 0–100,000 元.
    services.benchmark_save(
        actor=users["admin"], item=item, name="测试用裁量基准", version="T1",
        valid_from=datetime.date(2024, 1, 1), tiers=[
            BenchmarkTier(Tier.MINOR, FineRange(Decimal(0), Decimal(30000)),
                          circumstances="测试情形甲"),
            BenchmarkTier(Tier.GENERAL, FineRange(Decimal(30001), Decimal(100000)),
                          circumstances="测试情形乙")])
    services.exemption_entry_save(
        actor=users["admin"], item=item, kind="first_violation",
        conditions="测试条件：初次违法且危害后果轻微并及时改正",
        valid_from=datetime.date(2024, 1, 1))
    html = client_for(users["officer"]).get(
        reverse("legal:item_detail", args=[item.code])).content.decode()
    benchmark = re.search(r'data-testid="benchmark">(.*?)</table>', html, flags=re.S).group(1)
    assert "测试用裁量基准" in benchmark and "T1" in benchmark and "全国" in benchmark
    tiers = re.findall(r'data-testid="tier">(.*?)</tr>', benchmark, flags=re.S)
    assert ["轻微" in tiers[0], "一般" in tiers[1]] == [True, True]
    assert f"{yuan(30000)}以下" in tiers[0] and f"{yuan(30001)} 至 {yuan(100000)}" in tiers[1]
    assert "测试情形乙" in tiers[1]
    exemption = re.search(r'data-testid="exemption">(.*?)</li>', html, flags=re.S).group(1)
    assert "首违不罚" in exemption and "测试条件" in exemption


def test_calculator_link_preselects_the_item_for_staff_only(users, catalogue) -> None:
    url = reverse("legal:item_detail", args=[ITEM_097["code"]])
    html = client_for(users["officer"]).get(url).content.decode()
    link = re.search(r'href="([^"]+)" data-testid="calculator-link"', html).group(1)
    assert link.startswith(reverse("legal:calculator"))
    page = client_for(users["officer"]).get(link.replace("&amp;", "&")).content.decode()
    assert re.search(rf'<option value="{ITEM_097["code"]}"[^>]*selected', page)
    html = client_for(users["enterprise"]).get(url).content.decode()
    assert 'data-testid="calculator-link"' not in html  # the calculator is for staff
