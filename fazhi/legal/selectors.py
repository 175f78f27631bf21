"""Reads of the legal app.

`resolve_items` turns the `item` / `items` of an assess request (catalogue codes or
citation strings) into `ItemRule`s. For now it knows the small built-in set of
`fazhi.legal.rules.builtin_items`; the catalogue tables will replace that set behind the
same function (same signature, same errors)."""

from __future__ import annotations

from collections.abc import Sequence

from fazhi.legal.rules.builtin_items import BUILTIN_INDEX, normalise_reference
from fazhi.legal.rules.catalogue import ItemRule


class UnknownItem(ValueError):
    """An item reference that names no known item; the message is Chinese and names the
    request field."""

    def __init__(self, field: str, reference: str) -> None:
        self.field = field
        self.reference = reference
        super().__init__(
            f"执法事项（{field}）“{reference}”未找到：请填写事项编码（如 WSL-097-1）或处罚依据"
            f"（如“安全生产法 第九十七条第（一）项”）")


def resolve_items(codes: Sequence[str], *, field: str = "items") -> list[ItemRule]:
    """The items named by `codes`, in order, duplicates dropped (the same item named twice,
    e.g. by code and by citation, is one provision). Raises `UnknownItem` for the first
    reference that names nothing; `field` is the request field it came from."""
    found: list[ItemRule] = []
    for position, reference in enumerate(codes):
        item = BUILTIN_INDEX.get(normalise_reference(reference))
        if item is None:
            name = field if field == "item" else f"{field}[{position}]"
            raise UnknownItem(name, reference)
        if item not in found:
            found.append(item)
    return found
