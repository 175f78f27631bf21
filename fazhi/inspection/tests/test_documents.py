"""The three inspection documents (.docx): built from records made through the
services, opened with python-docx and checked for their contents; the inspection
record's number is allocated once; downloads over HTTP are scoped (404 elsewhere)."""

from __future__ import annotations

import datetime
import importlib.util
import io
import threading
from pathlib import Path
from urllib.parse import quote

import docx
import pytest
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone

from fazhi.core.models import DocumentCounter, EnforcementCertificate, Event, Role
from fazhi.core.selectors import object_events
from fazhi.core.services.events import verify_record
from fazhi.inspection import documents
from fazhi.inspection.models import ChecklistItem, Inspection, InspectionCategory
from fazhi.inspection.services import (
    RECORD_NUMBERED,
    checklist_load,
    finding_add,
    hazard_register,
    inspection_create,
    inspection_finish,
    inspection_record_number,
    inspection_record_results,
    rectification_report,
    reinspection_record,
)
from fazhi.inspection.tests.test_services import certify

pytestmark = pytest.mark.django_db

DAY = datetime.date(2024, 5, 6)
DEADLINE = datetime.date(2024, 6, 5)
SCRIPT = Path(__file__).resolve().parents[3] / "scripts" / "make_inspection_docx_templates.py"


def text_of(data: bytes) -> str:
    """Every paragraph of the document, table cells included, one per line."""
    document = docx.Document(io.BytesIO(data))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(lines)


def last_paragraphs(data: bytes, n: int = 2) -> list[str]:
    return [p.text for p in docx.Document(io.BytesIO(data)).paragraphs[-n:]]


def table_rows(data: bytes) -> list[list[str]]:
    document = docx.Document(io.BytesIO(data))
    return [[cell.text for cell in row.cells] for t in document.tables for row in t.rows]


@pytest.fixture
def officers(make_user):
    return [certify(make_user(Role.OFFICER, full_name=name)) for name in ("张三", "李四", "王五")]


@pytest.fixture
def enterprise(make_enterprise, jurisdictions):
    return make_enterprise(jurisdictions["nanhu_town"], name="嘉兴市南湖精细化工有限公司",
                           address="嘉兴市南湖区解放街道化工路8号")


@pytest.fixture
def items(db):
    checklist_load(actor=None)
    general = ChecklistItem.objects.create(
        code="GEN-01", standard=ChecklistItem.Standard.GENERAL, number=1,
        text="安全生产责任制落实情况")
    return {"major": ChecklistItem.objects.get(code="HC2017-02"), "general": general}


def _inspection(officers, enterprise, items, *, finish=True, **kw):
    values = {"actor": officers[0], "enterprise": enterprise, "date": DAY,
              "place": "甲类生产车间及罐区", "category": InspectionCategory.JOINT,
              "officers": officers[:2], "joint_departments": ["市场监督管理局"]}
    values.update(kw)
    inspection = inspection_create(**values)
    inspection_record_results(actor=officers[0], inspection=inspection, results=[
        (items["major"], "finding", "两名焊工无证"),
        (items["general"], "ok", ""),
    ])
    major = finding_add(actor=officers[0], inspection=inspection, item=items["major"],
                        description="两名电焊作业人员未取得特种作业操作证上岗作业")
    finding_add(actor=officers[0], inspection=inspection, description="消防通道\x0c堆放杂物 A&B<C>")
    if finish:
        inspection = inspection_finish(actor=officers[0], inspection=inspection,
                                       signed_by="赵六")
    inspection.major_finding = major
    return inspection


@pytest.fixture
def inspection(officers, enterprise, items):
    return _inspection(officers, enterprise, items)


@pytest.fixture
def hazard(officers, inspection):
    return hazard_register(actor=officers[0], finding=inspection.major_finding, level="major",
                           deadline=DEADLINE, requirements="立即停止无证人员作业，组织培训取证")


# --- 现场检查记录 ---------------------------------------------------------------------------

