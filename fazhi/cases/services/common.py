"""What every write of a case shares: the row locked at the version the actor saw
(optimistic locking), the version bump, and the check that the actor may write this
kind of record at this stage."""

from __future__ import annotations

from collections.abc import Collection

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from fazhi.cases.models import PenaltyCase
from fazhi.cases.rules import workflow
from fazhi.core.models import User
from fazhi.inspection.rules.access import path_contains


def locked_case(actor: User, case: PenaltyCase, version: int) -> PenaltyCase:
    """The case row locked for this transaction, once the actor may see it and saw its
    current version (optimistic locking: a stale page is told to reload)."""
    case = PenaltyCase.objects.select_for_update().get(pk=case.pk)
    own = actor.jurisdiction
    if not actor.is_active or not path_contains(own.path if own else None,
                                                case.jurisdiction_path):
        raise PermissionDenied(_("该案件不在您的辖区内"))
    if case.version != version:
        raise ValidationError(_("案件已被他人更新（当前版本%(now)s，您看到的是版本%(seen)s），"
                                "请刷新后重试") % {"now": case.version, "seen": version})
    return case


def saved(case: PenaltyCase) -> PenaltyCase:
    case.version += 1
    case.save()
    return case


def is_handler(actor: User, case: PenaltyCase) -> bool:
    return case.handlers.filter(pk=actor.pk).exists()


def staged_case(
    actor: User,
    case: PenaltyCase,
    version: int,
    *,
    states: Collection[str],
    roles: Collection[str],
    what: str,
    handler_only: bool = False,
) -> PenaltyCase:
    """The case locked for writing a record `what` (Chinese, e.g. “登记缴款”): it must be
    in one of `states` and the actor of one of `roles` (and a handler if `handler_only`)."""
    case = locked_case(actor, case, version)
    if case.status not in states:
        raise ValidationError(_("案件处于“%(state)s”阶段，不能%(what)s")
                              % {"state": case.get_status_display(), "what": what})
    if actor.role not in roles:
        raise PermissionDenied(_("您的角色不能%(what)s") % {"what": what})
    if handler_only and not is_handler(actor, case):
        raise PermissionDenied(_("只有本案承办人员才能%(what)s") % {"what": what})
    return case


ROLES_HANDLING = (workflow.OFFICER,)
