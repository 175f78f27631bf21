"""The policy slice of the demo city: fair-competition review (`demo_fcr`) and the
normative documents, cleanups and major decisions (`demo_normdocs`, loaded when that
module exists)."""

from __future__ import annotations

import importlib

from django.utils.module_loading import module_has_submodule

import fazhi.policy as policy_package
from fazhi.core.demo import DemoContext
from fazhi.policy import demo_fcr

ORDER = 72


def load(ctx: DemoContext) -> None:
    demo_fcr.load(ctx)
    if module_has_submodule(policy_package, "demo_normdocs"):
        importlib.import_module("fazhi.policy.demo_normdocs").load(ctx)
