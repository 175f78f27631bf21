"""The enterprise pages through the Django test client: list (search, filters,
pagination, htmx partial), detail (ID masking per role, history, 404 outside scope),
import and template download."""

from __future__ import annotations

import io
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from fazhi.core.models import Role
from fazhi.core.tests.factories import make_id_number, make_uscc
from fazhi.subjects.imports import HEADERS
from fazhi.subjects.models import Enterprise, ResponsiblePerson, RiskLevel, SupervisionCategory
from fazhi.subjects.rules.masking import mask_id_number
from fazhi.subjects.services import enterprise_update, person_set

pytestmark = pytest.mark.django_db

LIST = reverse("subjects:enterprise_list")
IMPORT = reverse("subjects:enterprise_import")
TEMPLATE = reverse("subjects:enterprise_template")


def detail(pk: int) -> str:
    return reverse("subjects:enterprise_detail", kwargs={"pk": pk})


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def count(html: str) -> int:
    match = re.search(r'data-testid="enterprise-count">(\d+)<', html)
    assert match, "count missing"
    return int(match.group(1))


def names(html: str) -> list[str]:
    return re.findall(r'<tr data-testid="enterprise-row">\s*<td[^>]*><a href="[^"]+">([^<]+)</a>',
                      html)


@pytest.fixture
def world(users, jurisdictions, parks, make_enterprise):
    """Three 南湖区 enterprises (one in a town, one in a park) and one in 秀洲区."""
    return {
        "alpha": make_enterprise(jurisdictions["nanhu"], name="甲化工有限公司",
                                 address="南湖区亚太路8号", risk_level=RiskLevel.MAJOR),
        "beta": make_enterprise(jurisdictions["nanhu_town"], name="乙纺织有限公司",
                                supervision_category=SupervisionCategory.INDUSTRY_TRADE,
                                risk_level=RiskLevel.LOW),
        "gamma": make_enterprise(jurisdictions["nanhu_town"], name="丙新材料有限公司",
                                 park=parks["nanhu"]),
        "xiuzhou": make_enterprise(jurisdictions["xiuzhou"], name="秀洲丁化工有限公司"),
    }


# --- access --------------------------------------------------------------------------------

@pytest.mark.parametrize("url", [LIST, IMPORT, TEMPLATE, "/enterprises/1/"])
def test_pages_require_login(client, url):
    response = client.get(url)
    assert response.status_code == 302 and "/login/" in response["Location"]


# --- list ----------------------------------------------------------------------------------

def test_officer_lists_own_jurisdiction_only(users, world):
    html = client_for(users[Role.OFFICER]).get(LIST).content.decode()
    shown = set(names(html))
    own_user_enterprise = users[Role.ENTERPRISE].enterprise.name  # also in 南湖区
    assert shown == {"甲化工有限公司", "乙纺织有限公司", "丙新材料有限公司", own_user_enterprise}
    assert count(html) == len(shown)


def test_city_officer_sees_both_districts(make_user, agencies, world):
    html = client_for(make_user(Role.OFFICER, agency=agencies["city"])).get(LIST).content.decode()
    assert "秀洲丁化工有限公司" in names(html) and "甲化工有限公司" in names(html)


@pytest.mark.parametrize("query, expected", [
    ({"q": "纺织"}, {"乙纺织有限公司"}),
    ({"q": "亚太路"}, {"甲化工有限公司"}),
    ({"risk_level": "major"}, {"甲化工有限公司"}),
    ({"category": "industry_trade"}, {"乙纺织有限公司"}),
    ({"jurisdiction": "330402001"}, {"乙纺织有限公司", "丙新材料有限公司"}),
    ({"q": "有限公司", "jurisdiction": "330402001", "risk_level": "low"}, {"乙纺织有限公司"}),
])
def test_search_and_filters(users, world, query, expected):
    html = client_for(users[Role.OFFICER]).get(LIST, query).content.decode()
    assert set(names(html)) == expected
    assert count(html) == len(expected)


