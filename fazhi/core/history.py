"""The event record (执法全过程记录) of one object as a detail page shows it
(`templates/partials/events.html`): each event with a Chinese label and a few lines
of details, oldest first."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from fazhi.core.models import Event


@dataclass(frozen=True)
class HistoryEntry:
    event: Event
    label: str
    details: list[str]


def history(
    events: Iterable[Event],
    labels: Mapping[str, str],
    details: Callable[[Event], list[str]] = lambda event: [],
) -> list[HistoryEntry]:
    """Entries for the partial; an action without a label shows its code."""
    return [HistoryEntry(e, labels.get(e.action, e.action), details(e)) for e in events]