def test_inspection_record_holds_the_record(officers, inspection, hazard):
    data = documents.inspection_record_docx(actor=officers[0], inspection=inspection)
    text = text_of(data)
    enterprise = inspection.enterprise
    for expected in (
        "嘉兴市南湖区应急管理局", "现场检查记录", "南应急检记〔2024〕1号",
        enterprise.name, enterprise.uscc, enterprise.address, "甲类生产车间及罐区",
        "2024年5月6日", "联合检查", "现场检查", "市场监督管理局",
        "两名电焊作业人员未取得特种作业操作证上岗作业", "特种作业人员未持证上岗",
        # XML-special characters kept; a form feed (a page break to docxtpl) dropped.
        "重大事故隐患", hazard.orders.get().number, "消防通道堆放杂物 A&B<C>",
        "被检查单位签字人：赵六",
    ):
        assert expected in text, expected
    rows = table_rows(data)
    for officer in officers[:2]:
        assert [officer.full_name, officer.certificates.get().number, "浙江省人民政府"] in rows
    assert officers[2].full_name not in text
    assert ["1", "特种作业人员未持证上岗", "发现问题", "两名焊工无证"] in rows
    assert ["2", "安全生产责任制落实情况", "符合", ""] in rows


def test_the_record_number_is_allocated_once_and_recorded(officers, inspection):
    first = documents.inspection_record_docx(actor=officers[0], inspection=inspection)
    again = documents.inspection_record_docx(actor=officers[1], inspection=inspection)
    assert "南应急检记〔2024〕1号" in text_of(first)
    assert "南应急检记〔2024〕1号" in text_of(again)
    counter = DocumentCounter.objects.get(doc_type="inspection_record", year=2024)
    assert counter.last_number == 1
    numbered = object_events(inspection).filter(action=RECORD_NUMBERED)
    assert [e.payload for e in numbered] == [{"number": "南应急检记〔2024〕1号"}]
    assert numbered.get().actor == officers[0]
    assert verify_record() == []


def test_a_draft_prints_unnumbered_and_allocates_nothing(officers, enterprise, items):
    draft = _inspection(officers, enterprise, items, finish=False)
    events = Event.objects.count()
    text = text_of(documents.inspection_record_docx(actor=officers[0], inspection=draft))
    assert "草稿，未编号" in text and "检记" not in text
    assert "检查记录尚未完成" in text
    assert Event.objects.count() == events
    assert not DocumentCounter.objects.filter(doc_type="inspection_record").exists()


def test_record_shows_the_certificate_valid_that_day_and_a_refusal(
        make_user, officers, enterprise, items):
    # An expired certificate and one revoked after the inspection: the latter was valid.
    officer = make_user(Role.OFFICER, full_name="钱七")
    EnforcementCertificate.objects.create(holder=officer, number="ZJOLD0001",
                                          valid_from=datetime.date(2019, 1, 1),
                                          valid_to=datetime.date(2023, 12, 31))
    current = EnforcementCertificate.objects.create(
        holder=officer, number="ZJNEW0001", valid_from=datetime.date(2024, 1, 1),
        valid_to=datetime.date(2028, 12, 31))
    inspection = inspection_create(
        actor=officers[0], enterprise=enterprise, date=DAY, place="仓库",
        category=InspectionCategory.GENERAL, officers=[officers[0], officer],
        non_site=True, non_site_source="video")
    inspection = inspection_finish(actor=officers[0], inspection=inspection,
                                   refusal_reason="负责人拒绝签字")
    current.revoked_at = timezone.now()
    current.save(update_fields=["revoked_at"])
    text = text_of(documents.inspection_record_docx(actor=officers[0], inspection=inspection))
    assert "ZJNEW0001" in text and "ZJOLD0001" not in text
    assert "非现场执法（证据来源：视频监控）" in text
    assert "被检查单位拒绝签字。情况：负责人拒绝签字" in text
    assert "未发现问题" in text and "未逐项记录检查事项" in text


# --- 责令限期整改指令书 -----------------------------------------------------------------------

