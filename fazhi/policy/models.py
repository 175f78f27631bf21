"""Tables of the policy app, one module per part (plan7.md: two helpers in one app)."""

from .models_decisions import *  # noqa: F403
from .models_fcr import *  # noqa: F403
from .models_normdocs import *  # noqa: F403
