"""Keys the application holds (the certificate signing key, the informants' identity
key): from a setting or the environment variable of the same name; on a developer's or a
single bureau's machine (`make run`), generated once into VAR_DIR with mode 600, as
`fazhi.settings.local` does for SECRET_KEY. `fazhi.settings.production` requires each from
the environment, so production never generates one."""

from __future__ import annotations

import os
from collections.abc import Callable

from django.conf import settings


def configured_key(name: str, file_name: str, generate: Callable[[], str]) -> str:
    """The key text of setting / environment variable `name`, else VAR_DIR/`file_name`,
    written by `generate()` the first time (safe when two processes race)."""
    if text := getattr(settings, name, "") or os.environ.get(name, ""):
        return text
    from fazhi.settings.base import VAR_DIR

    path = VAR_DIR / file_name
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(fd, "w") as file:
            file.write(generate())
    return path.read_text().strip()
