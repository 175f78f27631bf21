"""What a page tells the user when a service refuses a write."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest


def refused(request: HttpRequest, exc: ValidationError | PermissionDenied) -> None:
    """Each Chinese message of a service's refusal as an error message on the next page."""
    texts = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
    for text in texts:
        messages.error(request, text)