def test_order_holds_hazard_basis_deadline_and_rights(hazard):
    order = hazard.orders.get()
    data = documents.order_docx(order)
    text = text_of(data)
    for expected in (
        "嘉兴市南湖区应急管理局", "责令限期整改指令书", "南应急责改〔2024〕1号",
        f"{hazard.enterprise.name}：", hazard.enterprise.uscc,
        "本机关于2024年5月6日对你单位进行联合检查时",
        "两名电焊作业人员未取得特种作业操作证上岗作业（重大事故隐患；判定依据：",
        "特种作业人员未持证上岗",
        "依据《中华人民共和国安全生产法》第六十五条第一款的规定",
        "于2024年6月5日前整改完毕", "整改要求：立即停止无证人员作业，组织培训取证",
        "六十日内依法申请行政复议", "六个月内依法向人民法院提起行政诉讼",
        "《中华人民共和国行政复议法》第二十条第一款",
        "《中华人民共和国行政诉讼法》第四十六条第一款",
        "嘉兴市南湖区应急管理局（印章）",
    ):
        assert expected in text, expected
    assert last_paragraphs(data) == ["嘉兴市南湖区应急管理局（印章）", "2024年5月6日"]


def test_remedies_follow_the_law_in_force():
    assert "第九条第一款" in documents.remedies_sentence(datetime.date(2023, 12, 31))
    assert "第二十条第一款" in documents.remedies_sentence(datetime.date(2024, 1, 1))
    assert "第六十五条" not in documents.order_basis(datetime.date(2021, 8, 31))


# --- 整改复查意见书 and the follow-up order ------------------------------------------------------

def test_failed_reinspection_opinion_and_the_new_order(officers, hazard):
    rectification_report(actor=officers[0], hazard=hazard, report_date=datetime.date(2024, 6, 1),
                         text="已安排两人参加培训")
    failed = reinspection_record(
        actor=officers[0], hazard=hazard, date=datetime.date(2024, 6, 10),
        officers=[officers[1], officers[2]], passed=False,
        opinion="两人尚未取得操作证\n现场仍有无证人员作业",
        new_deadline=datetime.date(2024, 7, 10), new_requirements="取证前不得安排其上岗")
    first, second = hazard.orders.order_by("id")
    text = text_of(documents.reinspection_docx(failed))
    for expected in (
        "整改复查意见书", "南应急复查〔2024〕1号",
        "本机关于2024年5月6日作出《责令限期整改指令书》（南应急责改〔2024〕1号）",
        "于2024年6月5日前", "你单位于2024年6月1日报告整改情况：已安排两人参加培训",
        "本机关于2024年6月10日对你单位的整改情况进行了复查",
        "两人尚未取得操作证\n现场仍有无证人员作业",  # a line break inside the paragraph
        "整改不合格", "现重新责令你单位于2024年7月10日前整改完毕",
        f"（《责令限期整改指令书》{second.number}）",
    ):
        assert expected in text, expected
    rows = table_rows(documents.reinspection_docx(failed))
    for officer in officers[1:]:
        assert [officer.full_name, officer.certificates.get().number, "浙江省人民政府"] in rows
    assert officers[0].full_name not in text
    order_text = text_of(documents.order_docx(second))
    assert second.number == "南应急责改〔2024〕2号"
    assert ("本机关于2024年6月10日对你单位《责令限期整改指令书》（南应急责改〔2024〕1号）"
            in order_text)
    assert "于2024年7月10日前整改完毕" in order_text
    assert "整改要求：取证前不得安排其上岗" in order_text
    assert first.number in order_text


def test_passed_reinspection_opinion(officers, hazard):
    passed = reinspection_record(
        actor=officers[0], hazard=hazard, date=datetime.date(2024, 6, 12),
        officers=officers[:2], passed=True, opinion="两人已取证，整改到位")
    data = documents.reinspection_docx(passed)
    text = text_of(data)
    assert "南应急复查〔2024〕1号" in text
    assert "你单位未报告整改情况。" in text
    assert "两人已取证，整改到位" in text
    assert "整改合格，该事故隐患予以销号。" in text
    assert "重新责令" not in text
    assert last_paragraphs(data) == ["嘉兴市南湖区应急管理局（印章）", "2024年6月12日"]


# --- downloads over HTTP ----------------------------------------------------------------------

