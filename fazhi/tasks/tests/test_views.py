"""Task pages over HTTP: the plan and its progress page (the chart's data), the owner's
home page listing overdue tasks, forms for the roles that may write, the Excel import
(all or nothing, row errors in Chinese) and its template."""

from __future__ import annotations

import datetime
import io
import json
import re

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from fazhi.tasks import imports, services
from fazhi.tasks.models import Task

pytestmark = pytest.mark.django_db
D = datetime.date


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def workbook(rows: list[list]) -> SimpleUploadedFile:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = imports.SHEET_TITLE
    ws.append(list(imports.HEADERS))
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile("tasks.xlsx", buffer.getvalue())


def test_progress_page_draws_done_and_open_per_unit_as_of_a_day(world):
    task = world.task("1", ["enforcement", "housing"])
    world.task("2", ["housing"])
    services.task_complete(actor=world.users["city_leader"], task=task,
                           completed_on=D(2024, 11, 1))
    client = login(world.users["city_officer"])
    url = f"/tasks/plans/{world.plan.pk}/progress/"
    response = client.get(url, {"day": "2024-12-31"})
    assert response.status_code == 200
    html = response.content.decode()
    data = json.loads(re.search(r'id="tasks-progress-chart-data"[^>]*>(.*?)</script>', html,
                                re.S).group(1))
    by_label = dict(zip(data["labels"], zip(data["done"], data["open"], strict=True),
                        strict=True))
    assert by_label == {"嘉兴市住房和城乡建设局": (1, 1), "市应急管理局执法支队": (1, 0)}
    assert "vendor/echarts/echarts.min.js" in html and "tasks/progress_chart.js" in html
    earlier = client.get(url, {"day": "2024-10-31"}).content.decode()
    assert 'data-testid="own-rate">0.0%' in earlier  # completed on 11-01: not yet


def test_owner_sees_overdue_tasks_on_the_home_page_others_do_not(world):
    world.task("1", ["nanhu"], due=D(2024, 6, 30))
    world.task("2", ["nanhu"], due=datetime.date.today() + datetime.timedelta(days=30))
    home = login(world.users["nanhu_officer"]).get("/").content.decode()
    assert home.count('data-testid="home-overdue-task"') == 1 and "任务1" in home
    other = login(world.users["xiuzhou_officer"]).get("/").content.decode()
    assert 'data-testid="overdue-tasks"' in other
    assert 'data-testid="home-overdue-task"' not in other
    leader = login(world.users["city_leader"]).get("/").content.decode()
    assert 'data-testid="home-overdue-task"' not in leader  # 南湖's task, not the city's


def test_forms_only_for_those_who_may_write(world):
    task = world.task("1", ["nanhu"])
    owner = login(world.users["nanhu_officer"]).get(f"/tasks/tasks/{task.pk}/").content.decode()
    assert 'data-testid="report-form"' in owner and 'data-testid="complete-form"' not in owner
    manager = login(world.users["city_leader"]).get(f"/tasks/tasks/{task.pk}/").content.decode()
    assert 'data-testid="complete-form"' in manager
    assert login(world.users["xiuzhou_officer"]).get(f"/tasks/tasks/{task.pk}/").status_code == 404


def test_owner_reports_progress_with_evidence_and_manager_confirms(world):
    task = world.task("1", ["nanhu"])
    owner = login(world.users["nanhu_officer"])
    response = owner.post(f"/tasks/tasks/{task.pk}/report/", {
        "reported_on": "2024-06-01", "text": "已完成", "claims_done": "on",
        "files": [SimpleUploadedFile("台账.pdf", b"%PDF-1.4 evidence")]})
    assert response.status_code == 302
    progress = task.progress.get()
    assert progress.claims_done and progress.evidence.get().name == "台账.pdf"
    download = owner.get(f"/tasks/evidence/{progress.evidence.get().pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    assert login(world.users["xiuzhou_officer"]).get(
        f"/tasks/evidence/{progress.evidence.get().pk}/").status_code == 404
    manager = login(world.users["city_leader"])
    manager.post(f"/tasks/tasks/{task.pk}/complete/", {"completed_on": "2024-06-03"})
    task.refresh_from_db()
    assert task.completed_on == D(2024, 6, 3) and task.confirmed_by == world.users["city_leader"]


def test_import_writes_all_rows_or_none(world):
    client = login(world.users["city_leader"])
    url = f"/tasks/plans/{world.plan.pk}/import/"
    bad = workbook([
        ["1", "排查隐患", "市应急管理局执法支队、嘉兴市住房和城乡建设局", "2025-06-30", "", ""],
        ["2", "建立台账", "不存在的局", "2025-13-01", "", ""],
        ["1", "", "市应急管理局执法支队", "2025-06-30", "", ""],
    ])
    html = client.post(url, {"file": bad}).content.decode()
    assert Task.objects.count() == 0
    assert "第3行“责任单位”：责任单位“不存在的局”不存在或不可选" in html
    assert "第3行“完成时限”：“2025-13-01”不是有效日期" in html
    assert "第4行“序号”：序号“1”与第2行重复" in html
    assert "第4行“任务内容”：必填项为空" in html
    good = workbook([
        ["1", "排查隐患", "市应急管理局执法支队、嘉兴市住房和城乡建设局", "2025-06-30", "", ""],
        ["2", "建立台账", "南湖区应急管理局", D(2025, 12, 31), "2024-05-01", "备注"],
    ])
    response = client.post(url, {"file": good})
    assert response.status_code == 302
    tasks = list(Task.objects.order_by("number"))
    assert [t.number for t in tasks] == ["1", "2"]
    assert tasks[0].owners.count() == 2 and tasks[1].assigned_on == D(2024, 5, 1)
    assert tasks[0].assigned_on == world.plan.issued_on
    again = client.post(url, {"file": workbook([["1", "x", "南湖区应急管理局", "2025-01-01",
                                                   "", ""]])}).content.decode()
    assert "序号“1”在该方案中已存在" in again
    assert login(world.users["city_officer"]).post(url, {"file": good}).status_code == 403


def test_import_refuses_a_wrong_file_and_offers_the_template(world):
    client = login(world.users["city_leader"])
    url = f"/tasks/plans/{world.plan.pk}/import/"
    html = client.post(url, {"file": SimpleUploadedFile("a.xls", b"x")}).content.decode()
    assert "不支持旧版 .xls 文件" in html
    response = client.get("/tasks/import-template.xlsx")
    assert response.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = wb[imports.SHEET_TITLE]
    assert [c.value.rstrip("*") for c in sheet[1]] == list(imports.HEADERS)
    names = [row[0].value for row in wb[imports.UNITS_SHEET].iter_rows(min_row=2)]
    assert "嘉兴市住房和城乡建设局" in names
    # The template as downloaded imports its example row as nothing at all.
    html = client.post(url, {"file": SimpleUploadedFile("t.xlsx", response.content)}
                       ).content.decode()
    assert "没有任务数据行" in html


def test_pages_answer(world):
    world.task("1", ["nanhu"], due=D(2024, 6, 30))
    client = login(world.users["city_leader"])
    for url in ("/tasks/", f"/tasks/plans/{world.plan.pk}/", "/tasks/tasks/?status=overdue",
                "/tasks/tasks/?mine=1", f"/tasks/plans/{world.sub.pk}/"):
        assert client.get(url).status_code == 200, url
    assert login(world.users["xiuzhou_officer"]).get(
        f"/tasks/plans/{world.plan.pk}/").status_code == 404
