"""Who may keep the capacity records (people, units, study, outreach).

The legal unit (法制机构: its reviewers), the bureau's leaders and the administrators keep
the records of their own agency and of the agencies below it; officers read them.
Nothing here touches the database."""

from __future__ import annotations

from typing import Any

from fazhi.core.models import Role

WRITERS = frozenset({Role.ADMIN, Role.LEADER, Role.REVIEWER})


def can_write(user: Any, agency_path: str | None = None) -> bool:
    """True when `user` may write capacity records of an agency whose jurisdiction path
    is `agency_path` (None: of some agency at all)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if not getattr(user, "is_active", False) or getattr(user, "role", None) not in WRITERS:
        return False
    jurisdiction = user.jurisdiction
    if jurisdiction is None:
        return False
    return agency_path is None or agency_path.startswith(jurisdiction.path)
