"""The event record (执法全过程记录): append-only, hash-chained, gap-free.

Every service that changes a record calls `record_event` inside its own transaction,
so the change and its event commit or roll back together. Each event gets the next
global sequence number (the global head row is locked, so numbers are gap-free even
under concurrent writers on PostgreSQL) and the hash of the previous event of the
same object; its own hash covers all of its fields. `verify_record` recomputes all of
it and names every edited, deleted or reordered event.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.models import Model, Q
from django.utils import timezone

from fazhi.core.models import Event, EventChainHead, User

GLOBAL = ("", "")  # the EventChainHead row that holds the global sequence
ObjectRef = Model | tuple[str, str]
Entry = tuple[ObjectRef, str, dict[str, Any] | None]


def object_key(obj: ObjectRef) -> tuple[str, str]:
    """("app_label.model", "pk") for a model instance, or a ready-made pair."""
    if isinstance(obj, tuple):
        return obj
    if obj.pk is None:
        raise ValueError("record_event needs a saved object")
    return obj._meta.label_lower, str(obj.pk)


def _canonical_payload(payload: dict[str, Any] | None) -> dict[str, Any]:
    # Store exactly what is hashed: Decimals, dates and UUIDs become strings once.
    return json.loads(json.dumps(payload or {}, cls=DjangoJSONEncoder, ensure_ascii=False))


def _timestamp(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def event_hash(
    *,
    seq: int,
    at: datetime,
    actor_id: int | None,
    actor_name: str,
    object_type: str,
    object_id: str,
    action: str,
    payload: dict[str, Any],
    prev_hash: str,
) -> str:
    body = json.dumps(
        [seq, _timestamp(at), actor_id, actor_name, object_type, object_id, action,
         payload, prev_hash],
        ensure_ascii=False, sort_keys=True, separators=(",", ":"),
    )
    return hashlib.sha256(body.encode()).hexdigest()


def _hash_of(event: Event) -> str:
    return event_hash(
        seq=event.seq, at=event.at, actor_id=event.actor_id, actor_name=event.actor_name,
        object_type=event.object_type, object_id=event.object_id, action=event.action,
        payload=event.payload, prev_hash=event.prev_hash,
    )


def _locked_heads(keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], EventChainHead]:
    """The head rows of these objects and the global one, read under the global lock.

    Every writer locks the global head, and it sorts first (object type and id ""), so
    writers queue on it and cannot deadlock on the object rows read in the same
    statement. Heads of objects without events yet are made in memory;
    `record_events` upserts them."""
    others = sorted(set(keys) - {GLOBAL})
    heads: dict[tuple[str, str], EventChainHead] = {}
    for start in range(0, max(len(others), 1), 500):
        chunk = others[start:start + 500]
        wanted = Q(object_type="", object_id="") if start == 0 else Q(pk__in=[])
        if chunk:
            wanted |= Q(object_type__in={t for t, _ in chunk},
                        object_id__in={i for _, i in chunk})
        for head in (EventChainHead.objects.select_for_update().filter(wanted)
                     .order_by("object_type", "object_id")):
            heads[(head.object_type, head.object_id)] = head
    if GLOBAL not in heads:  # the very first event
        EventChainHead.objects.bulk_create(
            [EventChainHead(object_type="", object_id="", last_seq=0, last_hash="")],
            ignore_conflicts=True)
        heads[GLOBAL] = EventChainHead.objects.select_for_update().get(
            object_type="", object_id="")
    wanted_keys = {GLOBAL, *others}
    heads = {key: head for key, head in heads.items() if key in wanted_keys}
    for object_type, object_id in others:
        heads.setdefault((object_type, object_id), EventChainHead(
            object_type=object_type, object_id=object_id, last_seq=0, last_hash=""))
    return heads


def record_events(*, actor: User | None, entries: Sequence[Entry]) -> list[Event]:
    """Append one event per (object, action, payload), in order, in the caller's
    transaction. Raises if called outside a transaction: an event must commit or
    roll back with the change it records."""
    if not connection.in_atomic_block:
        raise RuntimeError("record_events must run inside transaction.atomic()")
    if not entries:
        return []
    keyed = [(object_key(obj), action, _canonical_payload(payload))
             for obj, action, payload in entries]
    heads = _locked_heads(key for key, _, _ in keyed)
    global_head = heads[GLOBAL]
    at = timezone.now()
    actor_id = actor.pk if actor else None
    actor_name = str(actor) if actor else ""
    events = []
    for (object_type, object_id), action, payload in keyed:
        head = heads[(object_type, object_id)]
        seq = global_head.last_seq + 1
        event = Event(
            seq=seq, at=at, actor_id=actor_id, actor_name=actor_name,
            object_type=object_type, object_id=object_id, action=action,
            payload=payload, prev_hash=head.last_hash,
        )
        event.hash = _hash_of(event)
        events.append(event)
        global_head.last_seq, global_head.last_hash = seq, event.hash
        head.last_seq, head.last_hash = seq, event.hash
    Event.objects.bulk_create(events, batch_size=1000)
    # An upsert of the (already locked) head rows: one statement per batch, where
    # bulk_update would build a CASE expression per row and take most of the time.
    EventChainHead.objects.bulk_create(
        list(heads.values()), update_conflicts=True,
        unique_fields=["object_type", "object_id"], update_fields=["last_seq", "last_hash"],
        batch_size=1000,
    )
    return events


def record_event(
    *, actor: User | None, obj: ObjectRef, action: str, payload: dict[str, Any] | None = None
) -> Event:
    """Append one event for `obj` (see `record_events`)."""
    return record_events(actor=actor, entries=[(obj, action, payload)])[0]


@dataclass(frozen=True)
class RecordProblem:
    seq: int | None
    object: str
    problem: str  # Chinese, shown to administrators

    def __str__(self) -> str:
        where = f"第{self.seq}号记录" if self.seq is not None else "记录链"
        return f"{where}（{self.object}）：{self.problem}"


def verify_record(*, chunk_size: int = 5000) -> list[RecordProblem]:
    """Recompute the whole record; return every problem found (empty: intact)."""
    problems: list[RecordProblem] = []
    last_by_object: dict[tuple[str, str], tuple[int, str]] = {}
    expected_seq = 1
    with transaction.atomic():
        for event in Event.objects.order_by("seq").iterator(chunk_size=chunk_size):
            key = (event.object_type, event.object_id)
            label = f"{event.object_type}:{event.object_id}"
            if event.seq > expected_seq:
                missing = (f"第{expected_seq}号" if event.seq == expected_seq + 1
                           else f"第{expected_seq}至{event.seq - 1}号")
                problems.append(RecordProblem(
                    expected_seq, label, f"{missing}记录缺失（已被删除）"))
            expected_seq = event.seq + 1
            if _hash_of(event) != event.hash:
                problems.append(RecordProblem(event.seq, label, "记录内容与其哈希不符（已被修改）"))
            previous = last_by_object.get(key)
            if event.prev_hash != (previous[1] if previous else ""):
                problems.append(RecordProblem(
                    event.seq, label, "前序哈希与该对象上一条记录不符（其前的记录被删除或修改）"))
            last_by_object[key] = (event.seq, event.hash)
        for head in EventChainHead.objects.all():
            key = (head.object_type, head.object_id)
            if key == GLOBAL:
                if head.last_seq >= expected_seq:
                    problems.append(RecordProblem(
                        head.last_seq, "全局",
                        f"第{expected_seq}至{head.last_seq}号记录缺失（最新记录被删除）"
                        if head.last_seq > expected_seq else "最新一条记录缺失（已被删除）"))
                continue
            seen = last_by_object.get(key)
            if seen is None or seen != (head.last_seq, head.last_hash):
                problems.append(RecordProblem(
                    head.last_seq, f"{head.object_type}:{head.object_id}",
                    "该对象的最新记录缺失或被修改"))
    return problems
