"""Money: Decimal yuan, never float.

Amounts arrive from forms, Excel and the API as Decimal, int or decimal strings; a
float is refused because it cannot hold 0.1 exactly. Amounts the platform computes are
rounded to the fen (分) half up, the way a bureau's finance office rounds."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
MAX_AMOUNT = Decimal("1000000000000")  # 1万亿元: far above any fine, below nonsense


def parse_yuan(value: object, name: str = "金额", *, whole_cents: bool = False) -> Decimal:
    """A non-negative, finite amount in yuan, or a ValueError naming `name` in Chinese.
    `whole_cents`: refuse amounts finer than a fen instead of keeping them."""
    if isinstance(value, bool | float):
        raise ValueError(f"{name}应为整数或小数字符串（元），不接受浮点数")
    if not isinstance(value, Decimal | int | str):
        raise ValueError(f"{name}应为金额（元）")
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValueError(f"{name}不是有效的金额：“{value}”") from None
    if not amount.is_finite():
        raise ValueError(f"{name}不是有效的金额：“{value}”")
    if amount < 0:
        raise ValueError(f"{name}不能为负数")
    if amount > MAX_AMOUNT:
        raise ValueError(f"{name}过大：“{value}”")
    if whole_cents and amount != amount.quantize(CENT):
        raise ValueError(f"{name}最多保留两位小数（分）：“{value}”")
    return amount


def round_yuan(amount: Decimal) -> Decimal:
    """Round a computed amount to the fen, half up."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def yuan_str(amount: Decimal) -> str:
    """An amount as the API returns it: "100000" when whole, else "1234.50"."""
    if amount == amount.to_integral_value():
        return str(int(amount))
    return str(amount.quantize(CENT))


def yuan_text(amount: Decimal) -> str:
    """An amount as Chinese documents and messages write it: "1,234.50元"."""
    return f"{amount:,.2f}元"


def yuan_fen(amount: Decimal | None) -> str | None:
    """An amount to the fen as a string, "12345.00" (None stays None): the API's money."""
    return None if amount is None else str(Decimal(amount).quantize(CENT))
