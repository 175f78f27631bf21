"""Checks of the free text a service is given, shared by the apps' services: the refusal
is a Chinese ValidationError on the field, raised before anything is saved."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def required_text(value: str | None, field: str, label: str,
                  max_length: int | None = None) -> str:
    """`value` stripped; refused when empty, holding NUL (PostgreSQL refuses it in text)
    or longer than `max_length` characters."""
    text = (value or "").strip()
    if not text:
        raise ValidationError({field: _("请填写%(label)s") % {"label": label}})
    if "\x00" in text:
        raise ValidationError({field: _("%(label)s含有无效字符") % {"label": label}})
    if max_length is not None and len(text) > max_length:
        raise ValidationError({field: _("%(label)s不能超过%(n)s个字") % {
            "label": label, "n": max_length}})
    return text
