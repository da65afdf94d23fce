"""Money is Decimal yuan with two places; this module is the one place that rounds it."""

from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation

FEN = Decimal("0.01")
YUAN = Decimal("1")
ZERO = Decimal("0.00")

ROUNDING_MODES = {"half_up": ROUND_HALF_UP, "down": ROUND_DOWN}


def to_fen(value: Decimal | int | str) -> Decimal:
    """Round half up to the fen (0.01 yuan)."""
    return Decimal(value).quantize(FEN, rounding=ROUND_HALF_UP)


def round_money(value: Decimal, *, unit: Decimal = FEN, mode: str = "half_up") -> Decimal:
    """Round to a unit (0.01, 1, 100 …) with a named mode; the result always carries two places."""
    steps = (Decimal(value) / unit).quantize(YUAN, rounding=ROUNDING_MODES[mode])
    return (steps * unit).quantize(FEN)


def parse_amount(raw: object) -> Decimal:
    """Parse user input as a positive amount with at most two decimals; raise ValueError in Chinese."""
    try:
        value = Decimal(str(raw).strip().replace(",", ""))
    except (InvalidOperation, ValueError) as exc:
        raise ValueError("金额格式不正确") from exc
    if not value.is_finite():
        raise ValueError("金额格式不正确")
    if value <= 0:
        raise ValueError("金额必须大于零")
    if value != value.quantize(FEN):
        raise ValueError("金额最多保留两位小数")
    return value.quantize(FEN)


def format_percent(value: Decimal) -> str:
    """A stored fraction as a percentage for people: 0.1200 → 12%, 0.02525 → 2.525%."""
    return f"{(Decimal(value) * 100).normalize():f}%"
