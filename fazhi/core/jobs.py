"""Background jobs (后台任务): long imports and batch runs with a progress bar.

    job = job_submit(actor=user, kind="licensing.cert_import", label="证书批量导入",
                     target="fazhi.licensing.imports_certificates:run_import",
                     params={"upload_id": 7})

`target` is a dotted "module:function" called as `function(ctx, **params)`; it returns
the job's JSON result (a dict; "url" in it becomes the link shown when the job is done,
"errors" a list of Chinese lines shown when it failed). Raising a Django ValidationError
fails the job with its Chinese message; the target wraps its writes in
`transaction.atomic` itself when it must be all-or-nothing.

Where the job runs (`settings.FAZHI_JOBS_MODE`):
- "thread" (default): a daemon thread of the web process, started after the submitting
  transaction commits. One machine, no broker to install: what a bureau's single
  server needs. A job that was running when the process stopped is shown as 中断
  (`Job.stalled`) and can be submitted again.
- "sync": inline inside `job_submit` (tests), so the caller sees the finished job.

Progress is kept in the cache, not the database: an all-or-nothing import holds its
transaction open until the end, so progress written there would stay invisible (and on
SQLite would wait for the import's write lock). The job's row gets its final state when
the job ends, with an event in the record (`job.submitted`, `job.finished` /
`job.failed`).
"""

from __future__ import annotations

import importlib
import logging
import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fazhi.core.models import Job, JobStatus, Role, User
from fazhi.core.services.events import record_event

logger = logging.getLogger(__name__)

PROGRESS_TIMEOUT = 24 * 3600  # seconds the cache keeps a job's progress
PROGRESS_INTERVAL = 0.3  # seconds between progress writes to the cache
MAX_ERROR_LINES = 200  # row errors kept in a failed job's result


def _progress_key(job_id: uuid.UUID | str) -> str:
    return f"fazhi:job:{job_id}:progress"


class JobContext:
    """What a job's target gets: its row, its actor, and the progress reporters."""

    def __init__(self, job: Job) -> None:
        self.job = job
        self.actor: User | None = job.created_by
        self.total = job.total
        self.done = 0
        self.text = ""
        self._written_at = 0.0

    def set_total(self, total: int) -> None:
        self.total = max(int(total), 0)
        self._write(force=True)

    def advance(self, count: int = 1) -> None:
        self.done += count
        self._write()

    def message(self, text: str) -> None:
        self.text = text[:500]
        self._write(force=True)

    def _write(self, *, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._written_at < PROGRESS_INTERVAL:
            return
        self._written_at = now
        cache.set(_progress_key(self.job.pk), {
            "total": self.total, "done": min(self.done, self.total) if self.total else self.done,
            "message": self.text, "at": time.time(),
        }, PROGRESS_TIMEOUT)


def _resolve(target: str) -> Callable[..., dict[str, Any]]:
    module_name, _sep, function_name = target.partition(":")
    function = getattr(importlib.import_module(module_name), function_name, None)
    if not callable(function):
        raise ImportError(f"job target {target!r} is not a function")
    return function


def job_submit(
    *, actor: User | None, kind: str, label: str, target: str,
    params: dict[str, Any] | None = None,
) -> Job:
    """Create the job and start it (see the module docstring for where it runs)."""
    _resolve(target)  # a wrong target is a bug: fail now, not in the thread
    with transaction.atomic():
        job = Job(id=uuid.uuid4(), kind=kind, label=label, target=target,
                  params=params or {}, created_by=actor)
        job.full_clean()
        job.save()
        record_event(actor=actor, obj=job, action="job.submitted",
                     payload={"kind": kind, "label": label, "params": job.params})
    if getattr(settings, "FAZHI_JOBS_MODE", "thread") == "sync":
        _run(job.pk)
        job.refresh_from_db()
    else:
        transaction.on_commit(lambda: _start_thread(job.pk))
    return job


def _start_thread(job_id: uuid.UUID) -> None:
    threading.Thread(target=_run_in_thread, args=(job_id,), daemon=True,
                     name=f"job-{job_id}").start()


def _run_in_thread(job_id: uuid.UUID) -> None:
    close_old_connections()
    try:
        _run(job_id)
    finally:
        connection.close()  # the thread's own connection


def _run(job_id: uuid.UUID) -> None:
    job = Job.objects.select_related("created_by").get(pk=job_id)
    job.status, job.started_at = JobStatus.RUNNING, timezone.now()
    job.heartbeat_at = job.started_at
    job.save(update_fields=["status", "started_at", "heartbeat_at"])
    ctx = JobContext(job)
    result: dict[str, Any] = {}
    error = ""
    try:
        result = _resolve(job.target)(ctx, **job.params) or {}
        status = JobStatus.DONE
    except ValidationError as exc:
        status = JobStatus.FAILED
        lines = [str(m) for m in exc.messages]
        error = lines[0] if len(lines) == 1 else _("共 %(n)d 处错误，未导入任何数据。") % {
            "n": len(lines)}
        result = {"errors": lines[:MAX_ERROR_LINES], "error_count": len(lines)}
    except Exception:
        logger.exception("job %s (%s) failed", job.pk, job.target)
        status = JobStatus.FAILED
        error = _("任务执行出错，请联系管理员（任务编号 %(id)s）。") % {"id": job.pk}
    with transaction.atomic():
        Job.objects.filter(pk=job.pk).update(
            status=status, result=result, error=error, finished_at=timezone.now(),
            heartbeat_at=timezone.now(), total=ctx.total,
            done=ctx.total if status == JobStatus.DONE and ctx.total else ctx.done,
            message=ctx.text)
        record_event(actor=job.created_by, obj=job,
                     action="job.finished" if status == JobStatus.DONE else "job.failed",
                     payload={"done": ctx.done, "error": error})
    cache.delete(_progress_key(job.pk))


def job_progress(job: Job) -> dict[str, Any]:
    """The job's state for the progress bar: the row, with the live progress from the
    cache while it runs."""
    state = {"status": job.status, "total": job.total, "done": job.done,
             "message": job.message, "stalled": job.stalled}
    if not job.finished:
        live = cache.get(_progress_key(job.pk))
        if live:
            state.update(total=live["total"], done=live["done"], message=live["message"])
            state["stalled"] = time.time() - live["at"] > 600
    total = state["total"]
    state["percent"] = 100 if job.status == JobStatus.DONE else (
        int(state["done"] * 100 / total) if total else 0)
    return state


def job_get(*, user: User, job_id: uuid.UUID | str) -> Job | None:
    """A job its submitter (or an administrator) may follow; None otherwise."""
    try:
        job = Job.objects.select_related("created_by").get(pk=job_id)
    except (Job.DoesNotExist, ValidationError, ValueError):
        return None
    if not user.is_authenticated or not user.is_active:
        return None
    if job.created_by_id == user.pk or user.role == Role.ADMIN or user.is_superuser:
        return job
    return None
