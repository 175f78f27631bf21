"""Tables of the licensing app, one module per part (two helpers share the app):
certificates (`models_certificates`) and permits, 三同时 reviews and projects
(`models_permits`). Each part adds its own import line here."""

from .models_certificates import *  # noqa: F403
from .models_permits import *  # noqa: F403
from .models_projects import *  # noqa: F403
