"""Who sees a responsible person's whole ID number, and how the others see it.

《个人信息保护法》第二十八条 makes personal identity numbers sensitive personal
information: processed only for a specific purpose and where sufficiently necessary.
第六条 (minimum necessary): processing is limited to the smallest scope needed for the
purpose. An officer, a legal reviewer and an administrator write the number into
enforcement documents (文书: 当事人信息) or check it there, so they see it whole;
a leader approves on the case, an enterprise user and a social supervisor only read,
so for them the number is masked (first 6 and last 4 kept: the area and the tail are
enough to tell two people apart on screen).
"""

from __future__ import annotations

import re
from typing import Any

from fazhi.core.models import Role

# Roles that put the whole number into documents (or check them) as part of their work.
WHOLE_ID_ROLES = frozenset({Role.ADMIN, Role.OFFICER, Role.REVIEWER})

MASK_CHAR = "*"


def mask_id_number(number: str | None) -> str:
    """"330402198001011234" -> "330402********1234": keep the first 6 and last 4.

    A value too short to keep both ends (malformed data) is masked entirely rather
    than shown."""
    number = (number or "").strip()
    if len(number) <= 10:
        return MASK_CHAR * len(number)
    return number[:6] + MASK_CHAR * (len(number) - 10) + number[-4:]


# A resident ID number (18 characters, or the old 15 digits) standing alone in a text.
ID_NUMBER_IN_TEXT = re.compile(r"(?<![0-9A-Za-z])(\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])")


# Telephone numbers standing alone in a text: a mainland mobile number, a landline with
# its area code (0571-87654321, 057187654321).
MOBILE_IN_TEXT = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
LANDLINE_IN_TEXT = re.compile(r"(?<!\d)0\d{2,3}-?\d{7,8}(?!\d)")


def mask_phone_numbers_in(text: str) -> str:
    """`text` with mobile numbers masked (138****5678) and landline numbers removed."""
    text = MOBILE_IN_TEXT.sub(lambda m: m.group(0)[:3] + "****" + m.group(0)[-4:], text or "")
    return LANDLINE_IN_TEXT.sub("[电话号码已隐去]", text)


def mask_id_numbers_in(text: str) -> str:
    """`text` with every resident ID number in it masked like `mask_id_number`."""
    return ID_NUMBER_IN_TEXT.sub(lambda m: mask_id_number(m.group(1)), text or "")


def mask_person_name(name: str) -> str:
    """周建华 -> 周**: the surname kept, the given name starred (public records)."""
    name = name.strip()
    return name[:1] + MASK_CHAR * max(len(name) - 1, 1) if name else name


def can_see_id_numbers(user: Any) -> bool:
    """True when `user`'s role needs whole ID numbers (see the module docstring);
    anonymous and inactive users never do."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if not getattr(user, "is_active", False):
        return False
    return getattr(user, "role", None) in WHOLE_ID_ROLES


def shown_id_number(user: Any, number: str) -> str:
    """The ID number as `user` may see it."""
    return number if can_see_id_numbers(user) else mask_id_number(number)


def shown_text(user: Any, value: Any) -> str:
    """A free text (findings, facts, statements, event details: typed by officers and
    enterprises, and may name a person by ID number) as `user` may read it: the ID
    numbers in it masked unless the role needs them whole."""
    text = "" if value is None else str(value)
    return text if can_see_id_numbers(user) else mask_id_numbers_in(text)
