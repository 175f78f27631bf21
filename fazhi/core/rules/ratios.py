"""Percentages as the bureau's reports print them (pure)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def percent(numerator: int | Decimal, denominator: int | Decimal, decimals: int = 1) -> Decimal:
    """numerator / denominator as a percentage, rounded half up (44.1 for 30 of 68).

    A zero denominator gives 0: nothing to do counts as nothing done, not an error."""
    exponent = Decimal(1).scaleb(-decimals)
    if not denominator:
        return Decimal(0).quantize(exponent)
    return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(
        exponent, rounding=ROUND_HALF_UP)