def _urls(inspection, hazard, reinspection):
    # Mounted by fazhi/inspection/urls.py at the paths of the plan.
    assert (reverse("inspection:inspection_record_docx", args=[inspection.pk])
            == f"/inspection/inspections/{inspection.pk}/record.docx")
    return {
        "record": reverse("inspection:inspection_record_docx", args=[inspection.pk]),
        "order": reverse("inspection:order_docx", args=[hazard.orders.get().pk]),
        "opinion": reverse("inspection:reinspection_docx", args=[reinspection.pk]),
    }


@pytest.fixture
def reinspection(officers, hazard):
    return reinspection_record(actor=officers[0], hazard=hazard, date=datetime.date(2024, 6, 12),
                               officers=officers[:2], passed=True, opinion="整改到位")


def test_downloads_are_docx_with_chinese_file_names(client, officers, inspection, hazard,
                                                    reinspection):
    client.force_login(officers[0])
    urls = _urls(inspection, hazard, reinspection)
    numbers = {"record": "南应急检记〔2024〕1号", "order": "南应急责改〔2024〕1号",
               "opinion": "南应急复查〔2024〕1号"}
    titles = {"record": "现场检查记录", "order": "责令限期整改指令书", "opinion": "整改复查意见书"}
    for key, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200, key
        assert response["Content-Type"] == documents.DOCX_CONTENT_TYPE
        disposition = response["Content-Disposition"]
        assert disposition.startswith('attachment; filename="')
        filename = f"{titles[key]}{numbers[key]}.docx"
        assert f"filename*=UTF-8''{quote(filename, safe='')}" in disposition
        assert numbers[key] in text_of(response.content)
    assert client.post(urls["order"]).status_code == 405


def test_downloads_are_scoped(client, make_user, agencies, make_enterprise, officers,
                              inspection, hazard, reinspection):
    urls = _urls(inspection, hazard, reinspection)
    other_county = certify(make_user(Role.OFFICER, agency=agencies["xiuzhou"]))
    client.force_login(other_county)
    assert [client.get(url).status_code for url in urls.values()] == [404, 404, 404]
    assert not DocumentCounter.objects.filter(doc_type="inspection_record").exists()
    client.force_login(make_user(Role.ENTERPRISE))  # another enterprise's user
    assert [client.get(url).status_code for url in urls.values()] == [404, 404, 404]
    client.force_login(make_user(Role.ENTERPRISE, enterprise=inspection.enterprise))
    assert [client.get(url).status_code for url in urls.values()] == [200, 200, 200]
    client.force_login(make_user(Role.LEADER, agency=agencies["city"]))
    assert [client.get(url).status_code for url in urls.values()] == [200, 200, 200]
    client.logout()
    response = client.get(urls["record"])
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert client.get(reverse("inspection:order_docx", args=[999999])).status_code == 302


def test_unknown_objects_answer_404(client, officers, db):
    client.force_login(officers[0])
    for name in ("inspection_record_docx", "order_docx", "reinspection_docx"):
        assert client.get(reverse(f"inspection:{name}", args=[999999])).status_code == 404


# --- the templates --------------------------------------------------------------------------

def test_committed_templates_match_the_script():
    spec = importlib.util.spec_from_file_location("make_inspection_docx_templates", SCRIPT)
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    for name, build in script.TEMPLATES.items():
        committed = (documents.TEMPLATE_DIR / name).read_bytes()
        assert text_of(script.docx_bytes(build)) == text_of(committed), name


# --- concurrency (PostgreSQL) ---------------------------------------------------------------

@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_first_downloads_share_one_number(officers, inspection):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    threads_count = 6
    numbers: list[str] = []
    errors: list[BaseException] = []
    start = threading.Barrier(threads_count)

    def worker() -> None:
        try:
            start.wait()
            row = Inspection.objects.get(pk=inspection.pk)
            numbers.append(inspection_record_number(actor=officers[0],
                                                              inspection=row))
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert numbers == ["南应急检记〔2024〕1号"] * threads_count
    assert DocumentCounter.objects.get(doc_type="inspection_record").last_number == 1
    assert object_events(inspection).filter(action=RECORD_NUMBERED).count() == 1
