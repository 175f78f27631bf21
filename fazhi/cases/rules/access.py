"""Who writes to a penalty case at all (pure): staff and enterprise users, each only what
the services let them; anyone else who reads cases (a social supervisor, 社会监督员) only
reads. Pages and API refuse the others before a case is even looked up."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from fazhi.core.models import Role

READ_ONLY_MESSAGE = _("您的角色只能查阅案件，不能登记或办理")


def may_write(user: Any) -> bool:
    return (bool(getattr(user, "is_staff_role", False))
            or getattr(user, "role", None) == Role.ENTERPRISE)
