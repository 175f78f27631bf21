"""Speed targets of the reads officers make all day, on the full demo city.

    make bench

Targets (2-core machine, SQLite): the first page of the enterprise list under 150 ms
for the city (12,000 rows in scope) and for a county, an API page under 100 ms,
appending 1,000 events under 1 s. The figures print in pytest-benchmark's table.
"""

from __future__ import annotations

import datetime

import pytest
from django.db import transaction
from django.test import Client

from fazhi.core.calendar import add_working_days
from fazhi.core.models import Jurisdiction, User
from fazhi.core.services.events import record_events
from fazhi.core.services.tokens import token_issue

pytestmark = pytest.mark.django_db


def _page_client(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


@pytest.mark.parametrize("username", ["officer", "nanhu_officer"])
def test_enterprise_list_page(benchmark, username):
    client = _page_client(username)
    response = benchmark(client.get, "/enterprises/")
    assert response.status_code == 200


def test_enterprise_search_page(benchmark):
    client = _page_client("officer")
    response = benchmark(client.get, "/enterprises/", {"q": "化工", "category": "hazchem_use"})
    assert response.status_code == 200


def test_enterprise_api_page(benchmark):
    with transaction.atomic():
        raw, _ = token_issue(user=User.objects.get(username="officer"))
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    response = benchmark(client.get, "/api/v1/enterprises", {"page_size": 100})
    assert response.status_code == 200 and len(response.json()["items"]) == 100


def test_record_1000_events(benchmark):
    towns = list(Jurisdiction.objects.filter(level="town")[:50])

    def write() -> None:
        with transaction.atomic():
            record_events(actor=None, entries=[
                (towns[n % len(towns)], "bench.touched", {"n": n}) for n in range(1000)])

    benchmark.pedantic(write, rounds=5, iterations=1)


def test_working_day_deadline(benchmark):
    result = benchmark(add_working_days, datetime.date(2026, 9, 29), 15)
    assert not result.assumed
