"""Document numbers (文号): format, gap-free series, concurrency on PostgreSQL."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections, transaction

from fazhi.core.models import Agency, DocumentCounter, Jurisdiction
from fazhi.core.rules.numbering import format_document_number
from fazhi.core.services.numbering import document_number_allocate


def test_format_follows_gb_t_9704():
    assert format_document_number("嘉应急", "penalty_decision", 2024, 12) == "嘉应急罚〔2024〕12号"
    assert format_document_number("南应急", "filing", 2025, 1) == "南应急立〔2025〕1号"
    with pytest.raises(ValueError):
        format_document_number("嘉应急", "penalty_decision", 2024, 0)
    with pytest.raises(ValueError):
        format_document_number("嘉应急", "unknown", 2024, 1)


@pytest.fixture
def agency(db) -> Agency:
    city = Jurisdiction.objects.create(code="330400", name="嘉兴市", level="city")
    return Agency.objects.create(name="嘉兴市应急管理局", kind="city_bureau",
                                 jurisdiction=city, doc_prefix="嘉应急")


def _allocate(agency: Agency, doc_type: str = "penalty_decision", year: int = 2024) -> str:
    with transaction.atomic():
        return document_number_allocate(actor=None, agency=agency, doc_type=doc_type,
                                         year=year).text


def test_series_per_agency_type_and_year(agency):
    assert [_allocate(agency) for _ in range(3)] == [
        "嘉应急罚〔2024〕1号", "嘉应急罚〔2024〕2号", "嘉应急罚〔2024〕3号"]
    assert _allocate(agency, year=2025) == "嘉应急罚〔2025〕1号"
    assert _allocate(agency, doc_type="filing") == "嘉应急立〔2024〕1号"


def test_rolled_back_document_returns_its_number(agency):
    _allocate(agency)
    with pytest.raises(RuntimeError), transaction.atomic():
        document_number_allocate(actor=None, agency=agency, doc_type="penalty_decision",
                                 year=2024)
        raise RuntimeError("saving the decision failed")
    assert _allocate(agency) == "嘉应急罚〔2024〕2号"  # no gap


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_allocation_is_gap_free_and_unique():
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    city = Jurisdiction.objects.create(code="330400", name="嘉兴市", level="city")
    agency = Agency.objects.create(name="嘉兴市应急管理局", kind="city_bureau",
                                   jurisdiction=city, doc_prefix="嘉应急")
    threads_count, per_thread = 8, 10
    results: list[int] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    start = threading.Barrier(threads_count)

    def worker() -> None:
        try:
            start.wait()
            for _ in range(per_thread):
                with transaction.atomic():
                    number = document_number_allocate(
                        actor=None, agency=agency, doc_type="penalty_decision", year=2024)
                with lock:
                    results.append(number.serial)
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
    total = threads_count * per_thread
    assert sorted(results) == list(range(1, total + 1))
    assert DocumentCounter.objects.get(agency=agency).last_number == total
