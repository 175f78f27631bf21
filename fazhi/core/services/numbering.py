"""Allocation of document numbers (文号), gap-free per agency, document type and year."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection

from fazhi.core.models import Agency, DocumentCounter, User
from fazhi.core.rules.numbering import DOC_TYPE_MARKS, format_document_number
from fazhi.core.services.events import record_event


@dataclass(frozen=True)
class DocumentNumber:
    serial: int
    text: str  # 嘉应急罚〔2024〕12号


def document_number_allocate(
    *, actor: User | None, agency: Agency, doc_type: str, year: int
) -> DocumentNumber:
    """Take the next number in the caller's transaction.

    The counter row is locked until the caller commits, so concurrent requests get
    consecutive numbers, and a document that rolls back gives its number back: the
    series has no gaps."""
    if not connection.in_atomic_block:
        raise RuntimeError("document_number_allocate must run inside the document's transaction")
    if doc_type not in DOC_TYPE_MARKS:
        raise ValueError(f"未知的文书类型：{doc_type}")
    DocumentCounter.objects.bulk_create(
        [DocumentCounter(agency=agency, doc_type=doc_type, year=year, last_number=0)],
        ignore_conflicts=True,
    )
    counter = DocumentCounter.objects.select_for_update().get(
        agency=agency, doc_type=doc_type, year=year
    )
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    number = DocumentNumber(
        serial=counter.last_number,
        text=format_document_number(agency.doc_prefix, doc_type, year, counter.last_number),
    )
    record_event(actor=actor, obj=counter, action="document_number.allocated",
                 payload={"number": number.text, "doc_type": doc_type, "year": year})
    return number
