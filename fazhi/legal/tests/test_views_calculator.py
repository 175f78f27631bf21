"""The 处罚裁量计算器 page through the Django test client: who may use it, the answer
(the engine's figures, each beside its citations), bad input in Chinese, htmx partial,
and GET parameters that pre-fill and compute."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from fazhi.legal.api import AssessIn, assess_payload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("wsl_catalogue")]

URL = reverse("legal:calculator")
LAW = "《中华人民共和国安全生产法》（2021年）"

# 安全生产法(2021) 第九十七条, first stage, unit: 处十万元以下的罚款 (the statute's own range,
# not the code's): any suggestion must lie inside it.
STATUTE_MAX = Decimal(100_000)

FORM = {"item": "WSL2021-097-01", "party_type": "unit", "stage": "first", "tier": "general",
        "fine": "50000", "measures": ["order_correct_within_deadline", "fine"],
        "first_violation": "on", "facts_conclusive": "on"}


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def rows(html: str) -> dict[str, str]:
    """Each answer row's label → the row's HTML (value and citations)."""
    found = {}
    for chunk in html.split('<li class="list-group-item">')[1:]:
        label = re.search(r'<div class="small text-body-secondary">([^<]+)</div>', chunk)
        if label:
            found[label.group(1).strip()] = chunk.split("</ul>")[0]
    return found


def value(row_html: str) -> str:
    match = re.search(r'data-testid="answer-value">([^<]*)<', row_html)
    assert match, row_html
    return match.group(1).strip()


def citations(row_html: str) -> list[str]:
    """The citations listed beside one answer row, as plain text."""
    items = re.findall(r'data-testid="citation">(.*?)</li>', row_html, flags=re.S)
    return [re.sub(r"<[^>]+>", "", item).strip() for item in items]


def yuan(amount: str) -> Decimal:
    return Decimal(amount.removesuffix(" 元").replace(",", ""))


def suggested_by_engine(user: Any, **request: Any) -> Decimal:
    answer = assess_payload(AssessIn.model_validate(request), user=user)
    return Decimal(answer["recommendation"]["fine"]["unit"]["suggested"])


@pytest.mark.parametrize("role", ["officer", "reviewer", "leader", "admin"])
def test_page_renders_in_chinese_for_staff(users, role) -> None:
    response = client_for(users[role]).get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1" in html and "处罚裁量计算器" in html
    assert 'value="WSL2021-097-01"' in html  # the catalogue's items in force are offered
    assert "初次违法" in html and "事故迟报" in html  # facts as checkboxes
    assert f'href="{URL}"' in html  # the nav link
    assert 'data-testid="answer-section"' not in html  # nothing computed yet


def test_post_shows_the_engines_suggestion_beside_its_citations(users) -> None:
    officer = users["officer"]
    response = client_for(officer).post(URL, FORM)
    assert response.status_code == 200
    found = rows(response.content.decode())

    suggested = found["建议罚款数额（单位）"]
    shown = yuan(value(suggested))
    expected = suggested_by_engine(officer, item="WSL2021-097-01", party_type="unit",
                                   stage="first", tier="general",
                                   facts={"first_violation": True})
    assert shown == expected
    assert Decimal(0) <= shown <= STATUTE_MAX
    assert f"{LAW}第九十七条" in citations(suggested)  # the penalty clause, beside the figure
    assert f"{LAW}第九十七条第（一）项" in citations(found["适用的处罚依据"])
    assert "责令限期改正" in value(found["处罚种类"]) and "罚款" in value(found["处罚种类"])
    # The procedure elements carry the 行政处罚法 articles they rest on.
    assert any(c.startswith("《中华人民共和国行政处罚法》") for c in citations(found["听证权利"]))
    assert any(c.startswith("《中华人民共和国行政处罚法》") for c in citations(found["不予处罚"]))


def test_a_ticked_mitigating_fact_lowers_the_suggestion(users) -> None:
    # 行政处罚法 第三十二条: 主动消除或者减轻违法行为危害后果 → 应当从轻或者减轻.
    client = client_for(users["officer"])
    plain = rows(client.post(URL, FORM).content.decode())
    lighter = rows(client.post(URL, FORM | {"actively_eliminated_harm": "on"}).content.decode())
    assert (yuan(value(lighter["建议罚款数额（单位）"]))
            < yuan(value(plain["建议罚款数额（单位）"])))
    assert value(lighter["从轻或者减轻处罚"]) == "应当从轻或者减轻"
    assert any("第三十二条" in c for c in citations(lighter["从轻或者减轻处罚"]))


def test_free_text_citation_is_accepted(users) -> None:
    response = client_for(users["officer"]).post(
        URL, {"item_text": "安全生产法 第九十七条第（一）项", "party_type": "unit"})
    assert response.status_code == 200
    applied = rows(response.content.decode())["适用的处罚依据"]
    assert "安全生产法 第九十七条第（一）项" in value(applied)


def test_htmx_post_answers_the_partial(users) -> None:
    response = client_for(users["officer"]).post(URL, FORM, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and 'id="calculator"' in html
    assert "建议罚款数额（单位）" in html


@pytest.mark.parametrize(("data", "field", "words"), [
    ({"fine": "12.345"}, "fine", "拟罚款数额"),
    ({"fine": "五万"}, "fine", "拟罚款数额"),
    ({"item": "", "item_text": "不存在的条款"}, "item_text", "未找到"),
    ({"decided": "2026-13-01"}, "decided", "日期"),
    ({"deaths": "-1"}, "deaths", "0"),
])
def test_bad_input_shows_a_chinese_error_beside_the_field(users, data, field, words) -> None:
    client = client_for(users["officer"])
    for htmx, status in (({}, 422), ({"HTTP_HX_REQUEST": "true"}, 200)):
        response = client.post(URL, FORM | data, **htmx)
        html = response.content.decode()
        assert response.status_code == status
        assert "Traceback" not in html
        assert 'data-testid="answer-section"' not in html  # no answer from bad input
        errors = re.findall(r'data-testid="field-error">([^<]+)<', html)
        assert errors and words in errors[0]
        assert re.search(r"[\u4e00-\u9fff]", errors[0])
        widget = re.search(rf'<[^>]*id="id_{field}"[^>]*>', html)
        assert widget and "is-invalid" in widget.group(0)


def test_rule_error_without_a_field_is_shown_above_the_form(users) -> None:
    # 送达 before 决定: the deadline rules refuse it in Chinese.
    response = client_for(users["officer"]).post(
        URL, FORM | {"decided": "2026-05-06", "served": "2026-05-01"})
    html = response.content.decode()
    assert response.status_code == 422
    assert re.search(r'data-testid="form-error">\s*<div>[^<]*送达日期', html)


def test_deadlines_in_an_unscheduled_year_carry_the_calendar_badge(users) -> None:
    response = client_for(users["officer"]).post(
        URL, FORM | {"decided": "2099-03-02", "served": "2099-03-02"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "缴纳罚款" in rows(html)
    assert 'data-testid="calendar-assumption"' in html and "2099" in html


def test_get_parameters_prefill_and_compute(users) -> None:
    response = client_for(users["officer"]).get(
        URL, {"item": "WSL2021-097-01", "party_type": "unit", "tier": "general", "fine": "50000"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="50000"' in html
    assert "建议罚款数额（单位）" in rows(html)


@pytest.mark.parametrize("role", ["enterprise", "supervisor"])
def test_non_staff_are_refused(users, role) -> None:
    client = client_for(users[role])
    assert client.get(URL).status_code == 403
    assert client.post(URL, FORM).status_code == 403
    home = client.get(reverse("home")).content.decode()
    assert f'href="{URL}"' not in home  # and no nav link


def test_anonymous_is_sent_to_login() -> None:
    response = Client().get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
