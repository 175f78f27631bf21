"""The hazard ledger (隐患台账.xlsx): it opens in openpyxl with one row per hazard of the
user's scope and filters, a bold frozen header, set widths and real dates; the download
is for staff only and carries the Chinese file name (RFC 5987)."""

from __future__ import annotations

import datetime
import io

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory
from django.urls import reverse
from openpyxl import load_workbook

from fazhi.core.models import Role
from fazhi.inspection.ledger import HEADERS, hazard_ledger_workbook
from fazhi.inspection.models import ChecklistItem, Inspection
from fazhi.inspection.selectors import hazard_list
from fazhi.inspection.services import (
    checklist_load,
    finding_add,
    hazard_register,
    inspection_create,
    rectification_report,
    reinspection_record,
    supervision_list,
)
from fazhi.inspection.tests.test_services import certify
from fazhi.inspection.views_ledger import hazard_ledger_xlsx

pytestmark = pytest.mark.django_db

D = datetime.date
FILENAME_HEADER = "attachment; filename*=utf-8''%E9%9A%90%E6%82%A3%E5%8F%B0%E8%B4%A6.xlsx"


def _hazard(officers, enterprise, on, description, **kw):
    inspection = inspection_create(actor=officers[0], enterprise=enterprise, date=on,
                                   place="厂区", category="general", officers=officers)
    item = kw.pop("item", None)
    finding = finding_add(actor=officers[0], inspection=inspection, description=description,
                          item=item)
    return hazard_register(actor=officers[0], finding=finding, description=description, **kw)


@pytest.fixture
def world(make_user, make_enterprise, agencies, jurisdictions, users):
    """南湖: a major hazard taken through two orders to closure under county supervision,
    a general one rectified on the spot, an overdue one from 2023. 秀洲: one hazard."""
    checklist_load(actor=None)
    nanhu = [certify(make_user(Role.OFFICER)) for _ in range(2)]
    xiuzhou = [certify(make_user(Role.OFFICER, agency=agencies["xiuzhou"])) for _ in range(2)]
    firm = make_enterprise(jurisdictions["nanhu_town"], name="嘉兴解放化工有限公司")
    major = _hazard(nanhu, firm, D(2024, 5, 6), "两名焊工无证作业", level="major",
                    item=ChecklistItem.objects.get(code="HC2017-02"), deadline=D(2024, 5, 20))
    supervision_list(actor=users[Role.LEADER], hazard=major, level="county",
                     agency=agencies["nanhu"], listed_on=D(2024, 5, 7))
    rectification_report(actor=nanhu[0], hazard=major, report_date=D(2024, 5, 18), text="已培训")
    reinspection_record(actor=nanhu[0], hazard=major, date=D(2024, 5, 22), officers=nanhu,
                        passed=False, opinion="仍有一人未取证", new_deadline=D(2024, 6, 5))
    rectification_report(actor=nanhu[0], hazard=major, report_date=D(2024, 6, 1), text="已取证")
    reinspection_record(actor=nanhu[0], hazard=major, date=D(2024, 6, 3), officers=nanhu,
                        passed=True, opinion="整改合格")
    on_site = _hazard(nanhu, firm, D(2024, 8, 1), "灭火器压力不足", level="general",
                      rectified_on_site=True)
    old = _hazard(nanhu, make_enterprise(jurisdictions["nanhu"]), D(2023, 3, 1), "通道堵塞",
                  level="general", deadline=D(2023, 3, 15))
    other = _hazard(xiuzhou, make_enterprise(jurisdictions["xiuzhou_town"]), D(2024, 2, 1),
                    "配电箱未接地", level="general", deadline=D(2024, 2, 10))
    return {"nanhu": nanhu, "major": major, "on_site": on_site, "old": old, "other": other,
            "firm": firm}


def _sheet(content: bytes):
    wb = load_workbook(io.BytesIO(content))
    return wb.active


def _rows(content: bytes) -> list[dict]:
    ws = _sheet(content)
    return [dict(zip(HEADERS, row, strict=True))
            for row in ws.iter_rows(min_row=2, values_only=True)]


def _download(user, **params):
    request = RequestFactory().get("/inspection/hazards/ledger.xlsx", params)
    request.user = user
    return hazard_ledger_xlsx(request)


