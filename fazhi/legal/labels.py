"""Chinese display labels of the engine's codes (penalty measures 处罚种类, benchmark
tiers 裁量阶次), shared by the pages, documents and exports. The catalogue import has
its own vocabulary (`fazhi.legal.imports.MEASURE_NAMES`): the names it parses."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

MEASURE_LABELS: dict[str, Any] = {
    "warning": _("警告"),
    "fine": _("罚款"),
    "confiscate_gains": _("没收违法所得"),
    "confiscate_property": _("没收非法财物"),
    "order_correct_within_deadline": _("责令限期改正"),
    "suspend_business": _("责令停产停业整顿"),
    "revoke_permit": _("吊销许可证件"),
    "close": _("责令关闭"),
    "restrict_practice": _("限制从业"),
}
TIER_LABELS: dict[str, Any] = {"minor": _("轻微"), "general": _("一般"), "serious": _("较重"),
                               "severe": _("严重")}
