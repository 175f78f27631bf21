"""Public pages cached whole, emptied at once by a take-down (`core.pagecache`)."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from fazhi.core.pagecache import _key, cache_public_page, generation, pages_changed

pytestmark = pytest.mark.django_db  # on_commit needs a database connection

shown = {"text": "第一版"}


@cache_public_page(60, "test-pages")
def page(request: HttpRequest) -> HttpResponse:
    return HttpResponse(shown["text"])


def _get() -> str:
    return page(RequestFactory().get("/public/x/")).content.decode()


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    shown["text"] = "第一版"
    yield
    cache.clear()


def test_a_page_is_served_from_the_cache_until_the_pages_change(
        django_capture_on_commit_callbacks):
    assert _get() == "第一版"
    shown["text"] = "第二版"
    assert _get() == "第一版"  # cached
    with django_capture_on_commit_callbacks(execute=True):
        pages_changed("test-pages")
    assert _get() == "第二版"


def test_the_cache_is_emptied_only_when_the_writing_transaction_commits(
        django_capture_on_commit_callbacks):
    assert _get() == "第一版"
    shown["text"] = "第二版"
    with django_capture_on_commit_callbacks(execute=False) as pending:
        pages_changed("test-pages")
        # inside the transaction a render would still read the old rows: nothing moved
        assert _get() == "第一版"
    assert len(pending) == 1
    # a rolled-back take-down changes nothing
    with (django_capture_on_commit_callbacks(execute=True) as ran,
          pytest.raises(RuntimeError), transaction.atomic()):
        pages_changed("test-pages")
        raise RuntimeError("rolled back")
    assert ran == []
    assert _get() == "第一版"


def test_other_namespaces_keep_their_pages(django_capture_on_commit_callbacks):
    before = generation("test-pages")
    with django_capture_on_commit_callbacks(execute=True):
        pages_changed("another")
    assert generation("test-pages") == before


def test_a_lost_counter_never_falls_back_onto_a_used_generation(
        django_capture_on_commit_callbacks):
    assert _get() == "第一版"
    used = generation("test-pages")
    cache.delete(_key("test-pages"))  # evicted
    shown["text"] = "第二版"
    assert generation("test-pages") != used
    assert _get() == "第二版"