def test_the_ledger_has_one_row_per_hazard_of_the_scope(world):
    officer = world["nanhu"][0]
    rows = _rows(hazard_ledger_workbook(hazard_list(user=officer)))
    assert [r["隐患描述"] for r in rows] == ["通道堵塞", "两名焊工无证作业", "灭火器压力不足"]
    assert [r["序号"] for r in rows] == [1, 2, 3]
    major = rows[1]
    firm = world["firm"]
    orders = world["major"].orders.order_by("issued_on", "id")
    assert major == {
        "序号": 2, "单位名称": "嘉兴解放化工有限公司", "统一社会信用代码": firm.uscc,
        "属地": "解放街道", "发现日期": datetime.datetime(2024, 5, 6),
        "隐患等级": "重大事故隐患",
        "判定依据": "化工和危险化学品重大隐患判定标准（20项）（HC2017-02）特种作业人员未持证上岗",
        "隐患描述": "两名焊工无证作业",
        "整改指令文号": "；".join(o.number for o in orders),
        "整改期限": datetime.datetime(2024, 6, 5),
        "整改报告日期": datetime.datetime(2024, 6, 1),
        "复查日期": datetime.datetime(2024, 6, 3), "复查结论": "合格",
        "挂牌督办级别": "县级挂牌督办", "督办机关": "嘉兴市南湖区应急管理局",
        "销号日期": datetime.datetime(2024, 6, 3), "状态": "已销号", "是否逾期": "否",
    }
    assert len(orders) == 2
    on_site = rows[2]
    assert on_site["状态"] == "已销号（当场整改）" and on_site["整改指令文号"] is None
    assert on_site["销号日期"] == datetime.datetime(2024, 8, 1)
    old = rows[0]
    assert old["状态"] == "限期整改中" and old["是否逾期"] == "是"
    assert old["整改期限"] == datetime.datetime(2023, 3, 15) and old["复查日期"] is None


def test_the_workbook_layout(world):
    ws = _sheet(hazard_ledger_workbook(hazard_list(user=world["nanhu"][0])))
    assert ws.title == "隐患台账"
    assert tuple(c.value for c in ws[1]) == HEADERS
    assert all(c.font.bold for c in ws[1])
    assert ws.freeze_panes == "A2"
    assert ws.column_dimensions["B"].width == 30
    found_on = ws.cell(row=2, column=HEADERS.index("发现日期") + 1)
    assert found_on.is_date and found_on.number_format == "yyyy-mm-dd"


def test_an_empty_ledger_still_has_its_header(world, users):
    rows = _rows(hazard_ledger_workbook(hazard_list(user=users[Role.ENTERPRISE])))
    assert rows == []


def test_the_download_honours_scope_and_filters(world, make_user, agencies):
    officer = world["nanhu"][0]
    response = _download(officer)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"] == FILENAME_HEADER
    assert len(_rows(response.content)) == 3

    def described(user, **params) -> set[str]:
        return {r["隐患描述"] for r in _rows(_download(user, **params).content)}

    assert described(officer, level="major") == {"两名焊工无证作业"}
    assert described(officer, year="2023") == {"通道堵塞"}
    assert described(officer, status="closed", year="2024") == {"两名焊工无证作业",
                                                                "灭火器压力不足"}
    assert described(officer, overdue="orders") == {"通道堵塞"}
    # Invalid or blank values are dropped, as on the list page.
    assert len(described(officer, level="red", year="20x4", status="")) == 3
    city = make_user(Role.LEADER, agency=agencies["city"])
    assert described(city) == {"两名焊工无证作业", "灭火器压力不足", "通道堵塞", "配电箱未接地"}
    assert described(city, year="2024", level="general") == {"灭火器压力不足", "配电箱未接地"}


def test_only_staff_may_download(world, make_user):
    owner = make_user(Role.ENTERPRISE, enterprise=world["firm"])
    with pytest.raises(PermissionDenied):
        _download(owner)
    with pytest.raises(PermissionDenied):
        _download(make_user(Role.SUPERVISOR))
    response = _download(AnonymousUser())
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_mounted_url_serves_the_ledger(world):
    client = Client()
    client.force_login(world["nanhu"][0])
    url = reverse("inspection:hazard_ledger_xlsx")
    response = client.get(url, {"level": "general"})
    assert response.status_code == 200
    assert {r["隐患描述"] for r in _rows(response.content)} == {"灭火器压力不足", "通道堵塞"}
    assert Inspection.objects.count() == 4