def test_search_by_uscc_finds_exactly_that_enterprise(users, world):
    response = client_for(users[Role.OFFICER]).get(LIST, {"q": world["beta"].uscc.lower()})
    assert names(response.content.decode()) == ["乙纺织有限公司"]


def test_park_filter(users, world, parks):
    html = client_for(users[Role.OFFICER]).get(LIST, {"park": parks["nanhu"].pk}).content.decode()
    assert names(html) == ["丙新材料有限公司"]


def test_filter_outside_scope_is_ignored_not_widened(users, world):
    # 秀洲区 is not a choice for a 南湖区 officer: the filter is dropped, the scope stays.
    html = client_for(users[Role.OFFICER]).get(LIST, {"jurisdiction": "330411"}).content.decode()
    assert "秀洲丁化工有限公司" not in names(html)
    assert "甲化工有限公司" in names(html)


def test_pagination_keeps_the_filters(users, make_enterprise, jurisdictions):
    for n in range(45):
        make_enterprise(jurisdictions["nanhu"], name=f"分页测试公司{n:02d}")
    client = client_for(users[Role.OFFICER])
    first = client.get(LIST, {"q": "分页测试"}).content.decode()
    assert count(first) == 45
    assert len(names(first)) == 20
    next_link = re.search(r'rel="next" href="([^"]+)"', first).group(1).replace("&amp;", "&")
    params = parse_qs(urlsplit(next_link).query)
    assert params == {"q": ["分页测试"], "page": ["2"]}
    third = client.get(LIST, {"q": "分页测试", "page": 3}).content.decode()
    assert len(names(third)) == 5
    assert set(names(first)).isdisjoint(names(third))


