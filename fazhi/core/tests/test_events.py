"""The event record: append-only, hash-chained, gap-free; tampering is found and named."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from fazhi.core.models import Event, Jurisdiction
from fazhi.core.services.events import record_event, record_events, verify_record


def _jurisdiction(code: str) -> Jurisdiction:
    return Jurisdiction.objects.create(code=code, name=f"区划{code}", level="county")


@pytest.fixture
def objects(db):
    return _jurisdiction("330402"), _jurisdiction("330411")


def _write(obj, action: str, payload: dict | None = None) -> Event:
    with transaction.atomic():
        return record_event(actor=None, obj=obj, action=action, payload=payload)


def test_events_form_a_gap_free_sequence_and_per_object_chains(objects):
    a, b = objects
    e1 = _write(a, "created", {"amount": Decimal("1200.50")})
    e2 = _write(b, "created")
    e3 = _write(a, "updated", {"name": "新名称"})

    assert [e.seq for e in Event.objects.all()] == [1, 2, 3]
    assert e1.prev_hash == "" and e2.prev_hash == ""
    assert e3.prev_hash == e1.hash  # chained to the previous event of the same object
    assert Event.objects.get(seq=1).payload == {"amount": "1200.50"}  # Decimal kept exact
    assert verify_record() == []


@pytest.mark.django_db(transaction=True)
def test_event_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError):
        record_event(actor=None, obj=_jurisdiction("330402"), action="created")


def test_event_rolls_back_with_the_change(objects):
    a, _ = objects
    with pytest.raises(ValueError), transaction.atomic():
        record_event(actor=None, obj=a, action="created")
        raise ValueError("the change failed")
    assert not Event.objects.exists()
    _write(a, "created")
    assert Event.objects.get().seq == 1  # the rolled-back number was not lost
    assert verify_record() == []


def test_no_code_path_updates_or_deletes_an_event(objects):
    event = _write(objects[0], "created")
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        Event.objects.filter(pk=event.pk).update(action="x")
    with pytest.raises(PermissionError):
        Event.objects.all().delete()


def _raw(sql: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_edited_payload_is_detected_and_named(objects):
    a, b = objects
    _write(a, "created", {"fine": "5000"})
    _write(b, "created")
    _write(a, "decided", {"fine": "5000"})
    _raw("UPDATE core_event SET payload = %s WHERE seq = %s", ['{"fine": "500"}', 1])

    problems = verify_record()
    assert [p.seq for p in problems] == [1]
    assert "修改" in problems[0].problem
    assert problems[0].object == f"core.jurisdiction:{a.pk}"


def test_deleted_event_in_the_middle_is_detected(objects):
    a, b = objects
    _write(a, "created")
    _write(b, "created")
    _write(a, "updated")
    _raw("DELETE FROM core_event WHERE seq = %s", [2])

    problems = verify_record()
    assert any(p.seq == 2 and "缺失" in p.problem for p in problems)


def test_deleted_latest_event_of_an_object_is_detected(objects):
    a, b = objects
    _write(a, "created")
    _write(a, "updated")  # seq 2: the latest of a
    _write(b, "created")  # seq 3: the latest overall stays
    _raw("DELETE FROM core_event WHERE seq = %s", [2])

    problems = verify_record()
    assert any(p.object == f"core.jurisdiction:{a.pk}" for p in problems)


def test_deleted_latest_event_overall_is_detected(objects):
    a, b = objects
    _write(a, "created")
    _write(b, "created")  # seq 2: the newest event of the whole record
    _raw("DELETE FROM core_event WHERE seq = %s", [2])

    problems = verify_record()
    assert problems, "deleting the newest event must not go unnoticed"
    assert any(p.seq == 2 for p in problems)


def test_verify_record_command_fails_and_names_the_event(objects):
    a, _ = objects
    _write(a, "created")
    call_command("verify_record")  # intact: no error
    _raw("UPDATE core_event SET action = %s WHERE seq = %s", ["deleted", 1])
    with pytest.raises(CommandError):
        call_command("verify_record")


def test_bulk_events_keep_the_chain(objects):
    a, b = objects
    with transaction.atomic():
        events = record_events(
            actor=None, entries=[(a, "created", None), (b, "created", None), (a, "updated", None)]
        )
    assert [e.seq for e in events] == [1, 2, 3]
    assert events[2].prev_hash == events[0].hash
    assert verify_record() == []
