"""Who may maintain the registry of regulated subjects (enterprises, their responsible
persons, chemical parks).

《安全生产法》第十条: the emergency-management department of a local government
supervises work safety within its own administrative area (属地监管), so staff may
write only subjects inside their jurisdiction.
Keeping the registry (监管对象名录) is enforcement work of the officers, with the
administrator for bulk maintenance; a leader approves and a legal reviewer reviews on
cases, they do not edit the registry, and enterprise users and social supervisors
only read.
"""

from __future__ import annotations

from typing import Any

from fazhi.core.models import Role

EDITOR_ROLES = frozenset({Role.OFFICER, Role.ADMIN})


def can_edit_subjects(user: Any) -> bool:
    """True when the user's role may write enterprises and parks (in their area)."""
    return (
        user is not None
        and getattr(user, "is_authenticated", False)
        and getattr(user, "is_active", False)
        and getattr(user, "role", None) in EDITOR_ROLES
    )


def path_contains(outer_path: str | None, inner_path: str) -> bool:
    """True when the jurisdiction path `inner_path` lies at or below `outer_path`."""
    return bool(outer_path) and inner_path.startswith(outer_path)
