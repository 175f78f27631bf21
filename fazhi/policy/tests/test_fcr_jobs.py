"""Batch screening of the archive as a background job (core.jobs, FAZHI_JOBS_MODE=sync in
tests) over HTTP: the run page with its progress bar and flagged documents, the Excel
ledger, opening the close review of a flagged document, refusals and scoping."""

from __future__ import annotations

import datetime
import io

import openpyxl
import pytest
from django.test import Client, override_settings

from fazhi.core.models import Event, Job, Role
from fazhi.policy.models_fcr import FcrReview, ScreeningResult, ScreeningRun
from fazhi.policy.services_fcr import archived_document_add, run_archive_screening

CLEAN = "各企业要加强汛期安全巡查，及时消除事故隐患。请于6月30日前报送工作总结。"
FLAGGED = "外地安全评价机构承接本区业务的，应当在本区设立分支机构。"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def archive(users):
    docs = []
    for n in range(1, 13):
        docs.append(archived_document_add(
            actor=users["officer"], number=f"南应急发〔2015〕{n}号", title=f"文件{n}",
            issuer="嘉兴市南湖区安全生产监督管理局", issued_on=datetime.date(2015, 1, n),
            text=CLEAN + (FLAGGED if n in (3, 7) else "")))
    return docs


@override_settings(FAZHI_JOBS_MODE="sync")
def test_an_officer_screens_the_whole_archive_in_a_job_and_reviews_the_flagged(users,
                                                                                archive):
    client = _client(users["officer"])
    response = client.post("/policy/fcr/runs/start/")
    run = ScreeningRun.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/policy/fcr/runs/{run.pk}/"
    assert run.status == "done" and run.documents == 12 and run.flagged == 2
    assert run.job.status == "done" and run.job.result["flagged"] == 2
    assert run.job.result["url"] == run.get_absolute_url()
    assert ScreeningResult.objects.filter(run=run).count() == 12
    page = client.get(run.get_absolute_url()).content.decode()
    assert 'class="progress"' in page and "100%" in page
    assert "南应急发〔2015〕3号" in page and "南应急发〔2015〕7号" in page
    assert "南应急发〔2015〕4号" not in page  # only the flagged documents are listed
    assert {e.action for e in Event.objects.filter(object_type="policy.screeningrun")} == {
        "policy.fcr_run.start", "policy.fcr_run.finish"}

    ledger = client.get(f"/policy/fcr/runs/{run.pk}/ledger.xlsx")
    assert ledger.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(ledger.content)).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 12
    assert [r[0] for r in rows[:2]] == ["南应急发〔2015〕7号", "南应急发〔2015〕3号"]
    assert rows[0][5] == "FCR-9-2" and "本区设立" in rows[0][6]

    result = ScreeningResult.objects.get(run=run, document=archive[2])
    opened = client.post(f"/policy/fcr/results/{result.pk}/review/")
    review = FcrReview.objects.get()
    assert opened["Location"] == review.get_absolute_url()
    assert review.source == "archive" and review.document == archive[2] and review.run == run
    assert list(review.flags.values_list("standard", flat=True)) == ["FCR-9-2"]
    client.post(f"/policy/fcr/results/{result.pk}/review/")  # once per run and document
    assert FcrReview.objects.count() == 1
    clean = ScreeningResult.objects.get(run=run, document=archive[0])
    client.post(f"/policy/fcr/results/{clean.pk}/review/")
    assert FcrReview.objects.count() == 1


@override_settings(FAZHI_JOBS_MODE="sync")
def test_an_empty_archive_is_refused_and_a_run_only_sees_its_agency(users, make_user,
                                                                    agencies, archive):
    other = make_user(Role.OFFICER, agency=agencies["xiuzhou"])
    client = _client(other)
    response = client.post("/policy/fcr/runs/start/", follow=True)
    assert "还没有文件" in response.content.decode()
    assert not ScreeningRun.objects.exists() and not Job.objects.exists()
    _client(users["officer"]).post("/policy/fcr/runs/start/")
    run = ScreeningRun.objects.get()
    assert client.get(run.get_absolute_url()).status_code == 404
    assert client.get(f"/policy/fcr/runs/{run.pk}/ledger.xlsx").status_code == 404
    result = run.results.filter(flag_count__gt=0).first()
    assert client.post(f"/policy/fcr/results/{result.pk}/review/").status_code == 404
    assert "文件1" not in client.get("/policy/fcr/archive/").content.decode()
    assert "文件1" in _client(users["officer"]).get("/policy/fcr/archive/").content.decode()


def test_the_job_target_reports_progress_and_is_all_or_nothing(users, archive):
    class FakeContext:
        actor = users["officer"]
        total = done = 0

        def set_total(self, n):
            self.total = n

        def advance(self, k=1):
            self.done += k

        def message(self, text):
            self.text = text

    run = ScreeningRun.objects.create(agency=users["officer"].agency, label="测试",
                                      started_by=users["officer"],
                                      created_at=datetime.datetime(2024, 5, 1,
                                                                   tzinfo=datetime.UTC))
    ctx = FakeContext()
    result = run_archive_screening(ctx, run_id=run.pk)
    assert ctx.total == ctx.done == 12 and result["flagged"] == 2
    from django.core.exceptions import ValidationError
    with pytest.raises(ValidationError):  # a finished run is not screened twice
        run_archive_screening(FakeContext(), run_id=run.pk)
    assert ScreeningResult.objects.filter(run=run).count() == 12


def test_pages_need_a_staff_login(users):
    assert Client().get("/policy/fcr/").status_code == 302
    assert _client(users["enterprise"]).get("/policy/fcr/").status_code == 403
    assert _client(users["officer"]).get("/policy/fcr/").status_code == 200


@override_settings(FAZHI_JOBS_MODE="sync")
def test_a_run_whose_job_failed_does_not_block_the_next_one(users, archive):
    import uuid

    failed_job = Job.objects.create(id=uuid.uuid4(), kind="policy.fcr_batch", label="x",
                                    target="x:y", status="failed",
                                    created_by=users["officer"])
    stale = ScreeningRun.objects.create(agency=users["officer"].agency, label="中断的筛查",
                                        started_by=users["officer"], job=failed_job,
                                        created_at=datetime.datetime(2024, 5, 1,
                                                                     tzinfo=datetime.UTC))
    _client(users["officer"]).post("/policy/fcr/runs/start/")
    stale.refresh_from_db()
    assert stale.status == "failed"
    assert ScreeningRun.objects.filter(status="done").count() == 1
