"""Background jobs (fazhi.core.jobs): what the submitter sees on the page and in the API,
all-or-nothing failures with their row errors, who may follow a job, the live progress,
and (PostgreSQL) a job running in its own thread after the submitting commit."""

from __future__ import annotations

import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test import Client

from fazhi.core.jobs import JobContext, job_progress, job_submit
from fazhi.core.models import Department, Event, Job, JobStatus
from fazhi.core.tests.api_world import token_client

HERE = "fazhi.core.tests.test_jobs"


# --- targets (called by the jobs under test) ---------------------------------------


def count_to(ctx: JobContext, *, n: int) -> dict:
    ctx.set_total(n)
    for _ in range(n):
        ctx.advance()
    return {"summary": f"共处理 {n} 条", "url": "/"}


def import_rows(ctx: JobContext, *, agency_id: int, names: list[str]) -> dict:
    """Creates departments, all or nothing: any empty name fails the whole job."""
    ctx.set_total(len(names))
    errors = []
    with transaction.atomic():
        for row, name in enumerate(names, start=2):
            if not name:
                errors.append(f"第{row}行：名称不能为空")
                continue
            Department.objects.create(agency_id=agency_id, name=name)
            ctx.advance()
        if errors:
            raise ValidationError(errors)
    return {"summary": f"导入 {len(names)} 个部门"}


def broken(ctx: JobContext) -> dict:
    raise RuntimeError("secret internals: /etc/passwd")


def report_progress_midway(ctx: JobContext) -> dict:
    ctx.set_total(10)
    ctx.advance(4)
    ctx.message("正在处理第 4 条")
    live = job_progress(Job.objects.get(pk=ctx.job.pk))
    return {"seen": [live["status"], live["done"], live["total"], live["percent"],
                     live["message"]]}


# --- tests ------------------------------------------------------------------------


def _login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_finished_job_shows_its_result_on_the_page_and_in_the_record(users):
    officer = users["officer"]
    job = job_submit(actor=officer, kind="test.count", label="计数任务",
                     target=f"{HERE}:count_to", params={"n": 25})
    assert job.status == JobStatus.DONE
    assert (job.total, job.done) == (25, 25)
    page = _login(officer).get(f"/jobs/{job.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "计数任务" in html and "100%" in html and "共处理 25 条" in html
    assert "hx-trigger" not in html  # a finished job stops polling
    actions = list(Event.objects.filter(object_type="core.job", object_id=str(job.pk))
                   .order_by("seq").values_list("action", flat=True))
    assert actions == ["job.submitted", "job.finished"]


def test_failed_import_saves_nothing_and_lists_every_row_error(users, agencies):
    officer = users["officer"]
    agency = agencies["nanhu"]
    before = Department.objects.count()
    job = job_submit(actor=officer, kind="test.import", label="部门导入",
                     target=f"{HERE}:import_rows",
                     params={"agency_id": agency.pk, "names": ["甲科", "", "乙科", ""]})
    assert job.status == JobStatus.FAILED
    assert Department.objects.count() == before
    assert job.result["errors"] == ["第3行：名称不能为空", "第5行：名称不能为空"]
    html = _login(officer).get(f"/jobs/{job.pk}/").content.decode()
    assert "共 2 处错误，未导入任何数据。" in html and "第5行：名称不能为空" in html


def test_unexpected_error_is_logged_not_shown(users):
    job = job_submit(actor=users["officer"], kind="test.broken", label="出错任务",
                     target=f"{HERE}:broken")
    assert job.status == JobStatus.FAILED
    assert "/etc/passwd" not in job.error and str(job.pk) in job.error


def test_progress_is_visible_while_the_job_runs(users):
    job = job_submit(actor=users["officer"], kind="test.progress", label="进度任务",
                     target=f"{HERE}:report_progress_midway")
    assert job.result["seen"] == ["running", 4, 10, 40, "正在处理第 4 条"]


def test_only_the_submitter_and_administrators_follow_a_job(users, make_user):
    job = job_submit(actor=users["officer"], kind="test.count", label="计数任务",
                     target=f"{HERE}:count_to", params={"n": 1})
    other = make_user("officer")
    assert _login(other).get(f"/jobs/{job.pk}/").status_code == 404
    assert _login(users["admin"]).get(f"/jobs/{job.pk}/").status_code == 200
    assert Client().get(f"/jobs/{job.pk}/").status_code == 302  # to the login page


def test_api_reports_progress_to_the_submitter_only(make_user):
    from fazhi.core.tests.api_world import API_PASSWORD

    owner = make_user("officer", password=API_PASSWORD)
    stranger = make_user("officer", password=API_PASSWORD)
    job = job_submit(actor=owner, kind="test.count", label="计数任务",
                     target=f"{HERE}:count_to", params={"n": 3})
    response = token_client(owner).get(f"/api/v1/jobs/{job.pk}")
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["done"], body["total"], body["percent"]) == ("done", 3, 3, 100)
    assert body["result"]["summary"] == "共处理 3 条"
    assert token_client(stranger).get(f"/api/v1/jobs/{job.pk}").status_code == 404
    assert token_client(owner).get("/api/v1/jobs/not-a-uuid").status_code == 404


def test_a_wrong_target_is_refused_before_anything_is_saved(users):
    with pytest.raises(ImportError):
        job_submit(actor=users["officer"], kind="test.none", label="无",
                   target=f"{HERE}:no_such_function")
    assert not Job.objects.exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_thread_mode_runs_after_commit(settings, users):
    if connection.vendor != "postgresql":
        pytest.skip("a second connection needs a shared database")
    settings.FAZHI_JOBS_MODE = "thread"
    job = job_submit(actor=users["officer"], kind="test.count", label="计数任务",
                     target=f"{HERE}:count_to", params={"n": 50})
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.finished:
            break
        time.sleep(0.05)
    assert job.status == JobStatus.DONE and job.done == 50
