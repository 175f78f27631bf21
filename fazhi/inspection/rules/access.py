"""Who may write inspection records (pure).

《安全生产法》(2021) 第十条: the local emergency-management department supervises work
safety within its own administrative area (属地监管), so staff write only inside their
jurisdiction. Plans and draws are made by officers, leaders and administrators of the
agency; inspections are recorded by officers (administrators for corrections).
《行政处罚法》(2021) 第四十三条: recusal is decided by the agency's head, so a leader or
an administrator records it; an officer may declare his or her own.

Social supervisors (社会监督员) read the records of the area they oversee and write none.
They do not download evidence files or the documents (.docx): a photo or a scan of an
ID card cannot be masked (《个人信息保护法》第六条, minimum necessary), the documents
carry officers' certificate numbers and whole texts, and rendering the inspection
record allocates its number, a write. The listing (file name, size, SHA-256) shows
them that the evidence exists.
"""

from __future__ import annotations

from typing import Any

from fazhi.core.models import Role

PLANNER_ROLES = frozenset({Role.OFFICER, Role.LEADER, Role.ADMIN})
INSPECTOR_ROLES = frozenset({Role.OFFICER, Role.ADMIN})
RECUSAL_ROLES = frozenset({Role.LEADER, Role.ADMIN})


def _active(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False)
                and getattr(user, "is_active", False))


def can_plan(user: Any) -> bool:
    return _active(user) and getattr(user, "role", None) in PLANNER_ROLES


def can_inspect(user: Any) -> bool:
    return _active(user) and getattr(user, "role", None) in INSPECTOR_ROLES


def can_record_recusal(user: Any, officer_id: int) -> bool:
    role = getattr(user, "role", None)
    return _active(user) and (
        role in RECUSAL_ROLES or (role == Role.OFFICER and user.pk == officer_id))


def can_download_files(user: Any) -> bool:
    """Evidence files and the .docx documents: staff, and an enterprise user for its own
    records (the views read them through the scoped selectors)."""
    return _active(user) and (bool(getattr(user, "is_staff_role", False))
                              or getattr(user, "role", None) == Role.ENTERPRISE)


def can_check_draw(user: Any) -> bool:
    """复核 re-runs a draw and records the check (an event): staff only."""
    return _active(user) and bool(getattr(user, "is_staff_role", False))


def path_contains(outer_path: str | None, inner_path: str) -> bool:
    return bool(outer_path) and inner_path.startswith(outer_path)


def can_report_rectification(user: Any, enterprise_id: int) -> bool:
    """The enterprise files its own rectification report; an officer may record one
    received on paper."""
    role = getattr(user, "role", None)
    return _active(user) and (
        role in INSPECTOR_ROLES
        or (role == Role.ENTERPRISE and getattr(user, "enterprise_id", None) == enterprise_id))
