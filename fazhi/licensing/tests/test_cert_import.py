"""Issuing certificates from exam results over HTTP: the template, a good file issued in
a background job, a file with one bad row importing nothing and naming the row."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import Workbook, load_workbook

from fazhi.core.models import Job, Role
from fazhi.core.tests.factories import make_id_number
from fazhi.licensing.imports_certificates import HEADERS, SHEET_TITLE
from fazhi.licensing.models_certificates import Certificate, CertificateImport
from fazhi.licensing.tests.test_cert_helpers import (  # noqa: F401 - fixtures
    _issuer,
    _signing_key,
    login,
)

URL = "/licensing/certificates/import/"


def workbook(rows: list[list]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET_TITLE
    ws.append(list(HEADERS))
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def row(n: int, **kw) -> list:
    values = {"姓名": f"考生{n}", "身份证号": make_id_number(n), "证书类别": "特种作业操作证",
              "作业类别": "电工作业", "操作项目/行业类别": "低压电工作业", "属地区划代码": "330402",
              "用人单位统一社会信用代码": "", "用人单位名称": "", "考试日期": "2024-03-15",
              "理论成绩": 88, "实操成绩": 90, "发证日期": "2024-03-28"}
    values.update(kw)
    return [values[h] for h in HEADERS]


def upload(client: Client, data: bytes, name: str = "成绩.xlsx"):
    return client.post(URL, {"file": SimpleUploadedFile(name, data)})


@pytest.mark.django_db
def test_template_download(issuer):
    response = login(Client(), issuer).get("/licensing/certificates/import/template.xlsx")
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    assert [c.value for c in wb[SHEET_TITLE][1]] == list(HEADERS)


@pytest.mark.django_db
def test_good_file_issues_every_passed_row_in_a_job(issuer, make_enterprise, jurisdictions):
    enterprise = make_enterprise(jurisdictions["xiuzhou"])
    rows = [row(1), row(2, 理论成绩=79),  # failed the exam: no certificate, no error
            row(3, 证书类别="主要负责人安全合格证", 作业类别="",
                **{"操作项目/行业类别": "危险化学品生产单位"},
                属地区划代码="", 用人单位统一社会信用代码=enterprise.uscc),
            row(4, 证书类别="安全生产管理人员", 作业类别="",
                **{"操作项目/行业类别": "危险化学品经营单位"})]
    client = login(Client(), issuer)
    response = upload(client, workbook(rows))
    assert response.status_code == 302
    source = CertificateImport.objects.get()
    assert response["Location"] == f"/licensing/certificates/import/{source.pk}/"
    assert source.job.status == "done"
    assert (source.rows, source.issued, source.failed_exam) == (4, 3, 1)
    certs = {c.holder_name: c for c in Certificate.objects.all()}
    assert set(certs) == {"考生1", "考生3", "考生4"}
    special = certs["考生1"]
    assert special.number == "T" + make_id_number(1)
    assert special.review_due == datetime.date(2027, 3, 28)
    assert special.expires_on == datetime.date(2030, 3, 28)
    assert special.signature and special.agency == issuer.agency
    principal = certs["考生3"]
    assert principal.number == "330400Z2024000001"
    assert principal.enterprise == enterprise and principal.jurisdiction_path.startswith(
        jurisdictions["xiuzhou"].path)
    assert principal.expires_on == datetime.date(2027, 3, 28) and principal.review_due is None
    assert certs["考生4"].number == "330400A2024000001"
    page = client.get(response["Location"])
    assert "发证 3 张" in page.content.decode()


@pytest.mark.django_db
def test_one_bad_row_imports_nothing_and_names_the_row(issuer):
    rows = [row(1), row(2), row(3, 身份证号="330402198001011234"), row(4, 作业类别="开叉车"),
            row(5, 属地区划代码="999999")]
    response = upload(login(Client(), issuer), workbook(rows))
    assert response.status_code == 302
    job = Job.objects.get()
    assert job.status == "failed"
    assert Certificate.objects.count() == 0
    errors = job.result["errors"]
    assert any(e.startswith("第4行「身份证号」") and "校验码" in e for e in errors)
    assert any(e.startswith("第5行「作业类别」") for e in errors)
    assert any(e.startswith("第6行「属地区划代码」") and "不存在" in e for e in errors)
    assert job.result["error_count"] == 3 and "未导入任何数据" in job.error
    page = login(Client(), issuer).get(response["Location"]).content.decode()
    assert "第4行「身份证号」" in page


@pytest.mark.django_db
def test_out_of_area_and_duplicates_are_row_errors(make_user, agencies):
    county = make_user(Role.OFFICER)  # 南湖区 bureau
    rows = [row(1, 属地区划代码="330411"), row(2), row(2)]
    upload(login(Client(), county), workbook(rows))
    errors = Job.objects.get().result["errors"]
    assert any("第2行「属地区划代码」" in e and "不在您的辖区内" in e for e in errors)
    assert any(e.startswith("第4行「操作项目/行业类别」") and "与第3行重复" in e for e in errors)
    assert Certificate.objects.count() == 0


@pytest.mark.django_db
def test_a_second_import_of_the_same_certificates_is_refused(issuer):
    client = login(Client(), issuer)
    upload(client, workbook([row(1)]))
    upload(client, workbook([row(1)]))
    assert Certificate.objects.count() == 1
    job = Job.objects.order_by("-created_at").first()
    assert job.status == "failed" and "不能重复发证" in job.result["errors"][0]


@pytest.mark.django_db
def test_whole_file_problems_and_who_may_import(issuer, make_user):
    client = login(Client(), issuer)
    bad = upload(client, b"not a workbook", "成绩.xls")
    assert bad.status_code == 400 and ".xls" in bad.content.decode()
    wb = Workbook()
    wb.active.append(["姓名", "电话"])
    buffer = io.BytesIO()
    wb.save(buffer)
    upload(client, buffer.getvalue())
    assert "表头与导入模板不一致" in Job.objects.get().error
    leader = login(Client(), make_user(Role.LEADER))
    assert leader.get(URL).status_code == 403
