"""Figures of the licensing app, registered with `fazhi.reports.registry`: each part's
`indicators_<part>.py` is imported here (one line each) so autodiscovery finds them."""

import fazhi.licensing.indicators_certificates
import fazhi.licensing.indicators_permits  # noqa: F401