def test_htmx_request_gets_only_the_table(users, world):
    client = client_for(users[Role.OFFICER])
    response = client.get(LIST, {"q": "纺织"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<html" not in html and "<form" not in html
    assert names(html) == ["乙纺织有限公司"]
    assert "HX-Request" in response["Vary"]


def test_list_query_count_does_not_grow_with_rows(users, make_enterprise, jurisdictions, parks):
    client = client_for(users[Role.OFFICER])

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(LIST).status_code == 200
        return len(ctx.captured_queries)

    make_enterprise(jurisdictions["nanhu"], park=parks["nanhu"])
    few = queries()
    for _ in range(19):
        make_enterprise(jurisdictions["nanhu_town"], park=parks["nanhu"])
    assert queries() == few  # jurisdiction and park come in the same query


def test_enterprise_user_sees_only_its_own(users, world):
    own = users[Role.ENTERPRISE].enterprise
    client = client_for(users[Role.ENTERPRISE])
    html = client.get(LIST).content.decode()
    assert names(html) == [own.name]
    assert count(html) == 1
    assert client.get(detail(world["alpha"].pk)).status_code == 404
    assert client.get(detail(own.pk)).status_code == 200


# --- detail --------------------------------------------------------------------------------

@pytest.fixture
def with_principal(users, world):
    enterprise = world["alpha"]
    person_set(actor=users[Role.OFFICER], enterprise=enterprise, kind="principal",
               name="张建国", id_number=make_id_number(77))
    return enterprise


@pytest.mark.parametrize("role, whole", [
    (Role.OFFICER, True), (Role.REVIEWER, True), (Role.ADMIN, True),
    (Role.LEADER, False), (Role.SUPERVISOR, False),
])
def test_detail_masks_id_numbers_by_role(users, with_principal, role, whole):
    number = make_id_number(77)
    html = client_for(users[role]).get(detail(with_principal.pk)).content.decode()
    assert "张建国" in html
    if whole:
        assert number in html
    else:
        assert number not in html and mask_id_number(number) in html


def test_officer_of_nanhu_gets_404_for_xiuzhou(users, world):
    response = client_for(users[Role.OFFICER]).get(detail(world["xiuzhou"].pk))
    assert response.status_code == 404
    assert "秀洲丁化工有限公司" not in response.content.decode()


def test_missing_enterprise_is_404_too(users):
    assert client_for(users[Role.OFFICER]).get(detail(999999)).status_code == 404


def test_detail_shows_fields_and_history(users, with_principal):
    enterprise_update(actor=users[Role.OFFICER], enterprise=with_principal,
                      risk_level=RiskLevel.LARGE)
    html = client_for(users[Role.LEADER]).get(detail(with_principal.pk)).content.decode()
    assert with_principal.uscc in html and "C2614" in html and "南湖区" in html
    events = re.findall(r'data-testid="event"', html)
    assert len(events) == 2  # person set, then the risk change
    assert "重大风险 → 较大风险" in html
    assert make_id_number(77) not in html  # not in the history either


# --- import --------------------------------------------------------------------------------

def _xlsx(rows: list[list]) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    ws.append(list(HEADERS))
    for values in rows:
        ws.append(values)
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    buffer.name = "企业名录.xlsx"
    return buffer


def _row(n: int, **kw) -> list:
    cells = dict(zip(HEADERS, [
        f"页面导入公司{n}", make_uscc(7000 + n), "南湖区某路1号", "330402", "C2614",
        str(SupervisionCategory.HAZCHEM_USE.label), str(RiskLevel.LOW.label), "",
        "", "", "",
    ], strict=True))
    cells.update(kw)
    return [cells[h] for h in HEADERS]


def test_import_page_for_officer_and_forbidden_for_leader(users):
    assert client_for(users[Role.OFFICER]).get(IMPORT).status_code == 200
    assert client_for(users[Role.LEADER]).get(IMPORT).status_code == 403
    assert client_for(users[Role.ENTERPRISE]).post(IMPORT, {}).status_code == 403


def test_import_good_file_shows_the_count(users):
    response = client_for(users[Role.OFFICER]).post(IMPORT, {"file": _xlsx([_row(1), _row(2)])})
    assert response.status_code == 200
    assert re.search(r'data-testid="import-created">2<', response.content.decode())
    assert Enterprise.objects.filter(name__startswith="页面导入公司").count() == 2


def test_import_bad_file_shows_each_error_and_writes_nothing(users):
    rows = [_row(1), _row(2, 属地区划代码="330411"), _row(3, 国民经济行业代码="")]
    response = client_for(users[Role.OFFICER]).post(IMPORT, {"file": _xlsx(rows)})
    assert response.status_code == 422
    html = response.content.decode()
    errors = re.findall(r'<tr data-testid="import-error"><td>(\d+)</td><td[^>]*>([^<]+)</td>', html)
    assert errors == [("3", "属地区划代码"), ("4", "国民经济行业代码")]
    assert "不在您的辖区内" in html and "必填项不能为空" in html
    assert not Enterprise.objects.filter(name__startswith="页面导入公司").exists()


def test_import_refused_file_says_why(users):
    upload = io.BytesIO(b"a,b,c")
    upload.name = "名录.csv"
    response = client_for(users[Role.OFFICER]).post(IMPORT, {"file": upload})
    assert response.status_code == 400
    assert "xlsx" in response.content.decode()


def test_template_download_is_an_xlsx_with_the_headers(users, parks):
    response = client_for(users[Role.OFFICER]).get(TEMPLATE)
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    wb = load_workbook(io.BytesIO(response.content))
    assert [c.value for c in wb.worksheets[0][1]] == list(HEADERS)
    # The park dropdown offers the parks the officer can see (南湖区), not 秀洲区's.
    options = [c.value for c in wb["选项"]["C"] if c.value]
    assert parks["nanhu"].name in options and parks["xiuzhou"].name not in options


def test_principal_imported_through_the_page_is_masked_for_a_leader(users):
    number = make_id_number(88)
    client_for(users[Role.OFFICER]).post(IMPORT, {"file": _xlsx([
        _row(1, 主要负责人="钱多多", 主要负责人身份证号=number)])})
    enterprise = Enterprise.objects.get(name="页面导入公司1")
    assert ResponsiblePerson.objects.get(enterprise=enterprise).id_number == number
    html = client_for(users[Role.LEADER]).get(detail(enterprise.pk)).content.decode()
    assert mask_id_number(number) in html and number not in html
