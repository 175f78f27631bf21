"""`{{ text|shown:privacy }}`: a text of an accident's records as the viewer may see it
(`fazhi.accidents.selectors.Privacy`: ID numbers masked unless the role needs them,
responsible persons' names masked for social supervisors)."""

from __future__ import annotations

from django import template

from fazhi.accidents.selectors import Privacy

register = template.Library()


@register.filter
def shown(value: object, privacy: Privacy | None) -> str:
    # Without a Privacy in the context nothing is assumed safe: ID numbers masked.
    return (privacy or Privacy(whole_ids=False)).text(value)
