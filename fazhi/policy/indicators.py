"""Figures of the policy app, one module per part (plan7.md: two helpers in one app);
importing a part registers its indicators in `fazhi.reports.registry`."""

from fazhi.policy import (
    indicators_fcr,  # noqa: F401
    indicators_normdocs,  # noqa: F401
)
